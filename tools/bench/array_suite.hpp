#pragma once
// The `array` suite: W3 (chunked array expressions over random numbers and
// over the 1 GiB float64 file, memory-mapped sums) and W6 (x @ x.T through
// OpenBLAS, beside OpenBLAS's dgemm called directly) of shared/bench/README.md,
// with the same workload names, data and digests.
#include "tools/bench/bench_report.hpp"

namespace tessera::bench {

void run_array_suite(const BenchOptions& options);

}  // namespace tessera::bench

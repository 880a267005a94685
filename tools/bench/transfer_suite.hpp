#pragma once
// The `transfer` suite: moving one big float64 NDArray across the data plane
// (net/ DataServer -> DataClient over loopback, in this process), in GB/s.
//   transfer_256mib (full) / transfer_16mib (small), engine tessera-dataplane.
#include "tools/bench/bench_report.hpp"

namespace tessera::bench {

void run_transfer_suite(const BenchOptions& options);

}  // namespace tessera::bench

#pragma once
// The `dataframe` suite: W4 of shared/bench/README.md (read_csv over the
// timeseries CSV set, then group-by mean, filter + group-by sum, group-by
// agg, value_counts; each query alone and all four in one pass), with the
// same workload names and digests as dask_bench.py.
#include "tools/bench/bench_report.hpp"

namespace tessera::bench {

void run_dataframe_suite(const BenchOptions& options);

}  // namespace tessera::bench

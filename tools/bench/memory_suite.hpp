#pragma once
// The `memory` suite: larger-than-memory work on 2 worker processes of
// `--memory-limit 256MB` (1 thread each), as issue 9 asks:
//   mem_from_raw_4g_sum_mean   sum and mean of a 4 GiB float64 file read with
//                              array.from_raw (written when missing: value i is
//                              ((i * 0x9E3779B1) mod 2^20) / 2^20, so the exact
//                              sum is known)
//   mem_persist_1g_sum_mean    the first 1 GiB of that file persisted on the
//                              workers (twice their two limits: it must spill),
//                              then sum and mean of the held blocks
//   w4_q1_groupby_name_x_mean  read_csv(timeseries/ts-*.csv).groupby("name").x.mean(),
//                              checked against the threads engine's answer
// Each line carries memory_limit_mb, worker_peak_rss_mb (one per worker: the
// highest resident memory sampled every 20 ms, or the kernel's high-water
// mark when higher), spilled_mb (bytes the workers wrote to disk), and
// correct; held_peak_mb is the data in flight: the most bytes of task
// results the scheduler counted on the workers at once (in memory or
// spilled; sampled every 100 ms). A fresh cluster per workload, so that each
// peak is its own.
#include "tools/bench/bench_report.hpp"

namespace tessera::bench {

void run_memory_suite(const BenchOptions& options);

}  // namespace tessera::bench

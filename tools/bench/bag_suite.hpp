#pragma once
// The `bag` suite: W5 of ../shared/bench/README.md on the JSON-lines records
// (`records/rec-*.jsonl`, one partition per file):
//   w5_bag_city_top10       read_text.map(json_loads).pluck("city").frequencies().topk(10, count)
//   w5_bag_wordcount_top20  read_text.str.split().flatten().frequencies().topk(20, count)
// Engines: tessera-threads (the default cluster), tessera-sync, and
// cpp-loop, a plain single-threaded C++ loop (simdjson DOM, absl
// flat_hash_map) as the floor.
#include "tools/bench/bench_report.hpp"

namespace tessera::bench {

void run_bag_suite(const BenchOptions& options);

}  // namespace tessera::bench

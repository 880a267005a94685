#pragma once
// The `overhead` suite: scheduler cost per task (W1: a 100,000- or
// 10,000-leaf delayed tree reduction, fan-in 16) and futures (W2:
// client.map over 20,000 items, then gather).
#include "tools/bench/bench_report.hpp"

namespace tessera::bench {

void run_overhead_suite(const BenchOptions& options);

}  // namespace tessera::bench

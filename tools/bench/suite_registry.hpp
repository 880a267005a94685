#pragma once
// Benchmark suites by name. Each suite registers itself from its own file
// (`TESSERA_BENCH_SUITE("array", run_array_suite)`), so adding a suite never
// touches main.cpp. The suites are compiled into the tessera program itself,
// so their static registrations are never dropped by the linker.
#include <string>
#include <vector>

#include "tools/bench/bench_report.hpp"

namespace tessera::bench {

using SuiteFn = void (*)(const BenchOptions&);

/// Registers a suite; returns true (for static initialisers).
bool register_suite(const std::string& name, SuiteFn fn);
/// Runs the named suite; throws ValueError naming the known suites otherwise.
void run_suite(const std::string& name, const BenchOptions& options);
/// Registered suite names, sorted.
std::vector<std::string> suite_names();

}  // namespace tessera::bench

#define TESSERA_BENCH_SUITE_CAT2(a, b) a##b
#define TESSERA_BENCH_SUITE_CAT(a, b) TESSERA_BENCH_SUITE_CAT2(a, b)
#define TESSERA_BENCH_SUITE(name, fn)                                               \
  static const bool TESSERA_BENCH_SUITE_CAT(tessera_bench_suite_, __LINE__) = \
      ::tessera::bench::register_suite(name, fn)

#pragma once
// The chaos suite's scenarios: a seeded random graph of the test plugin's
// functions, run on a scheduler and three worker processes with faults
// injected (`--fault`, actors/fault/fault_spec.hpp), every result checked
// against the synchronous executor run in this process.
//
// Scenario kinds (each seed draws its parameters):
//   kill       the workers exit abruptly after a few tasks each; the test
//              starts a replacement for each (without faults), as a nanny would
//   fail       tasks whose key matches a pattern fail: every output that
//              depends on one errs with TaskError naming a matching key
//   delay      messages delayed and duplicated, by the scheduler and workers
//   drop       workers drop messages; a lost one resets the worker's link
//   cut        one worker stops for 3 s: declared lost, it registers again
//   combined   a random mix of the above
// After each run: no key is left on the scheduler or the workers once the
// futures are gone, and no process ended unexpectedly.
#include <cstdint>
#include <string>
#include <vector>

#include "collections/delayed/delayed.hpp"

namespace tessera::chaos {

enum class Kind { kill, fail, delay, drop, cut, combined };
std::string kind_name(Kind kind);

/// A random DAG: roots dist.slow_inc(i, ms), then layers of slow_inc, add
/// and sum over earlier tasks. `outputs`: the last layer and some others.
struct ChaosGraph {
  std::vector<Delayed<std::int64_t>> outputs;
  std::size_t tasks = 0;
};
ChaosGraph random_graph(std::uint64_t seed);

struct Scenario {
  Kind kind = Kind::combined;
  std::uint64_t seed = 0;
  std::string scheduler_fault;             // "" : none
  std::vector<std::string> worker_faults;  // one per worker ("": none)
  std::vector<std::string> fail_patterns;  // the fail= globs the workers use
  double worker_timeout = 5.0;             // the scheduler's --worker-timeout
  bool has_cut = false;                    // some worker gets cut off
  /// What to run this scenario again by hand.
  std::string describe() const;
};
Scenario make_scenario(Kind kind, std::uint64_t seed);

/// Runs one scenario (gtest assertions inside).
void run_scenario(const Scenario& scenario);

/// Seeds to run: TESSERA_CHAOS_SEED=k runs only seed k; otherwise seeds
/// 1..TESSERA_CHAOS_SEEDS (default 5).
std::vector<std::uint64_t> chaos_seeds();

}  // namespace tessera::chaos

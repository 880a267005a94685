// The chaos suite (ctest label `chaos`; a bounded subset has label
// `chaos-ci` and runs in ./test): each test runs its kind of scenario for
// every seed of chaos_seeds() over real processes, with faults injected, and
// checks every result against the synchronous executor. See
// chaos_scenario.hpp. To run one seed by hand:
//   TESSERA_CHAOS_SEED=3 build/tests/test_chaos --gtest_filter='Chaos.Cut'
#include <gtest/gtest.h>

#include "tests/chaos/chaos_scenario.hpp"

namespace tessera::chaos {
namespace {

void run_all(Kind kind) {
  for (auto seed : chaos_seeds()) {
    run_scenario(make_scenario(kind, seed));
    if (::testing::Test::HasFailure()) return;  // one failing seed is enough to read
  }
}

TEST(Chaos, KillAfterNTasks) { run_all(Kind::kill); }
TEST(Chaos, FailingKeyPattern) { run_all(Kind::fail); }
TEST(Chaos, DelayedAndDuplicatedMessages) { run_all(Kind::delay); }
TEST(Chaos, DroppedMessages) { run_all(Kind::drop); }
TEST(Chaos, WorkerCutOff) { run_all(Kind::cut); }
TEST(Chaos, Combined) { run_all(Kind::combined); }

// The scenarios are a function of the seed alone (reproducible runs), and
// every one parses (make_scenario checks the specs).
TEST(ChaosScenarios, AreReproducibleFromTheSeed) {
  for (auto kind : {Kind::kill, Kind::fail, Kind::delay, Kind::drop, Kind::cut, Kind::combined})
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
      auto a = make_scenario(kind, seed), b = make_scenario(kind, seed);
      EXPECT_EQ(a.describe(), b.describe());
      EXPECT_EQ(a.fail_patterns, b.fail_patterns);
      EXPECT_EQ(random_graph(seed).tasks, random_graph(seed).tasks);
    }
  EXPECT_NE(make_scenario(Kind::combined, 1).describe(), make_scenario(Kind::combined, 2).describe());
}

}  // namespace
}  // namespace tessera::chaos

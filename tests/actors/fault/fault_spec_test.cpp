// The fault spec parser: every item, the canonical text, and an error that
// names the spec, the item and the problem for each kind of bad input.
#include <gtest/gtest.h>

#include "actors/fault/fault_spec.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors::fault {
namespace {

using namespace std::chrono_literals;

std::string error_of(std::string_view spec, Role role = Role::worker) {
  try {
    parse_fault_spec(spec, role);
  } catch (const ValueError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FaultSpec, ParsesEveryItem) {
  auto s = parse_fault_spec(
      " seed=42; drop=0.01 ;duplicate=0.5; delay=0.25:30ms; kill-after=12; fail=dist.add-*; fail=x-?; "
      "cut=1.5s; cut-after=3;",
      Role::worker);
  EXPECT_EQ(s.seed, 42u);
  EXPECT_DOUBLE_EQ(s.drop, 0.01);
  EXPECT_DOUBLE_EQ(s.duplicate, 0.5);
  EXPECT_DOUBLE_EQ(s.delay, 0.25);
  EXPECT_EQ(s.max_delay, 30ms);
  EXPECT_EQ(s.kill_after, 12u);
  EXPECT_EQ(s.fail, (std::vector<std::string>{"dist.add-*", "x-?"}));
  EXPECT_EQ(s.cut, 1500ms);
  EXPECT_EQ(s.cut_after, 3u);
  EXPECT_FALSE(s.empty());
}

TEST(FaultSpec, DefaultsInjectNothing) {
  auto s = parse_fault_spec("", Role::worker);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.seed, 1u);
  EXPECT_TRUE(parse_fault_spec("seed=9", Role::scheduler).empty());
  EXPECT_TRUE(parse_fault_spec(" ; ;", Role::worker).empty());
}

TEST(FaultSpec, CanonicalTextParsesBackToTheSameSpec) {
  for (const char* text : {"seed=7;drop=0.125;delay=1:250us", "kill-after=5;fail=a*;fail=b;cut=2s;cut-after=4",
                           "seed=3;duplicate=0.3333333333333333;delay=0.5:1500ms"}) {
    auto s = parse_fault_spec(text, Role::worker);
    EXPECT_EQ(parse_fault_spec(s.str(), Role::worker), s) << text << " -> " << s.str();
  }
  EXPECT_EQ(parse_fault_spec("delay=0.5:1500ms", Role::worker).str(), "seed=1;delay=0.5:1500ms");
}

TEST(FaultSpec, DurationsNeedAKnownUnit) {
  EXPECT_EQ(parse_fault_duration("250us"), 250us);
  EXPECT_EQ(parse_fault_duration("30ms"), 30ms);
  EXPECT_EQ(parse_fault_duration("1.5s"), 1500ms);
  EXPECT_NE(error_of("delay=0.1:30").find("needs a unit"), std::string::npos) << error_of("delay=0.1:30");
  EXPECT_NE(error_of("cut=3m").find("unknown unit \"m\""), std::string::npos) << error_of("cut=3m");
  EXPECT_NE(error_of("cut=soon").find("not a duration"), std::string::npos) << error_of("cut=soon");
}

TEST(FaultSpec, ErrorsNameTheSpecTheItemAndTheProblem) {
  auto e = error_of("seed=1;drop=1.5");
  EXPECT_NE(e.find("fault spec \"seed=1;drop=1.5\""), std::string::npos) << e;
  EXPECT_NE(e.find("item \"drop=1.5\""), std::string::npos) << e;
  EXPECT_NE(e.find("between 0 and 1"), std::string::npos) << e;

  e = error_of("explode=1");
  EXPECT_NE(e.find("unknown fault \"explode\""), std::string::npos) << e;
  EXPECT_NE(e.find("kill-after"), std::string::npos) << e;  // lists the known names

  EXPECT_NE(error_of("drop=often").find("must be a number"), std::string::npos);
  EXPECT_NE(error_of("drop").find("expected name=value"), std::string::npos);
  EXPECT_NE(error_of("drop=").find("no value"), std::string::npos);
  EXPECT_NE(error_of("delay=30ms").find("delay=PROBABILITY:MAX_DELAY"), std::string::npos);
  EXPECT_NE(error_of("kill-after=0").find("at least 1"), std::string::npos);
  EXPECT_NE(error_of("kill-after=-2").find("whole number"), std::string::npos);
  EXPECT_NE(error_of("seed=1;seed=2").find("given twice"), std::string::npos);
  EXPECT_NE(error_of("cut-after=3").find("cut-after needs cut"), std::string::npos);
  EXPECT_NE(error_of("cut=0s").find("longer than 0"), std::string::npos);
}

TEST(FaultSpec, SchedulerTakesOnlyMessageFaults) {
  auto s = parse_fault_spec("seed=2;delay=0.1:5ms;duplicate=0.2", Role::scheduler);
  EXPECT_DOUBLE_EQ(s.duplicate, 0.2);
  for (const char* item : {"drop=0.1", "kill-after=3", "fail=x*", "cut=1s"}) {
    auto e = error_of(item, Role::scheduler);
    EXPECT_NE(e.find("applies to workers only"), std::string::npos) << item << ": " << e;
  }
}

}  // namespace
}  // namespace tessera::actors::fault

// Bag sources and element-wise operations, with registered functions and
// lambdas, on the sync executor and the threads cluster.
#include "tests/collections/bag/bag_test_util.hpp"

namespace tessera::bag::test {
namespace {

std::int64_t triple(std::int64_t x) { return 3 * x; }
bool is_odd(std::int64_t x) { return x % 2 != 0; }
std::int64_t add2(std::int64_t a, std::int64_t b) { return a + b; }
TESSERA_FUNCTION_AS(triple, "bagtest.triple");
TESSERA_FUNCTION_AS(is_odd, "bagtest.is_odd");
TESSERA_FUNCTION_AS(add2, "bagtest.add2");

TEST(Bag, FromSequencePartitioning) {
  auto seq = ints(0, 10);
  auto b = from_sequence(seq, {.npartitions = 3});  // 4 + 4 + 2
  EXPECT_EQ(b.npartitions(), 3);
  EXPECT_EQ(from_sequence(seq, {.partition_size = 3}).npartitions(), 4);
  EXPECT_EQ(from_sequence(seq, {.npartitions = 20}).npartitions(), 10);
  EXPECT_EQ(from_sequence(std::vector<Value>{}).npartitions(), 1);
  EXPECT_EQ(from_sequence(seq, {.npartitions = 3}).name(), b.name());  // deterministic
  EXPECT_NE(from_sequence(ints(0, 11), {.npartitions = 3}).name(), b.name());
  EXPECT_THROW(from_sequence(seq, {.npartitions = 2, .partition_size = 2}), ValueError);
  EXPECT_THROW(range(5, 0), ValueError);
}

TEST(Bag, RegisteredFunctionsStayRegisteredLambdasDoNot) {
  auto b = from_sequence(ints(0, 4), {.npartitions = 2});
  auto reg = b.map(&triple);
  EXPECT_TRUE(reg.layer()->tasks[0].fn->registered);
  EXPECT_EQ(reg.layer()->tasks[0].fn->name, "bag.map_partition");
  EXPECT_EQ(reg.name(), b.map("bagtest.triple").name());  // same expression, same key
  auto local = b.map([](std::int64_t x) { return x + 1; });
  EXPECT_FALSE(local.layer()->tasks[0].fn->registered);
  EXPECT_NE(Registry::global().find("bag.count_chunk"), nullptr);
  EXPECT_NE(Registry::global().find("json_loads"), nullptr);
}

// A pipeline of registered functions only can go to remote workers: every
// task calls a registered built-in; a lambda anywhere makes that task local.
TEST(Bag, RegisteredPipelinesHoldOnlyRegisteredTasks) {
  auto all_registered = [](const HighLevelGraph& g) {
    TaskGraph tg = g.materialize();
    for (std::int32_t i = 0; i < static_cast<std::int32_t>(tg.size()); ++i)
      if (tg.task(i).fn && !tg.task(i).fn->registered) return false;
    return true;
  };
  auto b = range(100, 7).map(&triple).filter("bagtest.is_odd");
  EXPECT_TRUE(all_registered(b.frequencies(true).graph()));
  EXPECT_TRUE(all_registered(b.topk(3, BagFunction("bagtest.triple")).graph()));
  EXPECT_TRUE(all_registered(HighLevelGraph({b.fold(&add2).layer()})));
  EXPECT_TRUE(all_registered(HighLevelGraph({b.mean(2).layer()})));
  EXPECT_FALSE(all_registered(b.topk(3, [](std::int64_t x) { return -x; }).graph()));
}

TEST_P(BagOn, SequenceAndRange) {
  EXPECT_EQ(from_sequence(ints(0, 10), {.npartitions = 3}).compute(on()), ints(0, 10));
  EXPECT_EQ(from_sequence(std::vector<Value>{}).compute(on()), ValueList{});
  EXPECT_EQ(from_sequence(std::vector<std::string>{"a", "b"}).compute(on()), (ValueList{"a", "b"}));
  auto r = range(10, 3);
  EXPECT_EQ(r.npartitions(), 3);
  EXPECT_EQ(r.compute(on()), ints(0, 10));
  EXPECT_EQ(range(2, 5).compute(on()), ints(0, 2));  // three empty partitions
}

TEST_P(BagOn, MapFilterRegisteredAndLambda) {
  auto b = from_sequence(ints(0, 25), {.partition_size = 4});
  ValueList tripled, odd, shifted;
  for (std::int64_t i = 0; i < 25; ++i) {
    tripled.emplace_back(3 * i);
    if (i % 2) odd.emplace_back(i);
    shifted.emplace_back(i * 100 + 7);
  }
  EXPECT_EQ(b.map(&triple).compute(on()), tripled);
  EXPECT_EQ(b.map("bagtest.triple").compute(on()), tripled);
  EXPECT_EQ(b.map([](std::int64_t x) { return 3 * x; }).compute(on()), tripled);
  EXPECT_EQ(b.filter(&is_odd).compute(on()), odd);
  EXPECT_EQ(b.filter([](const Value& x) { return x.as_int() % 2; }).compute(on()), odd);
  EXPECT_EQ(b.map(&add2, {Value(7)}).map([](std::int64_t x) { return x * 100 - 693; }).compute(on()), shifted);
  // Everything filtered out of some partitions: later steps see empty lists.
  auto sparse = b.filter([](std::int64_t x) { return x >= 22; }).map(&triple);
  EXPECT_EQ(sparse.compute(on()), (ValueList{66, 69, 72}));
}

TEST_P(BagOn, MapPartitionsStarmapFlatten) {
  auto b = from_sequence(ints(0, 9), {.npartitions = 3});
  auto sums = b.map_partitions([](const ValueList& part) {
    std::int64_t s = 0;
    for (const auto& x : part) s += x.as_int();
    return ValueList{Value(s)};
  });
  EXPECT_EQ(sums.compute(on()), (ValueList{3, 12, 21}));
  auto pairs = from_sequence(std::vector<Value>{ValueList{1, 2}, ValueList{3, 4}, ValueList{5, 6}}, {.npartitions = 2});
  EXPECT_EQ(pairs.starmap(&add2).compute(on()), (ValueList{3, 7, 11}));
  EXPECT_EQ(pairs.starmap([](std::int64_t a, std::int64_t b) { return a * b; }).compute(on()), (ValueList{2, 12, 30}));
  auto nested = from_sequence(std::vector<Value>{ValueList{1, 2}, ValueList{}, ValueList{3}}, {.npartitions = 3});
  EXPECT_EQ(nested.flatten().compute(on()), (ValueList{1, 2, 3}));
  auto bad = b.map_partitions([](const ValueList&) { return Value(1); });
  EXPECT_NE(error_of([&] { bad.compute(on()); }).find("must return a list"), std::string::npos);
}

TEST_P(BagOn, Pluck) {
  ValueDict alice{{"name", "alice"}, {"age", 30}};
  ValueDict bob{{"name", "bob"}};
  auto records = from_sequence(std::vector<Value>{alice, bob, alice}, {.npartitions = 2});
  EXPECT_EQ(records.pluck("name").compute(on()), (ValueList{"alice", "bob", "alice"}));
  EXPECT_EQ(records.pluck("age", Value(-1)).compute(on()), (ValueList{30, -1, 30}));
  std::string err = error_of([&] { records.pluck("age").compute(on()); });
  EXPECT_NE(err.find("key 'age' not found"), std::string::npos) << err;
  EXPECT_NE(err.find("'bob'"), std::string::npos) << err;  // shows the record
  auto rows = from_sequence(std::vector<Value>{ValueList{1, "a"}, ValueList{2}}, {.npartitions = 1});
  EXPECT_EQ(rows.pluck(0).compute(on()), (ValueList{1, 2}));
  EXPECT_EQ(rows.pluck(-1).compute(on()), (ValueList{"a", 2}));
  EXPECT_EQ(rows.pluck(1, Value()).compute(on()), (ValueList{"a", Value()}));
  EXPECT_NE(error_of([&] { rows.pluck(1).compute(on()); }).find("index 1 out of range"), std::string::npos);
}

TEST_P(BagOn, StringHelpers) {
  auto b = from_sequence(std::vector<std::string>{"  Hello World  ", "", "ÉTÉ Déjà\t", "a,b,,c"}, {.npartitions = 2});
  EXPECT_EQ(b.str_strip().compute(on()), (ValueList{"Hello World", "", "ÉTÉ Déjà", "a,b,,c"}));
  EXPECT_EQ(b.str_lower().compute(on()), (ValueList{"  hello world  ", "", "ÉtÉ déjà\t", "a,b,,c"}));
  EXPECT_EQ(b.str_upper().str_strip().compute(on()), (ValueList{"HELLO WORLD", "", "ÉTÉ DéJà", "A,B,,C"}));
  EXPECT_EQ(b.str_split().compute(on()),
            (ValueList{ValueList{"Hello", "World"}, ValueList{}, ValueList{"ÉTÉ", "Déjà"}, ValueList{"a,b,,c"}}));
  EXPECT_EQ(b.str_split(",").compute(on())[3], (Value(ValueList{"a", "b", "", "c"})));
  EXPECT_EQ(b.str_split(",", 1).compute(on())[3], (Value(ValueList{"a", "b,,c"})));
  EXPECT_EQ(b.str_strip(" Hd").compute(on())[0], Value("ello Worl"));
}

TEST_P(BagOn, JsonLoads) {
  auto lines = from_sequence(std::vector<std::string>{R"({"a": 1, "b": [true, null, 2.5], "c": "é"})", "[1, -2]", "17"},
                             {.npartitions = 2});
  ValueList want{ValueDict{{"a", 1}, {"b", ValueList{true, Value(), 2.5}}, {"c", "é"}}, ValueList{1, -2}, Value(17)};
  EXPECT_EQ(lines.map("json_loads").compute(on()), want);
  auto bad = from_sequence(std::vector<std::string>{"{\"a\": }"});
  std::string err = error_of([&] { bad.map("json_loads").compute(on()); });
  EXPECT_NE(err.find("json_loads: invalid JSON at byte"), std::string::npos) << err;
}

TEST_P(BagOn, TakeComputesOnlyWhatItNeeds) {
  // Partitions 2 and 3 fail: take() must never compute them.
  auto b = from_sequence(ints(0, 12), {.npartitions = 4}).map([](std::int64_t x) {
    if (x >= 6) throw std::runtime_error("partition computed");
    return x;
  });
  EXPECT_EQ(b.take(2, on()), ints(0, 2));
  EXPECT_EQ(b.take(5, on()), ints(0, 5));  // partitions 0 and 1
  EXPECT_NE(error_of([&] { b.take(7, on()); }).find("partition computed"), std::string::npos);
  // Empty leading partitions: take() moves on to later ones.
  auto sparse = from_sequence(ints(0, 20), {.npartitions = 5}).filter([](std::int64_t x) { return x >= 13; });
  EXPECT_EQ(sparse.take(3, on()), ints(13, 16));
  EXPECT_EQ(sparse.take(100, on()), ints(13, 20));
  EXPECT_EQ(sparse.take(0, on()), ValueList{});
}

INSTANTIATE_TEST_SUITE_P(Sched, BagOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::bag::test

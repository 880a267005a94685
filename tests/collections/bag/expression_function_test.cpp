// BagFunction::expression: expression trees (runtime/expr, what the REPL
// compiles a lambda into) as fold / reduction / foldby / map_partitions /
// starmap / topk / groupby functions. Results against plain loops; every
// task of such a graph calls a registered built-in (the tree travels in the
// arguments), so the graph can go to worker processes
// (tests/tools/repl_process_test.cpp runs the same verbs on a real one).
#include <map>

#include "runtime/expr/lambda_expr.hpp"
#include "tests/collections/bag/bag_test_util.hpp"

namespace tessera::bag::test {
namespace {

Value node(std::initializer_list<Value> xs) { return Value(ValueList(xs)); }
Value arg(std::int64_t i) { return node({"arg", Value(i)}); }
Value lit(const Value& v) { return node({"const", v}); }
Value bin(const char* op, Value a, Value b) { return node({"bin", op, std::move(a), std::move(b)}); }

/// lambda a, b: a + b
BagFunction add() { return BagFunction::expression(bin("+", arg(0), arg(1))); }

/// True when every task calls a registered function (or none): the graph can go to another process.
bool portable(const HighLevelGraph& g) {
  TaskGraph tg = g.materialize();
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(tg.size()); ++i)
    if (tg.task(i).fn && !tg.task(i).fn->registered) return false;
  return true;
}

using ExpressionOn = BagOn;

TEST_P(ExpressionOn, FoldAndReduction) {
  auto b = from_sequence(ints(0, 23), {.npartitions = 5});
  auto sum = b.fold(add(), std::nullopt, std::nullopt, 2);
  EXPECT_TRUE(portable(sum.graph()));
  EXPECT_EQ(sum.compute(on()), Value(253));
  // binop counts elements from 0; combine adds the counts.
  auto count = b.fold(BagFunction::expression(bin("+", arg(0), lit(Value(1)))), add(), Value(0), 2);
  EXPECT_EQ(count.compute(on()), Value(23));
  // reduction(lambda part: max(part), lambda maxes: max(maxes)).
  auto max_of = BagFunction::expression(node({"call", "max", arg(0)}));
  auto r = b.reduction(max_of, max_of, 2);
  EXPECT_TRUE(portable(HighLevelGraph({r.layer()})));
  EXPECT_EQ(r.compute(on()), Value(22));
}

TEST_P(ExpressionOn, FoldbyKeysAndCombines) {
  auto b = from_sequence(ints(0, 40), {.npartitions = 4});
  // foldby(lambda x: x % 3, lambda acc, x: acc + x, 0, lambda a, b: a + b, 0)
  GroupKey key(BagFunction::expression(bin("%", arg(0), lit(Value(3)))));
  auto r = b.foldby(key, add(), Value(0), add(), Value(0), 2);
  EXPECT_TRUE(portable(r.graph()));
  std::map<std::int64_t, std::int64_t> want;
  for (std::int64_t i = 0; i < 40; ++i) want[i % 3] += i;
  std::map<std::int64_t, std::int64_t> got;
  for (const auto& pair : r.compute(on())) got[pair.as_list()[0].as_int()] = pair.as_list()[1].as_int();
  EXPECT_EQ(got, want);
  // groupby by the same key: the groups' sizes.
  std::map<std::int64_t, std::int64_t> sizes;
  for (const auto& g : b.groupby(key, 2).compute(on()))
    sizes[g.as_list()[0].as_int()] = static_cast<std::int64_t>(g.as_list()[1].as_list().size());
  EXPECT_EQ(sizes, (std::map<std::int64_t, std::int64_t>{{0, 14}, {1, 13}, {2, 13}}));
}

TEST_P(ExpressionOn, MapPartitionsStarmapTopk) {
  auto b = from_sequence(ints(0, 10), {.npartitions = 3});
  // map_partitions(lambda part: [len(part), sum(part)])
  auto parts = b.map_partitions(
      BagFunction::expression(node({"list", node({"call", "len", arg(0)}), node({"call", "sum", arg(0)})})));
  EXPECT_TRUE(portable(parts.graph()));
  EXPECT_EQ(Value(parts.compute(on())), Value(ValueList{4, 6, 4, 22, 2, 17}));
  // starmap(lambda a, b: a * b) over [i, i + 1] pairs.
  auto pairs = from_sequence(ValueList{ValueList{1, 2}, ValueList{3, 4}, ValueList{5, 6}}, {.npartitions = 2});
  auto products = pairs.starmap(BagFunction::expression(bin("*", arg(0), arg(1))));
  EXPECT_TRUE(portable(products.graph()));
  EXPECT_EQ(Value(products.compute(on())), Value(ValueList{2, 12, 30}));
  // topk(3, lambda x: -x): the three smallest; map with an extra argument.
  auto small = b.topk(3, BagFunction::expression(node({"un", "-", arg(0)})));
  EXPECT_TRUE(portable(small.graph()));
  EXPECT_EQ(Value(small.compute(on())), Value(ValueList{0, 1, 2}));
  auto shifted = b.map(add(), {Value(100)});
  EXPECT_TRUE(portable(shifted.graph()));
  EXPECT_EQ(shifted.take(2, on()), (ValueList{100, 101}));
}

TEST_P(ExpressionOn, ErrorsNameTheTaskAndTheProblem) {
  auto b = from_sequence(ints(0, 4), {.npartitions = 2});
  // fold(lambda a, b: a // (b - 2)): 0 // 0 in the first partition? 0 // (1 - 2) = -1, then the other partition.
  std::string err = error_of([&] {
    b.fold(BagFunction::expression(bin("//", arg(0), bin("-", arg(1), lit(Value(3)))))).compute(on());
  });
  EXPECT_NE(err.find("ZeroDivisionError"), std::string::npos) << err;
  EXPECT_NE(err.find("fold"), std::string::npos) << err;
  // A tree that takes more parameters than the call gives.
  err = error_of([&] { b.map_partitions(BagFunction::expression(arg(1))).compute(on()); });
  EXPECT_NE(err.find("the lambda takes more arguments than the 1 given"), std::string::npos) << err;
}

TEST_P(ExpressionOn, PluckWithNoneDefault) {
  auto b = from_sequence(ValueList{ValueDict{{"k", Value(1)}}, ValueDict{{"j", Value(2)}}}, {.npartitions = 2});
  EXPECT_EQ(Value(b.pluck(Value("k"), Value()).compute(on())), Value(ValueList{Value(1), Value()}));
  std::string err = error_of([&] { b.pluck(Value("k")).compute(on()); });
  EXPECT_NE(err.find("pluck: key 'k' not found"), std::string::npos) << err;
  EXPECT_NE(err.find("give a default"), std::string::npos) << err;
}

INSTANTIATE_TEST_SUITE_P(Sched, ExpressionOn, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::bag::test

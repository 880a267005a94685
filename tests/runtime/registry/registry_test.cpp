// The function registry and make_function (runtime/registry/*.hpp).
#include "runtime/registry/registry.hpp"

#include <gtest/gtest.h>

#include "tests/support/error_of.hpp"

#include <algorithm>
#include <atomic>

#include "runtime/util/error.hpp"

namespace tessera {

// Registered under their own C++ names, at start-up.
std::int64_t test_registry_inc(std::int64_t x) { return x + 1; }
std::int64_t test_registry_add(std::int64_t a, std::int64_t b) { return a + b; }
double test_registry_scale(double x, double k) { return x * k; }
std::int64_t test_registry_mul(std::int64_t a, std::int64_t b) { return a * b; }
std::int64_t test_registry_unregistered(std::int64_t a) { return a; }
TESSERA_FUNCTION(test_registry_inc);
TESSERA_FUNCTION(test_registry_add);
TESSERA_FUNCTION(test_registry_scale);
TESSERA_FUNCTION_AS(test_registry_mul, "test.registry.mul");

namespace {

using tessera::testing::error_of;

Value call(const FunctionPtr& fn, std::vector<Value> args) { return fn->call(args); }

TEST(Registry, MacroRegistersAtStartUp) {
  auto inc = Registry::global().find("test_registry_inc");
  ASSERT_NE(inc, nullptr);
  EXPECT_EQ(inc->name, "test_registry_inc");
  EXPECT_TRUE(inc->registered);
  EXPECT_EQ(inc->arity, 1);
  EXPECT_EQ(inc->signature, "test_registry_inc(int64) -> int64");
  EXPECT_EQ(call(inc, {Value(41)}), Value(42));
  auto mul = Registry::global().get("test.registry.mul");
  EXPECT_EQ(mul->name, "test.registry.mul");
  EXPECT_EQ(call(mul, {Value(6), Value(7)}), Value(42));
  EXPECT_EQ(Registry::global().get("test_registry_scale")->signature,
            "test_registry_scale(float64, float64) -> float64");
  EXPECT_EQ(call(Registry::global().get("test_registry_scale"), {Value(2), Value(1.5)}), Value(3.0));
}

TEST(Registry, FindAddress) {
  auto fn = Registry::global().find_address(reinterpret_cast<const void*>(&test_registry_mul));
  ASSERT_NE(fn, nullptr);
  EXPECT_EQ(fn->name, "test.registry.mul");
  EXPECT_EQ(Registry::global().find_address(reinterpret_cast<const void*>(&test_registry_unregistered)), nullptr);
}

TEST(Registry, DuplicateNamesAreRefused) {
  EXPECT_THROW(register_function("test_registry_inc", &test_registry_add), ValueError);
  EXPECT_EQ(error_of([] { register_function("test_registry_inc", &test_registry_add); }),
            "a function named 'test_registry_inc' is registered already");
  // The first registration stands.
  EXPECT_EQ(call(Registry::global().get("test_registry_inc"), {Value(1)}), Value(2));
}

TEST(Registry, LocalFunctionsCannotBeRegistered) {
  Registry r;
  auto local = make_function("local", [](std::int64_t x) { return x; });
  EXPECT_FALSE(local->registered);
  EXPECT_THROW(r.add(local), ValueError);
}

TEST(Registry, FindAndGet) {
  Registry r;
  r.add(make_function("array.sum_chunk", [](std::int64_t x) { return x; }, true));
  r.add(make_function("array.max_chunk", [](std::int64_t x) { return x; }, true));
  r.add(make_function("bag.map", [](std::int64_t x) { return x; }, true));
  EXPECT_NE(r.find("bag.map"), nullptr);
  EXPECT_EQ(r.find("bag.mop"), nullptr);
  EXPECT_EQ(r.get("array.sum_chunk")->name, "array.sum_chunk");
  EXPECT_THROW(r.get("array.sum_chunkz"), KeyError);
  EXPECT_EQ(error_of([&] { r.get("array.sum_chunkz"); }),
            "no function named 'array.sum_chunkz' is registered (did you mean 'array.sum_chunk', "
            "'array.max_chunk'?); register it with TESSERA_FUNCTION in every process of the cluster");
  EXPECT_EQ(error_of([&] { r.get("zzzzzzzzzzzzzzzzzzzzzz"); }),
            "no function named 'zzzzzzzzzzzzzzzzzzzzzz' is registered; register it with "
            "TESSERA_FUNCTION in every process of the cluster");
  EXPECT_EQ(r.nearest("bag.mop"), (std::vector<std::string>{"bag.map"}));
}

TEST(Registry, AliasesAndNames) {
  Registry r;
  r.add(make_function("b.inc", [](std::int64_t x) { return x + 1; }, true));
  r.add(make_function("a.neg", [](std::int64_t x) { return -x; }, true));
  r.add_alias("c.increment", "b.inc");
  EXPECT_EQ(r.get("c.increment"), r.get("b.inc"));
  EXPECT_EQ(r.names(), (std::vector<std::string>{"a.neg", "b.inc", "c.increment"}));
  EXPECT_THROW(r.add_alias("a.neg", "b.inc"), ValueError);  // name taken
  EXPECT_THROW(r.add_alias("d", "nope"), KeyError);        // target unknown
}

TEST(MakeFunction, WrongArityNamesTheFunctionAndCounts) {
  auto add = Registry::global().get("test_registry_add");
  EXPECT_THROW(call(add, {Value(1)}), TypeError);
  EXPECT_EQ(error_of([&] { call(add, {Value(1)}); }),
            "test_registry_add() takes 2 arguments but 1 was given");
  EXPECT_EQ(error_of([&] { call(add, {Value(1), Value(2), Value(3)}); }),
            "test_registry_add() takes 2 arguments but 3 were given");
  auto inc = Registry::global().get("test_registry_inc");
  EXPECT_EQ(error_of([&] { call(inc, {}); }), "test_registry_inc() takes 1 argument but 0 were given");
}

TEST(MakeFunction, WrongArgumentTypeNamesFunctionAndIndex) {
  auto add = Registry::global().get("test_registry_add");
  EXPECT_THROW(call(add, {Value(1), Value("x")}), TypeError);
  EXPECT_EQ(error_of([&] { call(add, {Value(1), Value("x")}); }),
            "test_registry_add() argument 2 must be int64: expected int64, got string 'x'");
  EXPECT_EQ(error_of([&] { call(add, {Value(1.5), Value(1)}); }),
            "test_registry_add() argument 1 must be int64: expected int64, got float64 1.5");
}

TEST(MakeFunction, VoidFunctionsReturnNone) {
  std::atomic<std::int64_t> total{0};
  auto fn = make_function("accumulate", [&](std::int64_t x) { total += x; });
  EXPECT_EQ(fn->signature, "accumulate(int64) -> none");
  EXPECT_TRUE(call(fn, {Value(5)}).is_none());
  EXPECT_TRUE(call(fn, {Value(6)}).is_none());
  EXPECT_EQ(total.load(), 11);
}

TEST(MakeFunction, ContainerConversions) {
  auto sum = make_function("sum", [](const std::vector<double>& xs) {
    double s = 0;
    for (double x : xs) s += x;
    return s;
  });
  EXPECT_EQ(sum->signature, "sum(list) -> float64");
  EXPECT_EQ(call(sum, {Value(ValueList{Value(1), Value(2.5), Value(3)})}), Value(6.5));
  EXPECT_NE(error_of([&] { call(sum, {Value(ValueList{Value(1), Value("two")})}); })
                .find("sum() argument 1 must be list: expected float64, got string 'two'"),
            std::string::npos);

  auto keys = make_function("keys", [](std::map<std::string, std::int64_t> m) {
    std::vector<std::string> out;
    for (auto& [k, v] : m) out.push_back(k + "=" + std::to_string(v));
    return out;
  });
  EXPECT_EQ(call(keys, {Value(ValueDict{{"b", Value(2)}, {"a", Value(1)}})}),
            Value(ValueList{Value("a=1"), Value("b=2")}));

  auto mk = make_function("mk", [](std::int64_t n) {
    std::map<std::string, std::vector<std::int64_t>> m;
    for (std::int64_t i = 0; i < n; ++i) m["k" + std::to_string(i)] = std::vector<std::int64_t>(i, i);
    return m;
  });
  EXPECT_EQ(call(mk, {Value(3)}),
            Value(ValueDict{{"k0", Value(ValueList{})},
                            {"k1", Value(ValueList{Value(1)})},
                            {"k2", Value(ValueList{Value(2), Value(2)})}}));

  auto strlen = make_function("strlen", [](const std::string& s) { return static_cast<int>(s.size()); });
  EXPECT_EQ(call(strlen, {Value("hello")}), Value(5));
  auto first = make_function("first", [](const NDArray& a) { return a.values<double>()[0]; });
  EXPECT_EQ(call(first, {Value(NDArray::from_vector(std::vector<double>{9, 8}))}), Value(9.0));
  auto rows = make_function("rows", [](const Table& t) { return t.num_rows(); });
  EXPECT_EQ(call(rows, {Value(Table({Column::from_int64("a", {1, 2, 3})}))}), Value(3));
  auto any = make_function("kind", [](const Value& v) { return std::string(kind_name(v.kind())); });
  EXPECT_EQ(any->signature, "kind(any) -> string");
  EXPECT_EQ(call(any, {Value()}), Value("none"));
}

TEST(MakeFunction, VariadicFunctionsTakeASpan) {
  auto cat = make_function("cat", [](std::span<const Value> args) -> Value {
    std::string s;
    for (const auto& a : args) s += a.repr();
    return Value(s);
  });
  EXPECT_EQ(cat->arity, -1);
  EXPECT_EQ(cat->signature, "cat(*args) -> any");
  EXPECT_EQ(call(cat, {}), Value(""));
  EXPECT_EQ(call(cat, {Value(1), Value("a"), Value()}), Value("1'a'None"));
}

TEST(Invoke, WrapsFailuresWithTheFunctionName) {
  auto boom = make_function("boom", [](std::int64_t) -> std::int64_t { throw std::runtime_error("bad input"); });
  std::vector<Value> args{Value(1)};
  try {
    invoke(*boom, args);
    FAIL();
  } catch (const FunctionFailure& f) {
    EXPECT_EQ(f.function(), "boom");
    EXPECT_EQ(f.message(), "bad input");
    EXPECT_STREQ(f.what(), "boom: bad input");
  }
  std::vector<Value> none;
  try {
    invoke(*boom, none);
    FAIL();
  } catch (const FunctionFailure& f) {
    EXPECT_EQ(f.message(), "boom() takes 1 argument but 0 were given");
  }
}

}  // namespace
}  // namespace tessera

// Deterministic tokens (runtime/graph/tokenize.hpp).
#include "runtime/graph/tokenize.hpp"

#include <gtest/gtest.h>

#include <set>

#include "runtime/value/value.hpp"

namespace tessera {
namespace {

TEST(Tokenize, IsDeterministic) {
  EXPECT_EQ(tokenize("inc", 1), tokenize("inc", 1));
  EXPECT_EQ(tokenize(std::string("inc"), std::int64_t{1}), tokenize("inc", 1));
  EXPECT_EQ(tokenize(Value(ValueList{Value(1), Value("a")})), tokenize(Value(ValueList{Value(1), Value("a")})));
}

TEST(Tokenize, KnownToken) {
  // Computed once with XXH3-64 over the tagged parts; a change here means
  // every key of every stored graph and cache changes too.
  EXPECT_EQ(tokenize("inc", std::int64_t{1}, 2.5), "22dd5ab29079978d");
}

TEST(Tokenize, FormIsSixteenHexDigits) {
  auto t = tokenize("x");
  ASSERT_EQ(t.size(), 16u);
  for (char c : t) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << t;
}

TEST(Tokenize, DifferentPartsDiffer) {
  EXPECT_NE(tokenize("ab", "c"), tokenize("a", "bc"));
  EXPECT_NE(tokenize("abc"), tokenize("ab", "c"));
  EXPECT_NE(tokenize("inc", 1), tokenize("inc", 2));
  EXPECT_NE(tokenize("1"), tokenize(1));           // string vs integer
  EXPECT_NE(tokenize(1), tokenize(1.0));           // integer vs float
  EXPECT_NE(tokenize(1), tokenize(Value(1)));      // raw part vs value
  EXPECT_NE(tokenize("a", 1), tokenize(1, "a"));   // order matters
  EXPECT_NE(tokenize(), tokenize(""));
}

TEST(Tokenize, ValuesOfEveryKind) {
  std::vector<Value> values{
      Value(),
      Value(true),
      Value(false),
      Value(1),
      Value(1.0),
      Value("1"),
      Value(ValueList{}),
      Value(ValueList{Value(1)}),
      Value(ValueList{Value(ValueList{Value(1)})}),
      Value(ValueDict{}),
      Value(ValueDict{{"1", Value(1)}}),
      Value::bytes(std::string_view("1")),
      Value(NDArray::from_vector(std::vector<std::int64_t>{1})),
      Value(NDArray::from_vector(std::vector<double>{1})),
      Value(NDArray(DType::int64, {1, 1}, NDArray::from_vector(std::vector<std::int64_t>{1}).buffer())),
      Value(NDArray::from_vector(std::vector<double>{2})),
      Value(Table({Column::from_int64("a", {1})})),
      Value(Table({Column::from_int64("b", {1})})),
      Value(Table({Column::from_int64("a", {2})})),
      Value(Table({Column::from_int64("a", {1})}, "a")),
      Value(Table({Column::from_strings("a", {"x", "y"})})),
      Value(Table({Column::from_strings("a", {"xy", ""})})),
  };
  std::set<std::string> tokens;
  for (const auto& v : values) tokens.insert(tokenize(v));
  EXPECT_EQ(tokens.size(), values.size()) << "two different values share a token";
  // Equal content gives the same token, whatever the buffers.
  EXPECT_EQ(tokenize(Value(NDArray::from_vector(std::vector<double>{1, 2, 3}))),
            tokenize(Value(NDArray::from_vector(std::vector<double>{1, 2, 3}))));
  EXPECT_EQ(tokenize(Value(Table({Column::from_strings("s", {"a"})}))),
            tokenize(Value(Table({Column::from_strings("s", {"a"})}))));
}

TEST(Tokenize, IncrementalEqualsVariadic) {
  Tokenizer t;
  t.add("a").add(std::int64_t{2}).add(3.5).add(Value("v"));
  EXPECT_EQ(t.hex(), tokenize("a", 2, 3.5, Value("v")));
}

TEST(Tokenize, UniqueTokensDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(unique_token());
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace tessera

// FrequencyTable: first-seen order, strings and other values in one order,
// partials that merge in order, 1 == 1.0.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "collections/bag/frequency_table.hpp"
#include "tests/support/error_of.hpp"

namespace tessera::bag {
namespace {

TEST(FrequencyTable, CountsInFirstSeenOrder) {
  FrequencyTable t;
  for (const Value& v : ValueList{"b", 1, "a", "b", 1.0, Value(), ValueList{1, "x"}, "日本", 2.5, ValueList{1.0, "x"}, ""})
    t.add(v);
  ValueList want{ValueList{"b", 2}, ValueList{1, 2}, ValueList{"a", 1}, ValueList{Value(), 1},
                 ValueList{ValueList{1, "x"}, 2}, ValueList{"日本", 1}, ValueList{2.5, 1}, ValueList{"", 1}};
  EXPECT_EQ(t.to_pairs(), want);
  EXPECT_EQ(FrequencyTable::pairs_of(t.to_partial()), want);
  FrequencyTable merged;  // strings are merged in batches, other values between them
  merged.merge(t.to_partial());
  EXPECT_EQ(merged.to_pairs(), want);
}

TEST(FrequencyTable, MergesPartialsInOrderAndGrows) {
  FrequencyTable a, b;
  for (int i = 0; i < 5000; ++i) a.add(Value("w" + std::to_string(i % 3000)));
  for (int i = 4000; i > 0; --i) b.add(std::string_view("w" + std::to_string(i)));
  b.add(true);
  FrequencyTable m;
  m.merge(a.to_partial());
  m.merge(b.to_partial());
  auto pairs = m.to_pairs();
  ASSERT_EQ(pairs.size(), 4002u);  // w0..w4000 and true
  EXPECT_EQ(pairs[0], Value(ValueList{"w0", 2}));       // in a twice, not in b
  EXPECT_EQ(pairs[1], Value(ValueList{"w1", 3}));       // a twice, b once
  EXPECT_EQ(pairs[2999], Value(ValueList{"w2999", 2}));
  EXPECT_EQ(pairs[3000], Value(ValueList{"w4000", 1})); // first seen in b, which counts down
  EXPECT_EQ(pairs[4001], Value(ValueList{true, 1}));
  std::int64_t total = 0;
  for (const auto& p : pairs) total += p.as_list()[1].as_int();
  EXPECT_EQ(total, 5000 + 4000 + 1);
}

// Strings of every length from 0 to 40 (kept in the slot up to 12 bytes,
// hashed by the short path up to 16), many distinct ones (the table grows
// many times), counted one at a time and in batches: the same counts, in
// first-seen order.
TEST(FrequencyTable, CountsStringsOfEveryLengthAlsoInBatches) {
  std::vector<std::string> words;
  for (int i = 0; i < 60000; ++i) {
    std::string w = std::to_string(i * 7919 % 20011);
    w.resize(static_cast<std::size_t>(i % 41), static_cast<char>('a' + i % 5));
    words.push_back(w);
  }
  FrequencyTable one, batched;
  FrequencyBatch batch(batched);
  for (const auto& w : words) {
    one.add(std::string_view(w));
    batch.add(w);
  }
  batch.flush();
  std::vector<std::string> order;
  std::map<std::string, std::int64_t> want;
  for (const auto& w : words)
    if (want[w]++ == 0) order.push_back(w);
  ValueList pairs = one.to_pairs();
  ASSERT_EQ(pairs.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    ASSERT_EQ(pairs[i], Value(ValueList{order[i], want[order[i]]})) << i;
  EXPECT_EQ(batched.to_pairs(), pairs);
  EXPECT_EQ(FrequencyTable::pairs_of(batched.to_partial()), pairs);
}

TEST(FrequencyTable, RefusesWhatItCannotCount) {
  FrequencyTable t;
  EXPECT_NE(tessera::testing::error_of([&] { t.merge(Value(ValueList{1, 2})); }).find("not a frequencies partial"),
            std::string::npos);
  EXPECT_NE(tessera::testing::error_of([&] { t.merge(Value(ValueList{Value::bytes("abc"), ValueList{}})); })
                .find("truncated"),
            std::string::npos);
}

}  // namespace
}  // namespace tessera::bag

// Key (runtime/graph/key.hpp): canonical forms, parts, invalid names.
#include "runtime/graph/key.hpp"

#include <gtest/gtest.h>

#include <absl/container/flat_hash_set.h>

#include <unordered_set>

#include "runtime/util/error.hpp"

namespace tessera {
namespace {

TEST(Key, PlainForm) {
  Key k("inc-3f2a9c01");
  EXPECT_EQ(k.str(), "inc-3f2a9c01");
  EXPECT_EQ(k.name(), "inc-3f2a9c01");
  EXPECT_EQ(k.prefix(), "inc");
  EXPECT_TRUE(k.index().empty());
  EXPECT_FALSE(k.empty());
  EXPECT_TRUE(Key().empty());
}

TEST(Key, IndexedForm) {
  Key k("x-ab", {0, 4});
  EXPECT_EQ(k.str(), "('x-ab', 0, 4)");
  EXPECT_EQ(k.name(), "x-ab");
  EXPECT_EQ(k.prefix(), "x");
  EXPECT_EQ(k.index(), (std::vector<std::int64_t>{0, 4}));
  Key one("sum-1", {7});
  EXPECT_EQ(one.str(), "('sum-1', 7)");
  EXPECT_EQ(one.index(), (std::vector<std::int64_t>{7}));
  Key big("y", {123456789012, -3, 0});
  EXPECT_EQ(big.str(), "('y', 123456789012, -3, 0)");
  EXPECT_EQ(big.index(), (std::vector<std::int64_t>{123456789012, -3, 0}));
  // An empty index is the plain form.
  EXPECT_EQ(Key("z", {}).str(), "z");
}

TEST(Key, PrefixIsTheNameBeforeTheLastDash) {
  EXPECT_EQ(Key("nodash").prefix(), "nodash");
  EXPECT_EQ(Key("read-csv-0a1b").prefix(), "read-csv");
  EXPECT_EQ(Key("getitem-ff", {1}).prefix(), "getitem");
}

TEST(Key, InvalidNames) {
  EXPECT_THROW(Key(""), ValueError);
  EXPECT_THROW(Key("a'b"), ValueError);
  EXPECT_THROW(Key("a(b"), ValueError);
  EXPECT_THROW(Key("a)b"), ValueError);
  EXPECT_THROW(Key("a,b"), ValueError);
  EXPECT_THROW(Key("", {1}), ValueError);
  EXPECT_THROW(Key("x'", {1}), ValueError);
  try {
    Key("bad,name");
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_STREQ(e.what(), "key name 'bad,name' must not contain quotes, parentheses or commas");
  }
}

TEST(Key, FromStringRoundTrips) {
  for (const Key& k : {Key("a-1"), Key("b-2", {3}), Key("c", {0, 0, 9})}) {
    Key back = Key::from_string(k.str());
    EXPECT_EQ(back, k);
    EXPECT_EQ(back.name(), k.name());
    EXPECT_EQ(back.index(), k.index());
  }
  EXPECT_THROW(Key::from_string(""), ValueError);
}

TEST(Key, ComparisonAndHashing) {
  EXPECT_EQ(Key("a", {1}), Key("a", {1}));
  EXPECT_NE(Key("a", {1}), Key("a", {2}));
  EXPECT_NE(Key("a"), Key("a", {0}));
  EXPECT_LT(Key("a"), Key("b"));
  std::unordered_set<Key> s{Key("a"), Key("a"), Key("a", {1})};
  EXPECT_EQ(s.size(), 2u);
  absl::flat_hash_set<Key> f{Key("a"), Key("a"), Key("b", {1}), Key("b", {1})};
  EXPECT_EQ(f.size(), 2u);
  EXPECT_EQ(std::hash<Key>{}(Key("q", {1})), std::hash<Key>{}(Key::from_string("('q', 1)")));
}

}  // namespace
}  // namespace tessera

// Python's str.split() and str.strip() (results from CPython, by hand).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collections/bag/text_split.hpp"

namespace tessera::bag {
namespace {

std::vector<std::string> words(std::string_view s, std::int64_t maxsplit = -1) {
  std::vector<std::string> out;
  for_each_word(s, maxsplit, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}
using V = std::vector<std::string>;

TEST(TextSplit, SplitsLikePython) {
  EXPECT_EQ(words(""), V{});
  EXPECT_EQ(words(" \t\r\n "), V{});
  EXPECT_EQ(words("  a b  c  "), (V{"a", "b", "c"}));
  // '  a\u3000b\xa0c\x1cd'.split() == ['a', 'b', 'c', 'd']
  EXPECT_EQ(words("  a\u3000b\u00a0c\x1c" "d"), (V{"a", "b", "c", "d"}));
  EXPECT_EQ(words("x\u2028y\u0085z\u2009w\u1680v"), (V{"x", "y", "z", "w", "v"}));
  EXPECT_EQ(words("café 日本 é"), (V{"café", "日本", "é"}));  // U+00E9 and CJK are not spaces
  // '  a b  c  '.split(maxsplit=1) == ['a', 'b  c  ']
  EXPECT_EQ(words("  a b  c  ", 1), (V{"a", "b  c  "}));
  EXPECT_EQ(words("  a b  c  ", 2), (V{"a", "b", "c  "}));
  EXPECT_EQ(words("  a b", 0), (V{"a b"}));
  EXPECT_EQ(words("   ", 0), V{});
}

TEST(TextSplit, StripsLikePython) {
  EXPECT_EQ(python_strip(" \u3000 x\u3000 ", ""), "x");
  EXPECT_EQ(python_strip("xxhixyx", "xy"), "hi");
  EXPECT_EQ(python_strip("éaé", "é"), "a");
  EXPECT_EQ(python_strip("\u00e9a", "\u00e8"), "\u00e9a");  // shares a lead byte only
  EXPECT_EQ(python_strip("   ", ""), "");
}

}  // namespace
}  // namespace tessera::bag

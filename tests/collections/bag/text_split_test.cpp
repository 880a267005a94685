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

// Words longer than the 16-byte blocks the scanner reads, with what may end a
// word (non-ASCII bytes, control bytes) inside and at block edges.
TEST(TextSplit, SplitsLongWordsLikePython) {
  const std::string long_word = "abcdefghijklmnopqrstuvwxyz0123456789";
  EXPECT_EQ(words(long_word + " " + long_word), (V{long_word, long_word}));
  // '\x01' and '\x1b' are not whitespace in Python; '\x1d' is.
  const std::string with_controls = "0123456789abcde\x01" "0123456789abcd\x1b" "xyz";
  EXPECT_EQ(words(with_controls + "\x1d" + with_controls), (V{with_controls, with_controls}));
  // A letter and an ideographic space straddling the 16th byte.
  EXPECT_EQ(words("0123456789abcdé" "fghij　" "0123456789abcde　"), (V{"0123456789abcdéfghij", "0123456789abcde"}));
  std::string many;
  V want;
  for (int i = 0; i < 200; ++i) {
    want.push_back(std::string(static_cast<std::size_t>(i % 37 + 1), static_cast<char>('a' + i % 26)));
    many += want.back() + (i % 3 == 0 ? "\n" : i % 3 == 1 ? "\u00a0" : "  \t");
  }
  EXPECT_EQ(words(many), want);
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

// for_each_word_padded (text_split.hpp) against for_each_word, and the
// frequency table's word count against add() one word at a time.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "collections/bag/frequency_table.hpp"
#include "collections/bag/text_split.hpp"

namespace tessera::bag {
namespace {

std::vector<std::string> words_padded(const std::string& text) {
  std::string padded = text + std::string(64, '\0');
  std::vector<std::string> out;
  for_each_word_padded(std::string_view(padded.data(), text.size()),
                       [&](const char* p, std::size_t n) { out.emplace_back(p, n); });
  return out;
}

std::vector<std::string> words_plain(const std::string& text) {
  std::vector<std::string> out;
  for_each_word(text, -1, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

TEST(WordScan, MatchesForEachWordOnRandomText) {
  // Pieces chosen to meet chunk edges: ASCII and Unicode spaces, other
  // control bytes, multi-byte characters, long words.
  const std::vector<std::string> pieces = {
      " ", "\n", "\t", "\r\n", "\x0b", "\x1c", "\x01", "a", "bc", "{\"name\":", "1601.82}", "\xc2\xa0",
      "\xe2\x80\x83", "\xe3\x80\x80", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc2\x85",
      std::string(70, 'x'), std::string(17, 'y')};
  std::mt19937 rng(7);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const int count = static_cast<int>(rng() % 120);
    for (int i = 0; i < count; ++i) text += pieces[rng() % pieces.size()];
    ASSERT_EQ(words_padded(text), words_plain(text)) << "round " << round;
  }
  EXPECT_TRUE(words_padded("").empty());
  EXPECT_EQ(words_padded(std::string(64, 'z')), std::vector<std::string>{std::string(64, 'z')});
  EXPECT_EQ(words_padded(std::string(63, 'z') + " q"), (std::vector<std::string>{std::string(63, 'z'), "q"}));
}

TEST(WordScan, TableCountsWordsAsAddDoes) {
  std::string text;
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    const int len = static_cast<int>(rng() % 24) + 1;
    for (int k = 0; k < len; ++k) text += static_cast<char>('a' + rng() % 3);
    text += (rng() % 5 == 0) ? "\n" : " ";
  }
  std::string padded = text + std::string(64, '\0');
  FrequencyTable fast, slow;
  fast.add_words_padded(std::string_view(padded.data(), text.size()));
  for (const auto& w : words_plain(text)) slow.add(std::string_view(w));
  EXPECT_EQ(Value(fast.to_pairs()), Value(slow.to_pairs()));
  // The partial round-trips: merged into an empty table, it gives the same pairs.
  FrequencyTable merged;
  merged.merge(fast.to_partial());
  EXPECT_EQ(Value(merged.to_pairs()), Value(slow.to_pairs()));
}

TEST(WordScan, ShortStringsOfEveryLengthStayDistinct) {
  FrequencyTable t;
  std::vector<std::string> keys;
  for (std::size_t n = 0; n <= 20; ++n) {
    keys.push_back(std::string(n, 'k'));
    keys.push_back(std::string(n, '\0'));
  }
  for (const auto& k : keys) t.add(std::string_view(k));
  for (const auto& k : keys) t.add(Value(k));
  // "" and "\0"*0 are one key; every other is its own, counted twice.
  EXPECT_EQ(t.size(), keys.size() - 1);
  for (const auto& pair : t.to_pairs()) {
    const auto& s = pair.as_list()[0].as_string();
    EXPECT_EQ(pair.as_list()[1].as_int(), s.empty() ? 4 : 2) << s.size();
  }
}

}  // namespace
}  // namespace tessera::bag

#include "collections/bag/text_split.hpp"

namespace tessera::bag {

std::size_t unicode_space_length(std::string_view s, std::size_t i) noexcept {
  auto c = static_cast<unsigned char>(s[i]);
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  switch (c) {
    case 0xC2: return (at(1) == 0x85 || at(1) == 0xA0) ? 2 : 0;                   // U+0085, U+00A0
    case 0xE1: return (at(1) == 0x9A && at(2) == 0x80) ? 3 : 0;                   // U+1680
    case 0xE2:
      if (at(1) == 0x80) {
        unsigned d = at(2);
        return ((d >= 0x80 && d <= 0x8A) || d == 0xA8 || d == 0xA9 || d == 0xAF) ? 3 : 0;        // U+2000-200A, 2028, 2029, 202F
      }
      return (at(1) == 0x81 && at(2) == 0x9F) ? 3 : 0;                            // U+205F
    case 0xE3: return (at(1) == 0x80 && at(2) == 0x80) ? 3 : 0;                   // U+3000
    default: return 0;
  }
}

namespace detail {

std::uint64_t space_mask_exact(std::string_view s, std::size_t base, std::uint64_t& spill) noexcept {
  std::uint64_t ws = spill, next = 0;
  const std::size_t end = std::min(s.size(), base + 64);
  for (std::size_t i = base; i < end; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? (is_ascii_space(c) ? 1 : 0) : unicode_space_length(s, i);
    for (std::size_t k = 0; k < len; ++k) {
      std::size_t bit = i - base + k;
      if (bit < 64) ws |= std::uint64_t{1} << bit;
      else next |= std::uint64_t{1} << (bit - 64);
    }
  }
  spill = next;
  return ws;
}

}  // namespace detail

}  // namespace tessera::bag

namespace tessera::bag {
namespace {

std::size_t char_length(unsigned char c) { return c < 0x80 ? 1 : (c < 0xE0 ? 2 : (c < 0xF0 ? 3 : 4)); }

// The length of the character at s[i] if it is to be stripped, else 0.
std::size_t strippable(std::string_view s, std::size_t i, std::string_view chars) {
  if (chars.empty()) return space_length(s, i);
  std::size_t len = std::min(char_length(static_cast<unsigned char>(s[i])), s.size() - i);
  std::string_view c = s.substr(i, len);
  for (std::size_t k = 0; k < chars.size(); k += char_length(static_cast<unsigned char>(chars[k])))
    if (chars.substr(k, char_length(static_cast<unsigned char>(chars[k]))) == c) return len;
  return 0;
}

}  // namespace

std::string_view python_strip(std::string_view s, std::string_view chars) {
  std::size_t b = 0, e = s.size(), len = 0;
  while (b < e && (len = strippable(s, b, chars)) != 0) b += len;
  while (e > b) {
    std::size_t start = e - 1;
    while (start > b && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (strippable(s, start, chars) != e - start) break;
    e = start;
  }
  return s.substr(b, e - b);
}

}  // namespace tessera::bag

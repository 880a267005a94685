#pragma once
// Python's str.split() with no separator: runs of whitespace separate words,
// leading and trailing whitespace give no empty words. Whitespace is what
// Python's str.isspace() accepts: the ASCII bytes \t \n \v \f \r, 0x1c-0x1f
// and space, and the Unicode spaces U+0085, U+00A0, U+1680, U+2000-U+200A,
// U+2028, U+2029, U+202F, U+205F and U+3000 (in UTF-8). Used by the
// "bag.str_split" built-in and by the fused word count (text_pipeline.cpp).
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string_view>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace tessera::bag {

/// The length in bytes of the non-ASCII whitespace character at s[i] (2 or 3), or 0.
std::size_t unicode_space_length(std::string_view s, std::size_t i) noexcept;

inline bool is_ascii_space(unsigned char c) noexcept {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
}

/// The length in bytes of the whitespace character at s[i] (1 to 3), or 0.
inline std::size_t space_length(std::string_view s, std::size_t i) noexcept {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return is_ascii_space(c) ? 1 : 0;
  return unicode_space_length(s, i);
}

namespace detail {

/// The first index at or after j (or n) whose byte may end a word: one that
/// is signed <= 0x20, i.e. ASCII whitespace, another control byte, or a
/// non-ASCII byte. Sixteen bytes at a time where SSE2 is there (all x86-64).
inline std::size_t next_word_break(const char* p, std::size_t j, std::size_t n) noexcept {
#ifdef __SSE2__
  const __m128i limit = _mm_set1_epi8(0x21);
  for (; j + 16 <= n; j += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + j));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, limit)));
    if (mask != 0) return j + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  while (j < n && static_cast<signed char>(p[j]) > 0x20) ++j;
  return j;
}

/// The end of the word that starts at s[i] (not whitespace): the index of
/// the whitespace character after it, or n.
inline std::size_t word_end(std::string_view s, std::size_t i) noexcept {
  const std::size_t n = s.size();
  std::size_t j = i;
  while ((j = next_word_break(s.data(), j, n)) < n) {
    auto c = static_cast<unsigned char>(s[j]);
    if (c < 0x80) {
      if (is_ascii_space(c)) return j;
      ++j;
    } else {
      if (unicode_space_length(s, j) != 0) return j;
      j += c < 0xE0 ? 2 : (c < 0xF0 ? 3 : 4);
    }
  }
  return n;
}

}  // namespace detail

/// Calls fn(word) for each word of `s`, in order; at most `maxsplit` splits
/// when maxsplit >= 0 (the last word is then the rest of `s` from its first
/// non-space character, trailing spaces kept, as Python).
template <class F>
void for_each_word(std::string_view s, std::int64_t maxsplit, F&& fn) {
  std::size_t i = 0, n = s.size(), len = 0;
  std::int64_t splits = 0;
  while (true) {
    while (i < n && (len = space_length(s, i)) != 0) i += len;
    if (i == n) return;
    if (maxsplit >= 0 && splits == maxsplit) return fn(s.substr(i));  // the rest, as it is
    std::size_t j = detail::word_end(s, i);
    fn(s.substr(i, j - i));
    ++splits;
    i = j;
  }
}

namespace detail {

/// Bit k set when s[base + k] (k < 64, base + k < s.size()) is part of a
/// whitespace character. `spill` carries bits in and out: on entry the bits
/// of this chunk that a character starting in the previous chunk covers, on
/// return those of the next chunk. The exact, byte-at-a-time classification
/// (non-ASCII or rare control bytes); for_each_word_padded's fast path
/// takes the common chunks.
std::uint64_t space_mask_exact(std::string_view s, std::size_t base, std::uint64_t& spill) noexcept;

}  // namespace detail

/// for_each_word(s, -1, fn), as fn(pointer, length), 64 bytes at a time:
/// whitespace becomes a bit mask, and words are read off its edges. `s`
/// must be followed by at least 64 readable bytes (a TextBlock's padding).
/// A chunk of plain ASCII whose only bytes <= 0x20 are " " and "\n" (JSON
/// lines, prose) costs a few vector compares; others go byte by byte.
template <class F>
void for_each_word_padded(std::string_view s, F&& fn) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t before = 1;  // the byte before this chunk is whitespace (as if there were one before s)
  std::uint64_t spill = 0;
  std::size_t start = 0;
  bool in_word = false;
  for (std::size_t base = 0; base < n; base += 64) {
    const std::uint64_t valid = n - base >= 64 ? ~std::uint64_t{0} : ~(~std::uint64_t{0} << (n - base));
    std::uint64_t ws = 0, low = 0;
#ifdef __SSE2__
    const __m128i limit = _mm_set1_epi8(0x21), space = _mm_set1_epi8(' '), newline = _mm_set1_epi8('\n');
    for (int k = 0; k < 4; ++k) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + base + 16 * k));
      // Signed: non-ASCII bytes are "low" too, and take the exact way.
      low |= std::uint64_t{static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, limit)))} << (16 * k);
      ws |= std::uint64_t{static_cast<unsigned>(
                _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, newline))))}
            << (16 * k);
    }
    if (((low & ~ws) & valid) != 0 || spill != 0) ws = detail::space_mask_exact(s, base, spill);
#else
    ws = detail::space_mask_exact(s, base, spill);
    (void)low;
#endif
    ws |= ~valid;  // past the end: whitespace, which ends the last word
    const std::uint64_t prev = (ws << 1) | before;
    std::uint64_t starts = ~ws & prev, ends = ws & ~prev;
    before = ws >> 63;
    while (true) {
      if (!in_word) {
        if (starts == 0) break;
        start = base + static_cast<std::size_t>(__builtin_ctzll(starts));
        starts &= starts - 1;
        in_word = true;
      }
      if (ends == 0) break;  // the word goes on in the next chunk
      const std::size_t end = base + static_cast<std::size_t>(__builtin_ctzll(ends));
      ends &= ends - 1;
      in_word = false;
      fn(p + start, end - start);
    }
  }
  if (in_word) fn(p + start, n - start);
}

}  // namespace tessera::bag

namespace tessera::bag {

/// Python's str.strip(chars): `s` without the leading and trailing
/// characters (whole UTF-8 characters) that are whitespace (chars empty) or
/// occur in `chars`.
std::string_view python_strip(std::string_view s, std::string_view chars);

}  // namespace tessera::bag

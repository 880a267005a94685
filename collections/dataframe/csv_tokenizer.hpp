#pragma once
// The CSV tokenizer shared by the block parser (csv_parser.cpp) and the fused
// read + aggregate kernel (csv_aggregate.cpp), so that both split fields and
// rows in exactly the same way. Internal to the dataframe collection.
//
// A field ends at the separator or '\n'; a '\r' just before its end is
// dropped; a field that starts with '"' is quoted (it may hold separators,
// newlines and "" for a quote; characters after its closing quote are kept, as
// pandas). Blank lines ("\n", "\r\n") between rows are skipped.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tessera::dataframe::csv {

struct Field {
  std::string_view value;
  bool end_of_row = false;
};

/// Thrown (cheaply: no message) when a quoted field has no closing quote.
struct UnterminatedQuote {
  std::size_t start;  // offset of the opening quote from text_begin
};

/// The first byte in [p, end) that is `sep` or '\n', or `end`. Eight bytes
/// at a time (SWAR): fields are short, but a byte loop costs a compare and a
/// branch per byte.
inline const char* find_field_end(const char* p, const char* end, char sep) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const std::uint64_t seps = ones * static_cast<unsigned char>(sep), nls = ones * '\n';
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    std::uint64_t a = w ^ seps, b = w ^ nls;
    // Exact zero-byte test (no false positives from borrows).
    std::uint64_t za = ~(((a & ~highs) + ~highs) | a) & highs;
    std::uint64_t zb = ~(((b & ~highs) + ~highs) | b) & highs;
    if (std::uint64_t z = za | zb) return p + (__builtin_ctzll(z) >> 3);
    p += 8;
  }
  while (p < end && *p != sep && *p != '\n') ++p;
  return p;
}

/// Reads the field at `p`; moves `p` past its separator or line end. Quoted
/// fields that need unescaping are copied into `scratch` (the view then
/// points into it, valid until the next call).
inline Field next_field(const char*& p, const char* end, char sep, std::string& scratch, const char* text_begin) {
  Field f;
  if (p < end && *p == '"') {
    const char* open = p;
    const char* s = ++p;
    bool copied = false;
    while (true) {
      const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
      if (!q) throw UnterminatedQuote{static_cast<std::size_t>(open - text_begin)};
      if (q + 1 < end && q[1] == '"') {  // an escaped quote
        if (!copied) scratch.clear(), copied = true;
        scratch.append(s, static_cast<std::size_t>(q + 1 - s));
        p = q + 2;
        s = p;
        continue;
      }
      if (copied) scratch.append(s, static_cast<std::size_t>(q - s));
      else f.value = std::string_view(s, static_cast<std::size_t>(q - s));
      p = q + 1;
      break;
    }
    // Characters after the closing quote (lenient, as pandas): kept.
    const char* tail = p;
    p = find_field_end(p, end, sep);
    const char* tail_end = p;
    if (tail_end > tail && tail_end[-1] == '\r') --tail_end;
    if (tail_end > tail) {
      if (!copied) scratch.assign(f.value), copied = true;
      scratch.append(tail, static_cast<std::size_t>(tail_end - tail));
    }
    if (copied) f.value = scratch;
  } else {
    const char* s = p;
    p = find_field_end(p, end, sep);
    const char* e = p;
    if (e > s && e[-1] == '\r') --e;
    f.value = std::string_view(s, static_cast<std::size_t>(e - s));
  }
  if (p < end && *p == sep) {
    ++p;
  } else {
    if (p < end) ++p;
    f.end_of_row = true;
  }
  return f;
}

/// Skips blank lines ("\n", "\r\n") at `p`.
inline void skip_blank_lines(const char*& p, const char* end) noexcept {
  while (p < end) {
    if (*p == '\n') ++p;
    else if (*p == '\r' && p + 1 < end && p[1] == '\n') p += 2;
    else break;
  }
}

}  // namespace tessera::dataframe::csv

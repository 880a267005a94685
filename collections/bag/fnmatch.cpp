#include "collections/bag/fnmatch.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace tessera::bag {
namespace {

// Decodes the code point at s[i] (invalid bytes stand for themselves) and advances i.
std::uint32_t next_char(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (i + len > s.size()) len = 1;
  std::uint32_t cp = len == 1 ? c : (len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

// One element of a compiled pattern.
struct Piece {
  enum class Kind { literal, any_one, any_run, set } kind = Kind::literal;
  std::uint32_t ch = 0;                                   // literal
  bool negated = false;                                   // set
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;  // set: inclusive ranges
};

Piece piece(Piece::Kind kind, std::uint32_t ch = 0) {
  Piece p;
  p.kind = kind;
  p.ch = ch;
  return p;
}

std::vector<Piece> compile(std::string_view p) {
  std::vector<Piece> out;
  std::size_t i = 0;
  while (i < p.size()) {
    std::uint32_t c = next_char(p, i);
    if (c == '*') {
      if (out.empty() || out.back().kind != Piece::Kind::any_run) out.push_back(piece(Piece::Kind::any_run));
    } else if (c == '?') {
      out.push_back(piece(Piece::Kind::any_one));
    } else if (c == '[') {
      // Find the closing ']' as Python's fnmatch.translate does.
      std::size_t j = i;
      if (j < p.size() && p[j] == '!') ++j;
      if (j < p.size() && p[j] == ']') ++j;
      while (j < p.size() && p[j] != ']') ++j;
      if (j >= p.size()) {
        out.push_back(piece(Piece::Kind::literal, '['));
        continue;
      }
      Piece set = piece(Piece::Kind::set);
      std::size_t k = i;
      if (p[k] == '!') set.negated = true, ++k;
      while (k < j) {
        std::uint32_t lo = next_char(p, k), hi = lo;
        if (k + 1 < j && p[k] == '-') {
          ++k;
          hi = next_char(p, k);
        }
        if (lo <= hi) set.ranges.emplace_back(lo, hi);  // Python drops reversed ranges
      }
      out.push_back(std::move(set));
      i = j + 1;
    } else {
      out.push_back(piece(Piece::Kind::literal, c));
    }
  }
  return out;
}

bool in_set(const Piece& set, std::uint32_t c) {
  bool hit = false;
  for (const auto& [lo, hi] : set.ranges) hit |= c >= lo && c <= hi;
  return hit != set.negated;
}

}  // namespace

bool fnmatch(std::string_view name, std::string_view pattern) {
  std::vector<Piece> pieces = compile(pattern);
  std::vector<std::uint32_t> text;
  for (std::size_t i = 0; i < name.size();) text.push_back(next_char(name, i));
  // Greedy matching with one backtrack point per '*' (the classic glob algorithm).
  std::size_t t = 0, q = 0, star_q = SIZE_MAX, star_t = 0;
  while (t < text.size()) {
    if (q < pieces.size() && pieces[q].kind == Piece::Kind::any_run) {
      star_q = q++, star_t = t;
      continue;
    }
    if (q < pieces.size()) {
      const Piece& pc = pieces[q];
      bool ok = pc.kind == Piece::Kind::any_one || (pc.kind == Piece::Kind::literal && pc.ch == text[t]) ||
                (pc.kind == Piece::Kind::set && in_set(pc, text[t]));
      if (ok) {
        ++q, ++t;
        continue;
      }
    }
    if (star_q == SIZE_MAX) return false;
    q = star_q + 1;
    t = ++star_t;
  }
  while (q < pieces.size() && pieces[q].kind == Piece::Kind::any_run) ++q;
  return q == pieces.size();
}

}  // namespace tessera::bag

#include "collections/dataframe/text_values.hpp"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cstring>
#include <cstdio>

namespace tessera::dataframe {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, unsigned& out) noexcept {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

// Clinger's fast path for the common "[-]digits[.digits]" with at most 19
// digits, a mantissa m <= 2^53 and k <= 22 fraction digits: m and 10^k are
// exact doubles, so m / 10^k is one correctly rounded division, the very
// value (and bits) fast_float returns for it. Anything else: false, and
// fast_float decides.
bool simple_decimal(std::string_view s, double& out) noexcept {
  static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* p = s.data();
  const char* end = p + s.size();
  const bool negative = *p == '-';
  if (negative) ++p;
  const char* digits_start = p;
  std::uint64_t m = 0;
  while (p < end && static_cast<unsigned char>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
  std::size_t int_digits = static_cast<std::size_t>(p - digits_start);
  if (int_digits == 0) return false;
  std::size_t frac_digits = 0;
  if (p < end) {
    if (*p != '.') return false;
    const char* f = ++p;
    // Eight digits at a time (SWAR, as fast_float): the digit-by-digit chain
    // m = m * 10 + d is the cost of a long fraction.
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if ((((w & 0xF0F0F0F0F0F0F0F0ull) | (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) !=
           0x3333333333333333ull))
        break;
      w -= 0x3030303030303030ull;
      w = (w * 10) + (w >> 8);
      w = (((w & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
           (((w >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >> 32;
      m = m * 100000000ull + static_cast<std::uint32_t>(w);
      p += 8;
    }
    while (p < end && static_cast<unsigned char>(*p - '0') < 10) m = m * 10 + static_cast<unsigned>(*p++ - '0');
    frac_digits = static_cast<std::size_t>(p - f);
    if (p != end || frac_digits == 0) return false;
  }
  if (int_digits + frac_digits > 19 || frac_digits > 22 || m > (std::uint64_t{1} << 53)) return false;
  double v = static_cast<double>(m) / pow10[frac_digits];
  out = negative ? -v : v;
  return true;
}

constexpr std::uint64_t kPow10Int[] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
                                      100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
                                      1000000000000ull, 10000000000000ull, 100000000000000ull,
                                      1000000000000000ull, 10000000000000000ull};
constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16};

bool eight_digits(std::uint64_t w) noexcept {
  return (((w & 0xF0F0F0F0F0F0F0F0ull) | (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) ==
          0x3333333333333333ull);
}
std::uint32_t eight_digit_value(std::uint64_t w) noexcept {  // first byte = most significant digit
  w -= 0x3030303030303030ull;
  w = (w * 10) + (w >> 8);
  return static_cast<std::uint32_t>((((w & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
                                     (((w >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >> 32);
}
// The first n (1..8) bytes of w as the last n digits of eight, led by '0's.
std::uint64_t right_aligned(std::uint64_t w, std::size_t n) noexcept {
  return (w << (8 * (8 - n))) | (n == 8 ? 0 : 0x3030303030303030ull >> (8 * n));
}

}  // namespace

bool parse_float64_in(const char* p, const char* e, const char* readable_end, double& out) noexcept {
  if (readable_end - p >= 32 && e - p <= 26) {
    const char* s = p;
    const bool negative = s < e && *s == '-';
    s += negative;
    std::uint64_t m = 0;
    const char* d = s;
    while (d < e && static_cast<unsigned char>(*d - '0') < 10 && d - s < 8) m = m * 10 + static_cast<unsigned>(*d++ - '0');
    const auto int_digits = static_cast<std::size_t>(d - s);
    if (int_digits > 0 && d == e) {  // an integer of up to 8 digits: exact
      double v = static_cast<double>(m);
      out = negative ? -v : v;
      return true;
    }
    if (int_digits > 0 && *d == '.' && e - d >= 2 && e - d <= 17) {
      const char* q = d + 1;
      const auto f = static_cast<std::size_t>(e - q);  // 1..16 fraction digits, read as two words
      std::uint64_t a, b;
      std::memcpy(&a, q, 8);
      std::memcpy(&b, q + 8, 8);
      bool ok;
      std::uint64_t frac;
      if (f <= 8) {
        std::uint64_t w = right_aligned(a, f);
        ok = eight_digits(w);
        frac = eight_digit_value(w);
      } else {
        std::uint64_t w = right_aligned(b, f - 8);
        ok = eight_digits(a) && eight_digits(w);
        frac = std::uint64_t{eight_digit_value(a)} * kPow10Int[f - 8] + eight_digit_value(w);
      }
      if (ok && int_digits + f <= 19) {
        m = m * kPow10Int[f] + frac;
        if (m <= (std::uint64_t{1} << 53)) {  // Clinger: one correctly rounded division
          double v = static_cast<double>(m) / kPow10[f];
          out = negative ? -v : v;
          return true;
        }
      }
    }
  }
  return parse_float64(std::string_view(p, static_cast<std::size_t>(e - p)), out);
}

bool parse_int64(std::string_view s, std::int64_t& out) noexcept {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_float64(std::string_view s, double& out) noexcept {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  if (simple_decimal(s, out)) return true;
  auto r = fast_float::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_bool(std::string_view s, bool& out) noexcept {
  if (s == "True" || s == "TRUE" || s == "true") return out = true, true;
  if (s == "False" || s == "FALSE" || s == "false") return out = false, true;
  return false;
}

bool parse_timestamp(std::string_view s, std::int64_t& ns) noexcept {
  unsigned y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  std::int64_t frac = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' ||
        !digits(s, 14, 2, mi))
      return false;
    std::size_t at = 16;
    if (at < s.size()) {
      if (s[at] != ':' || !digits(s, at + 1, 2, sec)) return false;
      at += 3;
      if (at < s.size()) {
        if (s[at] != '.') return false;
        std::int64_t scale = 100000000;
        for (++at; at < s.size(); ++at) {
          if (s[at] < '0' || s[at] > '9') return false;
          frac += (s[at] - '0') * scale;
          scale /= 10;
        }
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return false;
  }
  std::int64_t days = days_from_civil(y, mo, d);
  ns = ((days * 24 + h) * 60 + mi) * 60 + sec;
  ns = ns * 1000000000 + frac;
  return true;
}

std::string format_timestamp(std::int64_t ns) {
  std::int64_t secs = ns >= 0 ? ns / 1000000000 : -((-ns + 999999999) / 1000000000);
  std::int64_t frac = ns - secs * 1000000000;
  std::int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  std::int64_t rem = secs - days * 86400;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(y), m, d,
                        static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                        static_cast<long long>(rem % 60));
  std::string out(buf, static_cast<std::size_t>(n));
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out;
}

NaSet::NaSet(const std::vector<std::string>& values) : values_(values) {
  for (const auto& v : values_) {
    max_len_ = std::max(max_len_, v.size());
    if (!v.empty()) first_[static_cast<unsigned char>(v[0])] = true;
  }
}

}  // namespace tessera::dataframe

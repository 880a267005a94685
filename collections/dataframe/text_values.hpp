#pragma once
// Parsing one text field as a typed value, as pandas reads CSV: whole-field
// matches only (no trailing junk). Numbers go through std::from_chars and
// fast_float; timestamps are ISO 8601 (YYYY-MM-DD[ T]HH:MM[:SS[.fff...]]),
// read as UTC nanoseconds; booleans are True/False/TRUE/FALSE/true/false.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::dataframe {

bool parse_int64(std::string_view s, std::int64_t& out) noexcept;
bool parse_float64(std::string_view s, double& out) noexcept;
/// parse_float64 of the field [p, e) inside a buffer whose bytes are readable
/// up to `readable_end`: the same result and bits, faster for plain decimals
/// when 32 bytes from p are readable (digits are read 8 at a time, masked).
bool parse_float64_in(const char* p, const char* e, const char* readable_end, double& out) noexcept;
bool parse_bool(std::string_view s, bool& out) noexcept;
bool parse_timestamp(std::string_view s, std::int64_t& ns) noexcept;
/// "2000-01-01 00:00:00" (fractional seconds only when non-zero), as pandas prints.
std::string format_timestamp(std::int64_t ns);

/// A set of NA strings with a fast "certainly not NA" test.
class NaSet {
 public:
  explicit NaSet(const std::vector<std::string>& values);
  bool contains(std::string_view s) const noexcept {
    if (s.empty()) return true;
    if (s.size() > max_len_ || !first_[static_cast<unsigned char>(s[0])]) return false;
    for (const auto& v : values_)
      if (v == s) return true;
    return false;
  }

 private:
  std::vector<std::string> values_;
  std::size_t max_len_ = 0;
  bool first_[256] = {};
};

}  // namespace tessera::dataframe

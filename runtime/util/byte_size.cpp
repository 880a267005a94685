#include "runtime/util/byte_size.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "runtime/util/error.hpp"

namespace tessera {

std::uint64_t parse_byte_size(const std::string& text) {
  static const std::map<std::string, double> units{
      {"", 1},        {"b", 1},          {"kb", 1e3},       {"mb", 1e6},       {"gb", 1e9},
      {"tb", 1e12},   {"kib", 1024.0},   {"mib", 1048576.0}, {"gib", 1073741824.0},
      {"tib", 1099511627776.0}, {"k", 1e3}, {"m", 1e6},       {"g", 1e9},        {"t", 1e12}};
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  std::string number = text.substr(start, i - start);
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit;
  for (; i < text.size(); ++i) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.back()))) unit.pop_back();
  auto it = units.find(unit);
  char* end = nullptr;
  double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  if (it == units.end() || number.empty() || end != number.c_str() + number.size() || !std::isfinite(value))
    throw ValueError("'" + text + "' is not a byte size (examples: 4GB, 512MiB, 1000000)");
  double bytes = value * it->second;
  if (bytes >= 1.8e19) throw ValueError("byte size '" + text + "' is too large");
  return static_cast<std::uint64_t>(std::llround(bytes));
}

std::string format_byte_size(std::uint64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.2f %s", v, units[u]);
  return buf;
}

}  // namespace tessera

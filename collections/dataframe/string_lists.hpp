#pragma once
// Column names as task arguments: a list Value of strings and back. Shared
// by the kernels that take column lists (group-by, shuffle, merge).
#include <string>
#include <vector>

#include "runtime/value/value.hpp"

namespace tessera::dataframe {

/// The strings of a list Value (TypeError from Value when an item is not a string).
inline std::vector<std::string> strings(const Value& v) {
  std::vector<std::string> out;
  for (const auto& x : v.as_list()) out.push_back(x.as_string());
  return out;
}

/// A list Value of the strings.
inline ValueList string_values(const std::vector<std::string>& v) {
  ValueList out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

}  // namespace tessera::dataframe

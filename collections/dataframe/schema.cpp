#include "collections/dataframe/schema.hpp"

#include "runtime/util/error.hpp"

namespace tessera::dataframe {

Schema schema_of(const Table& t) {
  Schema s;
  for (const auto& c : t.columns()) s.push_back({c.name, c.type});
  return s;
}

bool has_column(const Schema& s, std::string_view name) {
  for (const auto& c : s)
    if (c.name == name) return true;
  return false;
}

ColumnType type_of(const Schema& s, std::string_view name) {
  for (const auto& c : s)
    if (c.name == name) return c.type;
  throw KeyError("no column '" + std::string(name) + "' (columns: " + column_list(s) + ")");
}

std::string column_list(const Schema& s) {
  std::string out;
  for (const auto& c : s) out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

}  // namespace tessera::dataframe

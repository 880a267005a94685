#include "collections/dataframe/csv_spec.hpp"

#include "runtime/util/error.hpp"

namespace tessera::dataframe {

Value CsvSpec::to_value() const {
  ValueList names, used, typ, na;
  for (const auto& n : file_names) names.emplace_back(n);
  for (auto u : use) used.emplace_back(u);
  for (auto t : types) typ.emplace_back(static_cast<std::int64_t>(t));
  for (const auto& s : na_values) na.emplace_back(s);
  ValueDict d;
  d["sep"] = Value(std::string(1, sep));
  d["header"] = Value(header);
  d["names"] = Value(std::move(names));
  d["use"] = Value(std::move(used));
  d["types"] = Value(std::move(typ));
  d["na"] = Value(std::move(na));
  return Value(std::move(d));
}

CsvSpec CsvSpec::from_value(const Value& v) {
  const auto& d = v.as_dict();
  auto get = [&](const char* k) -> const Value& {
    auto it = d.find(k);
    if (it == d.end()) throw ValueError(std::string("read_csv: the block spec has no '") + k + "'");
    return it->second;
  };
  CsvSpec s;
  s.sep = get("sep").as_string().at(0);
  s.header = get("header").as_bool();
  for (const auto& n : get("names").as_list()) s.file_names.push_back(n.as_string());
  for (const auto& u : get("use").as_list()) s.use.push_back(u.as_int());
  for (const auto& t : get("types").as_list()) s.types.push_back(static_cast<ColumnType>(t.as_int()));
  for (const auto& n : get("na").as_list()) s.na_values.push_back(n.as_string());
  if (s.use.size() != s.types.size()) throw ValueError("read_csv: malformed block spec");
  return s;
}

const std::vector<std::string>& default_na_values() {
  static const std::vector<std::string> values = {
      "",     "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
      "<NA>", "N/A",  "NA",       "NULL", "NaN",    "n/a",      "nan",  "null"};
  return values;
}

ColumnType parse_column_type(std::string_view name) {
  if (name == "int64" || name == "int") return ColumnType::int64;
  if (name == "float64" || name == "float") return ColumnType::float64;
  if (name == "bool") return ColumnType::boolean;
  if (name == "object" || name == "string" || name == "str") return ColumnType::string;
  if (name == "datetime64[ns]" || name == "datetime64") return ColumnType::timestamp;
  throw ValueError("unknown dtype '" + std::string(name) +
                   "' (known: int64, float64, bool, object/string, datetime64[ns])");
}

}  // namespace tessera::dataframe

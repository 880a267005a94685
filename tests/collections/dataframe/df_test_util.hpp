#pragma once
// Shared by the dataframe tests: each test runs on "sync" and on the default
// "threads" cluster; fixtures (CSV inputs and pandas' results in
// expected.json, made by fixtures/make_fixtures.py) and comparisons of a
// computed Table with pandas' rows.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "actors/client/threads_executor.hpp"
#include "collections/dataframe/dataframe.hpp"
#include "collections/dataframe/read_csv.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "collections/dataframe/table_printer.hpp"
#include "collections/dataframe/text_values.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/temp_files.hpp"

namespace tessera::dataframe::test {

class DfOn : public ::testing::TestWithParam<const char*> {
 protected:
  ComputeOptions on() const { return ComputeOptions{GetParam()}; }
};

using tessera::testing::error_of;

inline std::string fixture(const std::string& name) {
  return std::string(TESSERA_SOURCE_DIR) + "/tests/collections/dataframe/fixtures/" + name;
}

inline const nlohmann::json& expected(const std::string& key) {
  static const nlohmann::json all = [] {
    std::ifstream in(fixture("expected.json"));
    return nlohmann::json::parse(in);
  }();
  return all.at(key);
}

using tessera::testing::temp_path;
using tessera::testing::write_file;

/// Cell (row, column) as JSON, as the fixture script writes it (null, number, string, bool).
inline nlohmann::json cell_json(const Column& c, std::int64_t i) {
  if (!c.is_valid(i)) return nullptr;
  switch (c.type) {
    case ColumnType::int64: return c.data->as<std::int64_t>()[i];
    case ColumnType::float64: {
      double d = c.data->as<double>()[i];
      return std::isnan(d) ? nlohmann::json(nullptr) : nlohmann::json(d);
    }
    case ColumnType::boolean: return c.data->as<std::uint8_t>()[i] != 0;
    case ColumnType::string: return std::string(c.string_at(i));
    case ColumnType::timestamp: return format_timestamp(c.data->as<std::int64_t>()[i]);
  }
  return nullptr;
}

/// Expects `t` to hold pandas' {"columns", "data"} (floats to 1e-12 relative).
inline void expect_frame(const Table& t, const nlohmann::json& want) {
  std::vector<std::string> names;
  for (const auto& c : t.columns()) names.push_back(c.name);
  ASSERT_EQ(names, want.at("columns").get<std::vector<std::string>>());
  const auto& rows = want.at("data");
  ASSERT_EQ(t.num_rows(), static_cast<std::int64_t>(rows.size())) << to_string(t);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t j = 0; j < names.size(); ++j) {
      auto got = cell_json(t.columns()[j], static_cast<std::int64_t>(r));
      const auto& w = rows[r][j];
      if (w.is_number_float() || (w.is_number() && got.is_number_float())) {
        ASSERT_TRUE(got.is_number()) << "row " << r << " column " << names[j] << ": " << got.dump() << " vs " << w.dump();
        double a = got.get<double>(), b = w.get<double>();
        EXPECT_NEAR(a, b, 1e-12 * std::max(1.0, std::fabs(b))) << "row " << r << " column " << names[j];
      } else {
        EXPECT_EQ(got, w) << "row " << r << " column " << names[j];
      }
    }
  }
}

inline std::vector<std::pair<std::string, std::string>> dtypes(const DataFrame& df) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : df.schema()) out.emplace_back(c.name, std::string(column_type_name(c.type)));
  return out;
}

inline std::vector<std::pair<std::string, std::string>> expected_dtypes(const std::string& key) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : expected(key)) out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
  return out;
}

inline DataFrame people(std::int64_t blocksize = 0) {
  ReadCsvOptions o;
  o.parse_dates = {"when"};
  o.blocksize = blocksize;
  return read_csv(fixture("people.csv"), o);
}

}  // namespace tessera::dataframe::test

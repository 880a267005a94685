#pragma once
// Shared by the tests of the shuffle-based and later operations: pandas'
// results in fixtures/operations_expected.json (made by
// fixtures/make_operations_fixtures.py), and a total order on rows for
// results whose order is the partitioning's, not pandas'.
#include "collections/dataframe/shuffle.hpp"
#include "tests/collections/dataframe/df_test_util.hpp"

namespace tessera::dataframe::test {

inline const nlohmann::json& expected_ops(const std::string& key) {
  static const nlohmann::json all = [] {
    std::ifstream in(fixture("operations_expected.json"));
    return nlohmann::json::parse(in);
  }();
  return all.at(key);
}

inline std::vector<std::pair<std::string, std::string>> expected_dtypes_of(const nlohmann::json& j) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : j) out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
  return out;
}

/// `t` sorted by every column, stable, nulls last (as the fixture script's sorted_frame); no index.
inline Table sorted_all(const Table& t) {
  std::vector<std::string> by;
  for (const auto& c : t.columns()) by.push_back(c.name);
  Table s = sort_table(t, by, {});
  return Table(s.columns());
}

}  // namespace tessera::dataframe::test

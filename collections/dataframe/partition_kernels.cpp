// Per-partition task functions: evaluate a Series, filter, project (select,
// assign, rename, astype, fillna, isna, drop are all projections of
// expressions), head, len. Registered through kernels.cpp.
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/kernels.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using Args = std::span<const Value>;

void want(Args a, std::size_t n, const char* name) {
  if (a.size() != n)
    throw TypeError(std::string(name) + ": expected " + std::to_string(n) + " arguments, got " + std::to_string(a.size()));
}

// (expr, name, [leading column, ...], partition) -> the leading columns
// (group keys or the index) and the series' values.
Value series(Args a) {
  want(a, 4, "dataframe.series");
  const Table& t = a[3].as_table();
  const std::string& name = a[1].as_string();
  std::vector<Column> cols;
  for (const auto& k : a[2].as_list()) cols.push_back(t.column(k.as_string()));
  cols.push_back(expr::evaluate(a[0], t, name));
  std::optional<std::string> index;
  if (t.index() && *t.index() != name) index = t.index();
  return Value(Table(std::move(cols), index));
}

// (mask expr, partition) -> the rows where the mask is true.
Value filter_rows(Args a) {
  want(a, 2, "dataframe.filter");
  const Table& t = a[1].as_table();
  return Value(filter(t, expr::evaluate(a[0], t, "mask")));
}

// (names, exprs, index name or none, partition) -> a table of those expressions.
Value project(Args a) {
  want(a, 4, "dataframe.project");
  const Table& t = a[3].as_table();
  const auto& names = a[0].as_list();
  const auto& exprs = a[1].as_list();
  if (names.size() != exprs.size()) throw ValueError("dataframe.project: names and expressions differ in number");
  std::vector<Column> cols;
  for (std::size_t i = 0; i < names.size(); ++i) cols.push_back(expr::evaluate(exprs[i], t, names[i].as_string()));
  std::optional<std::string> index;
  if (!a[2].is_none()) index = a[2].as_string();
  return Value(Table(std::move(cols), index));
}

// (n, partition) -> the first n rows.
Value head(Args a) {
  want(a, 2, "dataframe.head");
  return Value(slice(a[1].as_table(), 0, a[0].as_int()));
}

Value length(Args a) {
  want(a, 1, "dataframe.len");
  return Value(a[0].as_table().num_rows());
}

// ([n, ...]) -> their sum.
Value sum_ints(Args a) {
  want(a, 1, "dataframe.sum_ints");
  std::int64_t s = 0;
  for (const auto& x : a[0].as_list()) s += x.as_int();
  return Value(s);
}

// ([table, ...]) -> one table.
Value concat_tables(Args a) {
  want(a, 1, "dataframe.concat");
  std::vector<Table> parts;
  for (const auto& x : a[0].as_list()) parts.push_back(x.as_table());
  return Value(concat(parts));
}

}  // namespace

std::vector<KernelEntry> partition_kernels() {
  return {
      {"dataframe.series", series, "(expr, name, leading columns, partition) -> the series' values"},
      {"dataframe.filter", filter_rows, "(mask expr, partition) -> the rows where the mask is true"},
      {"dataframe.project", project, "(names, exprs, index, partition) -> a table of those expressions"},
      {"dataframe.head", head, "(n, partition) -> its first n rows"},
      {"dataframe.len", length, "(partition) -> its number of rows"},
      {"dataframe.sum_ints", sum_ints, "([n, ...]) -> their sum"},
      {"dataframe.concat", concat_tables, "([table, ...]) -> the tables one after the other"},
  };
}

}  // namespace tessera::dataframe

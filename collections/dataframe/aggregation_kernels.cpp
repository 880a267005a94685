// Group-by task functions: chunk, combine and finalize (aggregation.hpp).
// A partial travels as [table, keys, aggs] so that the combine step, which
// tree_reduce calls with the list of partials only, knows how to merge.
#include <cmath>

#include "collections/dataframe/aggregation.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/kernels.hpp"
#include "collections/dataframe/string_lists.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using Args = std::span<const Value>;

// (partition, mask expr or none, keys, aggs) -> [partial, keys, aggs]
Value agg_chunk(Args a) {
  if (a.size() != 4) throw TypeError("dataframe.agg_chunk: expected 4 arguments");
  Table partial = aggregate_chunk(a[0].as_table(), a[1], strings(a[2]), aggs_from_value(a[3]));
  return Value(ValueList{Value(std::move(partial)), a[2], a[3]});
}

// ([[partial, keys, aggs], ...]) -> [partial, keys, aggs]
Value agg_combine(Args a) {
  if (a.size() != 1) throw TypeError("dataframe.agg_combine: expected 1 argument");
  const auto& parts = a[0].as_list();
  if (parts.empty()) throw ValueError("dataframe.agg_combine: no partials");
  const auto& first = parts[0].as_list();
  std::vector<Table> tables;
  for (const auto& p : parts) tables.push_back(p.as_list().at(0).as_table());
  Table merged = aggregate_combine(tables, strings(first.at(1)), aggs_from_value(first.at(2)));
  return Value(ValueList{Value(std::move(merged)), first.at(1), first.at(2)});
}

Value cell_value(const Column& c, std::int64_t i) {
  if (i >= c.length || !c.is_valid(i)) return Value();
  switch (c.type) {
    case ColumnType::float64: return Value(c.data->as<double>()[i]);
    case ColumnType::boolean: return Value(c.data->as<std::uint8_t>()[i] != 0);
    case ColumnType::string: return Value(c.string_at(i));
    default: return Value(c.data->as<std::int64_t>()[i]);
  }
}

// ([partial, keys, aggs], order, mode) -> mode 0: the result table; 1: the
// first aggregation's value (a scalar); 2: the number of groups; 3: the
// groups counted per all keys but the last (nunique per group).
Value agg_finalize(Args a) {
  if (a.size() != 3) throw TypeError("dataframe.agg_finalize: expected 3 arguments");
  const auto& bundle = a[0].as_list();
  auto keys = strings(bundle.at(1));
  auto aggs = aggs_from_value(bundle.at(2));
  auto order = static_cast<GroupOrder>(a[1].as_int());
  const Table& partial = bundle.at(0).as_table();
  switch (a[2].as_int()) {
    case 0: return Value(aggregate_finalize(partial, keys, aggs, order));
    case 1: {
      Table t = aggregate_finalize(partial, keys, aggs, order);
      return cell_value(t.column(aggs.at(0).out), 0);
    }
    case 2: return Value(partial.num_rows());
    case 3: {
      std::string value_column = keys.back();
      keys.pop_back();
      std::vector<AggSpec> count{{value_column, expr::col(value_column), "count", 1}};
      if (keys.empty()) return Value(partial.num_rows());
      return Value(aggregate_finalize(aggregate_chunk(partial, Value(), keys, count), keys, count, GroupOrder::by_key));
    }
  }
  throw ValueError("dataframe.agg_finalize: unknown mode " + std::to_string(a[2].as_int()));
}

}  // namespace

std::vector<KernelEntry> aggregation_kernels() {
  return {
      {"dataframe.agg_chunk", agg_chunk, "(partition, mask, keys, aggs) -> a group-by partial"},
      {"dataframe.agg_combine", agg_combine, "([partial, ...]) -> the partials merged"},
      {"dataframe.agg_finalize", agg_finalize, "(partial, order, mode) -> the group-by result"},
  };
}

}  // namespace tessera::dataframe

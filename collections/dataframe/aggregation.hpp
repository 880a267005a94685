#pragma once
// Group-by aggregation in the four steps every reduction shares (DuckDB's
// initialize/update/combine/finalize, Dask's chunk/combine/aggregate):
//
//   chunk(partition)      -> partial: one row per group, key columns + state columns
//   combine([partials])   -> partial (concatenated, regrouped, states merged)
//   finalize(partial)     -> result: key columns + one column per aggregation,
//                            sorted by key (or by count for value_counts)
//
// Rows are grouped with abseil's flat_hash_map (a fast path for one int64 or
// one string key; several keys are encoded into one byte string). Rows whose
// key is null are dropped (pandas' dropna=True). No keys = one group (a
// whole-frame reduction). States: sum (int64 or float64), count, size,
// mean = (sum, count), var/std = (count, mean, m2) merged with Chan's
// formula, min/max/first/last = the value itself (any type; nulls skipped).
#include <cstdint>
#include <string>
#include <vector>

#include "collections/dataframe/schema.hpp"
#include "runtime/value/value.hpp"

namespace tessera::dataframe {

/// One aggregation: `func` over the values of expression `input`, into column `out`.
struct AggSpec {
  std::string out;
  Value input;       // an expression (expr::col(name) for a column)
  std::string func;  // sum mean count size min max std var first last
  std::int64_t ddof = 1;
};

/// The aggregation functions known to group-by.
const std::vector<std::string>& aggregation_names();
/// The result type of `func` over `input`; TypeError when it does not apply.
ColumnType aggregation_type(const std::string& func, ColumnType input);

Value aggs_to_value(const std::vector<AggSpec>& aggs);
std::vector<AggSpec> aggs_from_value(const Value& v);

/// chunk: groups `t`'s rows (those where `mask`, an expression or none, is
/// true) by `keys` and returns the partial.
Table aggregate_chunk(const Table& t, const Value& mask, const std::vector<std::string>& keys,
                      const std::vector<AggSpec>& aggs);
/// combine: merges partials made by aggregate_chunk / aggregate_combine.
Table aggregate_combine(const std::vector<Table>& partials, const std::vector<std::string>& keys,
                        const std::vector<AggSpec>& aggs);
/// How finalize orders its rows.
enum class GroupOrder : std::int64_t { by_key = 0, by_count_desc = 1 };
/// finalize: the result table (index = the key when there is one key).
Table aggregate_finalize(const Table& partial, const std::vector<std::string>& keys,
                         const std::vector<AggSpec>& aggs, GroupOrder order);

}  // namespace tessera::dataframe

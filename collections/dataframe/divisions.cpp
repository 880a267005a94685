// Divisions (divisions.hpp): their values, the DataFrame members that make,
// keep and read them (set_index, with_divisions, loc).
#include "collections/dataframe/divisions.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "collections/dataframe/dataframe.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/kernels.hpp"
#include "collections/dataframe/shuffle.hpp"
#include "collections/dataframe/text_values.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using I64 = std::int64_t;

bool numeric(const Value& v) { return v.kind() == ValueKind::int64 || v.kind() == ValueKind::float64; }

std::string shown(const Value& v) {
  return v.kind() == ValueKind::string ? "'" + v.as_string() + "'" : v.repr();
}

}  // namespace

int compare_division(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::int64 && b.kind() == ValueKind::int64)
    return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
  if (numeric(a) && numeric(b)) {
    double x = a.as_float(), y = b.as_float();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.kind() == ValueKind::string && b.kind() == ValueKind::string) {
    int r = a.as_string().compare(b.as_string());
    return r < 0 ? -1 : r > 0 ? 1 : 0;
  }
  if (a.kind() == ValueKind::boolean && b.kind() == ValueKind::boolean)
    return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
  throw TypeError("divisions: cannot compare " + shown(a) + " (" + std::string(kind_name(a.kind())) + ") with " +
                  shown(b) + " (" + std::string(kind_name(b.kind())) + ")");
}

Value division_value(const Column& c, std::int64_t i) {
  switch (c.type) {
    case ColumnType::float64: return Value(c.data->as<double>()[i]);
    case ColumnType::boolean: return Value(c.data->as<std::uint8_t>()[i] != 0);
    case ColumnType::string: return Value(std::string(c.string_at(i)));
    default: return Value(c.data->as<I64>()[i]);  // int64, timestamp (ns)
  }
}

Value division_key(const Value& key, ColumnType type, const std::string& what) {
  auto refuse = [&]() -> Value {
    throw TypeError(what + ": " + shown(key) + " (" + std::string(kind_name(key.kind())) +
                    ") cannot be compared with an index of dtype " + std::string(column_type_name(type)));
  };
  switch (type) {
    case ColumnType::int64:
    case ColumnType::float64:
      if (!numeric(key) || (key.kind() == ValueKind::float64 && std::isnan(key.as_float()))) return refuse();
      return key;
    case ColumnType::string: return key.kind() == ValueKind::string ? key : refuse();
    case ColumnType::boolean: return key.kind() == ValueKind::boolean ? key : refuse();
    case ColumnType::timestamp: {
      if (key.kind() == ValueKind::int64) return key;
      I64 ns = 0;
      if (key.kind() == ValueKind::string && parse_timestamp(key.as_string(), ns)) return Value(ns);
      return refuse();
    }
  }
  return refuse();
}

Column division_column(const std::vector<Value>& divisions, const std::string& name, ColumnType type) {
  switch (type) {
    case ColumnType::float64: {
      std::vector<double> v;
      for (const auto& d : divisions) v.push_back(d.as_float());
      return Column::from_float64(name, v);
    }
    case ColumnType::boolean: {
      std::vector<bool> v;
      for (const auto& d : divisions) v.push_back(d.as_bool());
      return Column::from_bool(name, v);
    }
    case ColumnType::string: {
      std::vector<std::string> v;
      for (const auto& d : divisions) v.push_back(d.as_string());
      return Column::from_strings(name, v);
    }
    default: {
      std::vector<I64> v;
      for (const auto& d : divisions) v.push_back(d.as_int());
      return type == ColumnType::timestamp ? Column::from_timestamps(name, v) : Column::from_int64(name, v);
    }
  }
}

std::pair<std::int64_t, std::int64_t> partitions_between(const std::vector<Value>& d, const Value& start,
                                                         const Value& stop) {
  const auto n = static_cast<I64>(d.size()) - 1;
  // The last partition i (< n) whose range starts at or before v; -1 before d[0].
  auto last_starting_by = [&](const Value& v) {
    I64 i = -1;
    while (i + 1 < n && compare_division(d[static_cast<std::size_t>(i + 1)], v) <= 0) ++i;
    return i;
  };
  I64 first = 0, last = n - 1;
  if (!start.is_none()) {
    if (compare_division(start, d.back()) > 0) return {n, n - 1};  // after every range
    first = std::max<I64>(0, last_starting_by(start));
  }
  if (!stop.is_none()) last = last_starting_by(stop);  // -1: before every range
  return {first, last};
}

// ---- DataFrame members ----

std::vector<Value> DataFrame::divisions() const {
  if (!divisions_.empty()) return divisions_;
  return std::vector<Value>(static_cast<std::size_t>(npartitions_ + 1));
}

DataFrame DataFrame::with_divisions(std::vector<Value> divisions) const {
  DataFrame out = *this;
  out.divisions_.clear();
  if (divisions.empty()) return out;
  if (!index_)
    throw ValueError("divisions: frame '" + name_ + "' has no index to divide on; set one with set_index(column)");
  if (static_cast<I64>(divisions.size()) != npartitions_ + 1)
    throw ValueError("divisions: " + std::to_string(divisions.size()) + " values for " + std::to_string(npartitions_) +
                     " partitions; give npartitions + 1");
  const ColumnType type = type_of(schema_, *index_);
  for (auto& d : divisions) d = division_key(d, type, "divisions of '" + *index_ + "'");
  for (std::size_t i = 1; i < divisions.size(); ++i)
    if (compare_division(divisions[i - 1], divisions[i]) > 0)
      throw ValueError("divisions: not increasing at position " + std::to_string(i) + " (" + shown(divisions[i - 1]) +
                       " > " + shown(divisions[i]) + ")");
  out.divisions_ = std::move(divisions);
  return out;
}

std::vector<Value> compute_divisions(const DataFrame& frame, const std::string& column, std::int64_t n,
                                     const ComputeOptions& options) {
  register_dataframe_functions();
  (void)type_of(frame.schema(), column);
  if (n < 1) throw ValueError("divisions: npartitions must be at least 1, got " + std::to_string(n));
  // Enough points per partition that the parts come out near-equal (as split_points_of).
  const I64 k = std::clamp<I64>(8 * n, 128, 4096);
  auto samples =
      frame.partitionwise("sample-" + column, "dataframe.sample_points", {Value(column), Value(k)}, {}, std::nullopt);
  std::string name = "divisions-" + tokenize(samples.name(), n);
  ArgList refs;
  for (const auto& key : samples.keys()) refs.emplace_back(key);
  Key wanted[] = {Key(name)};
  auto layer = make_layer(
      name, {TaskSpec{wanted[0], df_function("dataframe.division_points"), {Arg(std::move(refs)), Arg(Value(n))}}},
      {samples.layer()});
  Table bounds = get_executor(options.scheduler)->compute(HighLevelGraph({layer}), wanted).front().as_table();
  std::vector<Value> out;
  if (bounds.num_columns() == 1)
    for (I64 i = 0; i < bounds.num_rows(); ++i) out.push_back(division_value(bounds.columns()[0], i));
  return out;
}

DataFrame range_partition(const DataFrame& frame, const std::string& column, const std::vector<Value>& divisions) {
  register_dataframe_functions();
  const ColumnType type = type_of(frame.schema(), column);
  if (divisions.size() < 2)
    throw ValueError("divisions: give at least two (the first partition's start and the last one's end), got " +
                     std::to_string(divisions.size()));
  const auto n = static_cast<I64>(divisions.size()) - 1;
  ValueList given(divisions.begin(), divisions.end());
  // Rows go to the partition whose range holds them: the inner divisions cut.
  std::vector<Value> inner(divisions.begin() + 1, divisions.end() - 1);
  for (auto& v : inner) v = division_key(v, type, "divisions of '" + column + "'");
  Table points({division_column(inner, column, type)});
  return shuffle_frame(frame, "range-partition", "dataframe.range_split",
                       {Arg(Value(column)), Arg(Value(true)), Arg(Value(n)), Arg(Value(std::move(points)))}, {}, n,
                       tokenize(frame.name(), column, Value(given)));
}

DataFrame DataFrame::set_index(const std::string& column, const std::vector<Value>& divisions) const {
  const ColumnType type = type_of(schema_, column);
  DataFrame parts = range_partition(*this, column, divisions);
  Schema schema{{column, type}};
  for (const auto& c : schema_)
    if (c.name != column) schema.push_back(c);
  DataFrame out = parts.partitionwise("set-index-sorted", "dataframe.sort",
                                      {Value(ValueList{Value(column)}), Value(ValueList{Value(true)}), Value(column)},
                                      schema, column);
  return out.with_divisions(divisions);
}

DataFrame DataFrame::set_index(const std::string& column, std::int64_t npartitions,
                               const ComputeOptions& options) const {
  const ColumnType type = type_of(schema_, column);
  const I64 n = npartitions == 0 ? npartitions_ : npartitions;
  // 1. The divisions, now (as Dask), from a sample of every partition.
  auto divisions = compute_divisions(*this, column, n, options);
  if (divisions.size() >= 2) return set_index(column, divisions);
  // 2. No value to divide on (no rows, or only nulls): one partition, divisions unknown.
  DataFrame one = npartitions_ == 1 ? *this : repartition(1);
  Schema schema{{column, type}};
  for (const auto& c : schema_)
    if (c.name != column) schema.push_back(c);
  return one.partitionwise("set-index-sorted", "dataframe.sort",
                           {Value(ValueList{Value(column)}), Value(ValueList{Value(true)}), Value(column)}, schema,
                           column);
}

DataFrame DataFrame::loc(const Value& key) const {
  if (key.is_none()) throw ValueError("loc: the key must not be None");
  return index_rows(key, key, true);
}

DataFrame DataFrame::loc(const Value& start, const Value& stop) const { return index_rows(start, stop, false); }

DataFrame DataFrame::index_rows(const Value& start, const Value& stop, bool point) const {
  if (!index_)
    throw ValueError("loc: frame '" + name_ + "' has no index (columns: " + column_list(schema_) +
                     "); set one with set_index(column)");
  const std::string& ix = *index_;
  const ColumnType type = type_of(schema_, ix);
  const Value s = start.is_none() ? Value() : division_key(start, type, "loc"),
              e = stop.is_none() ? Value() : division_key(stop, type, "loc");
  if (s.is_none() && e.is_none()) return *this;  // loc[:]
  // The mask compares the index with the keys as given (a timestamp string
  // is read by the expression); nanoseconds are shown as a timestamp.
  auto literal = [&](const Value& given, const Value& key) {
    if (type == ColumnType::timestamp && given.kind() != ValueKind::string) return expr::lit(Value(format_timestamp(key.as_int())));
    return expr::lit(given);
  };
  const Value c = expr::col(ix);
  Value mask;
  if (point) {
    mask = expr::op("eq", {c, literal(start, s)});
  } else {
    if (!s.is_none()) mask = expr::op("ge", {c, literal(start, s)});
    if (!e.is_none()) {
      Value le = expr::op("le", {c, literal(stop, e)});
      mask = mask.is_none() ? le : expr::op("and", {mask, le});
    }
  }
  // Only the partitions whose ranges meet [s, e] (all of them when the divisions are unknown).
  I64 first = 0, last = npartitions_ - 1;
  if (known_divisions()) {
    std::tie(first, last) = partitions_between(divisions_, s, e);
    if (first > last) first = last = std::clamp<I64>(first, 0, npartitions_ - 1);  // filters to no row
  }
  std::string name = "loc-" + tokenize(name_, mask, first, last);
  auto fn = df_function("dataframe.filter");
  std::vector<TaskSpec> tasks;
  for (I64 i = first; i <= last; ++i) tasks.push_back(TaskSpec{Key(name, {i - first}), fn, {Arg(mask), Arg(key(i))}});
  DataFrame out(name, make_layer(name, std::move(tasks), {layer_}), last - first + 1, schema_, index_);
  if (!known_divisions()) return out;
  // As Dask: the selected partitions' divisions, narrowed to the keys.
  std::vector<Value> d(divisions_.begin() + first, divisions_.begin() + last + 2);
  if (!s.is_none() && compare_division(s, d.front()) > 0 && compare_division(s, d[1]) <= 0) d.front() = s;
  if (!e.is_none() && compare_division(e, d.back()) < 0 && compare_division(e, d[d.size() - 2]) >= 0) d.back() = e;
  return out.with_divisions(std::move(d));
}

}  // namespace tessera::dataframe

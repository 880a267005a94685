#include "collections/dataframe/groupby.hpp"

#include <algorithm>

#include "collections/dataframe/aggregation.hpp"
#include "collections/dataframe/expression.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

std::optional<std::string> index_for(const std::vector<std::string>& keys) {
  return keys.size() == 1 ? std::optional<std::string>(keys[0]) : std::nullopt;
}

Schema key_schema(const DataFrame& f, const std::vector<std::string>& keys) {
  Schema s;
  for (const auto& k : keys) s.push_back({k, type_of(f.schema(), k)});
  return s;
}

bool is_key(const std::vector<std::string>& keys, const std::string& c) {
  return std::find(keys.begin(), keys.end(), c) != keys.end();
}

// The aggregations in `aggs` over `frame` grouped by `keys`, as a one-partition frame.
DataFrame run(const DataFrame& frame, const std::vector<std::string>& keys, const std::vector<AggSpec>& aggs,
              std::size_t split_every, std::int64_t split_out) {
  Schema schema = key_schema(frame, keys);
  for (const auto& a : aggs) {
    if (is_key(keys, a.out)) throw ValueError("groupby: the output column '" + a.out + "' is also a key");
    ColumnType in = expr::result_type(a.input, frame.schema());
    schema.push_back({a.out, aggregation_type(a.func, in)});
  }
  const std::string prefix = "groupby-" + (aggs.size() == 1 ? aggs[0].func : std::string("agg"));
  if (split_out > 1)
    return frame.aggregate_split(prefix, keys, aggs_to_value(aggs), static_cast<std::int64_t>(GroupOrder::by_key), 0,
                                 schema, index_for(keys), split_every, split_out, keys);
  return frame.aggregate(prefix, keys, aggs_to_value(aggs), static_cast<std::int64_t>(GroupOrder::by_key), schema,
                         index_for(keys), split_every);
}

}  // namespace

SeriesGroupBy::SeriesGroupBy(DataFrame frame, std::vector<std::string> keys, std::string column, std::size_t split_every,
                             std::int64_t split_out)
    : frame_(std::move(frame)), keys_(std::move(keys)), column_(std::move(column)), split_every_(split_every),
      split_out_(split_out) {
  (void)type_of(frame_.schema(), column_);
}

Series SeriesGroupBy::agg(const std::string& func, std::int64_t ddof) const {
  if (func == "nunique") return nunique();
  std::vector<AggSpec> aggs{{column_, expr::col(column_), func, ddof}};
  return run(frame_, keys_, aggs, split_every_, split_out_)[column_];
}

DataFrame SeriesGroupBy::agg(const std::vector<std::string>& funcs) const {
  std::vector<AggSpec> aggs;
  for (const auto& f : funcs) aggs.push_back({f, expr::col(column_), f, 1});
  return run(frame_, keys_, aggs, split_every_, split_out_);
}

Series SeriesGroupBy::sum() const { return agg("sum"); }
Series SeriesGroupBy::mean() const { return agg("mean"); }
Series SeriesGroupBy::count() const { return agg("count"); }
Series SeriesGroupBy::size() const { return agg("size"); }
Series SeriesGroupBy::min() const { return agg("min"); }
Series SeriesGroupBy::max() const { return agg("max"); }
Series SeriesGroupBy::std(std::int64_t ddof) const { return agg("std", ddof); }
Series SeriesGroupBy::var(std::int64_t ddof) const { return agg("var", ddof); }
Series SeriesGroupBy::first() const { return agg("first"); }
Series SeriesGroupBy::last() const { return agg("last"); }

Series SeriesGroupBy::nunique() const {
  // Distinct (keys..., value) rows by tree reduction, then counted per key in the finalize step.
  if (is_key(keys_, column_)) throw ValueError("groupby: nunique of the key column '" + column_ + "'");
  std::vector<std::string> all = keys_;
  all.push_back(column_);
  std::vector<AggSpec> aggs{{"__size", expr::lit(Value(0)), "size", 1}};
  Schema schema = key_schema(frame_, keys_);
  schema.push_back({column_, ColumnType::int64});
  if (split_out_ > 1)
    return frame_.aggregate_split("groupby-nunique", all, aggs_to_value(aggs),
                                  static_cast<std::int64_t>(GroupOrder::by_key), 3, schema, index_for(keys_),
                                  split_every_, split_out_, keys_)[column_];
  return frame_.aggregate_mode("groupby-nunique", all, aggs_to_value(aggs), static_cast<std::int64_t>(GroupOrder::by_key),
                               3, schema, index_for(keys_), split_every_)[column_];
}

GroupBy::GroupBy(DataFrame frame, std::vector<std::string> keys, std::size_t split_every)
    : frame_(std::move(frame)), keys_(std::move(keys)), split_every_(split_every) {}

SeriesGroupBy GroupBy::operator[](const std::string& column) const {
  return SeriesGroupBy(frame_, keys_, column, split_every_, split_out_);
}

DataFrame GroupBy::agg(const std::vector<std::pair<std::string, std::string>>& column_funcs) const {
  std::vector<AggSpec> aggs;
  for (const auto& [column, func] : column_funcs) {
    (void)type_of(frame_.schema(), column);
    aggs.push_back({column, expr::col(column), func, 1});
  }
  return run(frame_, keys_, aggs, split_every_, split_out_);
}

DataFrame GroupBy::agg(const std::vector<NamedAgg>& named) const {
  std::vector<AggSpec> aggs;
  for (const auto& n : named) {
    (void)type_of(frame_.schema(), n.column);
    aggs.push_back({n.out, expr::col(n.column), n.func, 1});
  }
  return run(frame_, keys_, aggs, split_every_, split_out_);
}

DataFrame GroupBy::all_columns(const std::string& func, std::int64_t ddof) const {
  std::vector<AggSpec> aggs;
  for (const auto& c : frame_.schema()) {
    if (is_key(keys_, c.name)) continue;
    try {
      (void)aggregation_type(func, c.type);
    } catch (const TypeError&) {
      continue;  // pandas' numeric_only: columns the function does not apply to are left out
    }
    aggs.push_back({c.name, expr::col(c.name), func, ddof});
  }
  if (aggs.empty()) throw TypeError("groupby: no column supports " + func + "()");
  return run(frame_, keys_, aggs, split_every_, split_out_);
}

DataFrame GroupBy::sum() const { return all_columns("sum", 1); }
DataFrame GroupBy::mean() const { return all_columns("mean", 1); }
DataFrame GroupBy::count() const { return all_columns("count", 1); }
DataFrame GroupBy::min() const { return all_columns("min", 1); }
DataFrame GroupBy::max() const { return all_columns("max", 1); }
DataFrame GroupBy::first() const { return all_columns("first", 1); }
DataFrame GroupBy::last() const { return all_columns("last", 1); }
DataFrame GroupBy::std(std::int64_t ddof) const { return all_columns("std", ddof); }
DataFrame GroupBy::var(std::int64_t ddof) const { return all_columns("var", ddof); }

GroupBy GroupBy::split_out(std::int64_t n) const {
  if (n < 1) throw ValueError("groupby: split_out must be at least 1, got " + std::to_string(n));
  GroupBy out = *this;
  out.split_out_ = n;
  return out;
}

Series GroupBy::size() const {
  std::vector<AggSpec> aggs{{"size", expr::lit(Value(0)), "size", 1}};
  return run(frame_, keys_, aggs, split_every_, split_out_)["size"];
}

}  // namespace tessera::dataframe

// Approximate quantiles (Series::quantile) and describe(): per-partition
// weighted samples (sample_points, shuffle.hpp) merged in one task. Exact
// while every partition has at most `k` non-null values (1000 here): every
// value is kept and the merge interpolates as pandas does; beyond that each
// partition contributes k evenly spaced order statistics, and a quantile's
// rank is off by at most about rows / (2k) per partition.
#include <cmath>

#include "collections/dataframe/aggregation.hpp"
#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/shuffle.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using Args = std::span<const Value>;
constexpr std::int64_t kSample = 1000;

std::vector<Table> tables(const Value& v) {
  std::vector<Table> out;
  for (const auto& x : v.as_list()) out.push_back(x.as_table());
  return out;
}

double number(const Column& c) {
  if (!c.is_valid(0)) return std::nan("");
  switch (c.type) {
    case ColumnType::float64: return c.data->as<double>()[0];
    case ColumnType::boolean: return c.data->as<std::uint8_t>()[0];
    default: return static_cast<double>(c.data->as<std::int64_t>()[0]);
  }
}

// (names, aggregates, [[samples of column 0], ...]) -> pandas' describe() table
Value k_describe(Args a) {
  if (a.size() != 3) throw TypeError("dataframe.describe: expected 3 arguments");
  const auto& names = a[0].as_list();
  const Table& agg = a[1].as_table();
  const auto& samples = a[2].as_list();
  std::vector<Column> cols{Column::from_strings("index", {"count", "mean", "std", "min", "25%", "50%", "75%", "max"})};
  for (std::size_t c = 0; c < names.size(); ++c) {
    const std::string& n = names[c].as_string();
    auto q = sample_quantiles(tables(samples[c]), {0.25, 0.5, 0.75});
    auto qv = [](const Value& v) { return v.is_none() ? std::nan("") : v.as_float(); };
    std::vector<double> v{number(agg.column(n + "\x1f" "count")), number(agg.column(n + "\x1f" "mean")),
                          number(agg.column(n + "\x1f" "std")),   number(agg.column(n + "\x1f" "min")),
                          qv(q[0]), qv(q[1]), qv(q[2]), number(agg.column(n + "\x1f" "max"))};
    ColumnBuilder b(n, ColumnType::float64);
    for (double x : v) std::isnan(x) ? b.append_null() : b.append_float(x);
    cols.push_back(b.finish());
  }
  return Value(Table(std::move(cols)));
}

std::pair<std::vector<Key>, LayerPtr> samples_of(const DataFrame& f, const std::string& column) {
  auto s = f.partitionwise("quantile-sample-" + column, "dataframe.sample_points", {Value(column), Value(kSample)}, {},
                           std::nullopt);
  return {s.keys(), s.layer()};
}

ArgList refs(const std::vector<Key>& keys) {
  ArgList out;
  for (const auto& k : keys) out.emplace_back(k);
  return out;
}

bool numeric(ColumnType t) { return t == ColumnType::int64 || t == ColumnType::float64 || t == ColumnType::boolean; }

}  // namespace

std::vector<KernelEntry> reduction_kernels() {
  return {{"dataframe.describe", k_describe, "(names, aggregates, samples) -> describe()'s table"}};
}

Scalar Series::quantile(const std::vector<double>& qs) const {
  register_operation_functions();
  if (!numeric(type_))
    throw TypeError("quantile: needs a numeric Series, '" + name_ + "' is " + std::string(column_type_name(type_)));
  ValueList qv;
  for (double q : qs) {
    if (!(q >= 0 && q <= 1)) throw ValueError("quantile: q must be between 0 and 1, got " + std::to_string(q));
    qv.emplace_back(q);
  }
  DataFrame f = to_frame();
  auto [keys, layer] = samples_of(f, name_);
  std::string name = "quantile-" + tokenize(f.name(), Value(qv));
  std::vector<TaskSpec> tasks{TaskSpec{Key(name), op_function("dataframe.quantiles"), {Arg(refs(keys)), Arg(Value(qv))}}};
  return Scalar(Key(name), make_layer(name, std::move(tasks), {layer}));
}

Scalar Series::quantile(double q) const {
  Scalar list = quantile(std::vector<double>{q});
  std::string name = "quantile-item-" + tokenize(list.key().str());
  std::vector<TaskSpec> tasks{TaskSpec{Key(name), op_function("dataframe.piece"), {Arg(list.key()), Arg(Value(0))}}};
  return Scalar(Key(name), make_layer(name, std::move(tasks), {list.layer()}));
}

DataFrame DataFrame::describe() const {
  register_operation_functions();
  std::vector<AggSpec> aggs;
  Schema agg_schema, schema{{"index", ColumnType::string}};
  ValueList names;
  ArgList samples;
  std::vector<LayerPtr> deps;
  for (const auto& c : schema_) {
    if (c.type != ColumnType::int64 && c.type != ColumnType::float64) continue;  // pandas: numbers only
    for (const char* f : {"count", "mean", "std", "min", "max"}) {
      aggs.push_back({c.name + "\x1f" + f, expr::col(c.name), f, 1});
      agg_schema.push_back({aggs.back().out, aggregation_type(f, c.type)});
    }
    names.emplace_back(c.name);
    schema.push_back({c.name, ColumnType::float64});
    auto [keys, layer] = samples_of(*this, c.name);
    samples.emplace_back(refs(keys));
    deps.push_back(layer);
  }
  if (names.empty()) throw TypeError("describe: no numeric (int64 or float64) column among " + column_list(schema_));
  DataFrame agg = aggregate("describe-agg", {}, aggs_to_value(aggs), 0, agg_schema, std::nullopt);
  deps.push_back(agg.layer());
  std::string name = "describe-" + tokenize(name_, Value(names));
  std::vector<TaskSpec> tasks{TaskSpec{Key(name, {0}), op_function("dataframe.describe"),
                                       {Arg(Value(names)), Arg(agg.key(0)), Arg(std::move(samples))}}};
  return DataFrame(name, make_layer(name, std::move(tasks), std::move(deps)), 1, std::move(schema));
}

}  // namespace tessera::dataframe

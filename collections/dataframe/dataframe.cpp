#include "collections/dataframe/dataframe.hpp"

#include <algorithm>

#include "collections/core/tree_reduce.hpp"
#include "collections/dataframe/aggregation.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/fuse_csv.hpp"
#include "collections/dataframe/kernels.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

ValueList string_list(const std::vector<std::string>& v) {
  ValueList out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

Value index_value(const std::optional<std::string>& index) { return index ? Value(*index) : Value(); }

}  // namespace

Value Scalar::compute(const ComputeOptions& options) const {
  Key keys[] = {key_};
  return get_executor(options.scheduler)->compute(fuse_csv_aggregations(HighLevelGraph({layer_}), keys), keys).front();
}

DataFrame::DataFrame(std::string name, LayerPtr layer, std::int64_t npartitions, Schema schema,
                     std::optional<std::string> index)
    : name_(std::move(name)), layer_(std::move(layer)), npartitions_(npartitions), schema_(std::move(schema)),
      index_(std::move(index)) {
  if (npartitions_ < 1) throw ValueError("dataframe '" + name_ + "': needs at least one partition");
}

std::vector<std::string> DataFrame::columns() const {
  std::vector<std::string> out;
  for (const auto& c : schema_) out.push_back(c.name);
  return out;
}

std::vector<Key> DataFrame::keys() const {
  std::vector<Key> out;
  for (std::int64_t i = 0; i < npartitions_; ++i) out.push_back(key(i));
  return out;
}

DataFrame DataFrame::partitionwise(const std::string& prefix, const std::string& fn_name, const ValueList& leading,
                                   Schema schema, std::optional<std::string> index) const {
  auto fn = df_function(fn_name);
  Tokenizer t;
  t.add(prefix).add(name_).add(fn_name);
  for (const auto& v : leading) t.add(v);
  std::string name = prefix + "-" + t.hex();
  std::vector<TaskSpec> tasks;
  tasks.reserve(static_cast<std::size_t>(npartitions_));
  for (std::int64_t i = 0; i < npartitions_; ++i) {
    ArgList args;
    for (const auto& v : leading) args.emplace_back(v);
    args.emplace_back(key(i));
    tasks.push_back(TaskSpec{Key(name, {i}), fn, std::move(args)});
  }
  return DataFrame(name, make_layer(name, std::move(tasks), {layer_}), npartitions_, std::move(schema),
                   std::move(index));
}

// ---- selection ----

Series DataFrame::operator[](const std::string& column) const {
  (void)type_of(schema_, column);
  return Series(*this, expr::col(column), column);
}
Series DataFrame::operator[](const char* column) const { return (*this)[std::string(column)]; }

DataFrame DataFrame::operator[](const std::vector<std::string>& cols) const {
  std::vector<std::pair<std::string, Series>> picked;
  Schema schema;
  ValueList names, exprs;
  for (const auto& c : cols) {
    schema.push_back({c, type_of(schema_, c)});
    names.emplace_back(c);
    exprs.push_back(expr::col(c));
  }
  auto index = index_ && std::find(cols.begin(), cols.end(), *index_) != cols.end() ? index_ : std::nullopt;
  DataFrame out =
      partitionwise("getitem", "dataframe.project", {Value(names), Value(exprs), index_value(index)}, schema, index);
  if (index) out.divisions_ = divisions_;  // the same rows in the same partitions
  return out;
}

DataFrame DataFrame::operator[](const Series& mask) const {
  if (mask.frame().name() != name_)
    throw ValueError("dataframe: the boolean mask is a Series of another DataFrame ('" + mask.frame().name() +
                     "'); build it from this one ('" + name_ + "')");
  if (mask.dtype() != ColumnType::boolean)
    throw TypeError("dataframe: a row mask must be a bool Series, got " + std::string(column_type_name(mask.dtype())));
  DataFrame out = partitionwise("filter", "dataframe.filter", {mask.expr()}, schema_, index_);
  // Remember the filter, so that a reduction of the result reads this frame's
  // partitions with the mask instead of copying the kept rows.
  auto origin = std::make_shared<FilterOrigin>(FilterOrigin{*this, mask.expr()});
  if (origin_) origin = std::make_shared<FilterOrigin>(FilterOrigin{origin_->base, expr::op("and", {origin_->mask, mask.expr()})});
  out.origin_ = std::move(origin);
  out.divisions_ = divisions_;  // rows only leave their partitions
  return out;
}

DataFrame DataFrame::assign(const std::vector<std::pair<std::string, Series>>& cols) const {
  ValueList names, exprs;
  Schema schema = schema_;
  for (const auto& c : schema_) names.emplace_back(c.name), exprs.push_back(expr::col(c.name));
  bool index_changed = false;
  for (const auto& [name, s] : cols) {
    if (s.frame().name() != name_)
      throw ValueError("assign: column '" + name + "' is a Series of another DataFrame; build it from this one");
    if (index_ && name == *index_) index_changed = true;
    bool replaced = false;
    for (std::size_t i = 0; i < schema.size(); ++i)
      if (schema[i].name == name) schema[i].type = s.dtype(), exprs[i] = s.expr(), replaced = true;
    if (!replaced) schema.push_back({name, s.dtype()}), names.emplace_back(name), exprs.push_back(s.expr());
  }
  DataFrame out =
      partitionwise("assign", "dataframe.project", {Value(names), Value(exprs), index_value(index_)}, schema, index_);
  if (!index_changed) out.divisions_ = divisions_;  // new values of the index would not stay in their ranges
  return out;
}

DataFrame DataFrame::assign(const std::string& name, const Series& column) const { return assign({{name, column}}); }

DataFrame DataFrame::rename(const std::vector<std::pair<std::string, std::string>>& mapping) const {
  for (const auto& [from, to] : mapping) (void)type_of(schema_, from);
  ValueList names, exprs;
  Schema schema;
  auto index = index_;
  for (const auto& c : schema_) {
    std::string n = c.name;
    for (const auto& [from, to] : mapping)
      if (from == c.name) n = to;
    if (index_ && *index_ == c.name) index = n;
    schema.push_back({n, c.type});
    names.emplace_back(n);
    exprs.push_back(expr::col(c.name));
  }
  DataFrame out =
      partitionwise("rename", "dataframe.project", {Value(names), Value(exprs), index_value(index)}, schema, index);
  out.divisions_ = divisions_;
  return out;
}

DataFrame DataFrame::drop(const std::vector<std::string>& cols) const {
  for (const auto& c : cols) (void)type_of(schema_, c);
  std::vector<std::string> kept;
  for (const auto& c : schema_)
    if (std::find(cols.begin(), cols.end(), c.name) == cols.end()) kept.push_back(c.name);
  return (*this)[kept];
}

DataFrame DataFrame::astype(const std::vector<std::pair<std::string, std::string>>& dtypes) const {
  std::vector<std::pair<std::string, Series>> cols;
  for (const auto& [name, type] : dtypes) cols.emplace_back(name, (*this)[name].astype(type));
  return assign(cols);
}

DataFrame DataFrame::fillna(const Value& value) const {
  std::vector<std::pair<std::string, Series>> cols;
  auto fits = [&](ColumnType t) {
    switch (value.kind()) {
      case ValueKind::int64:
      case ValueKind::float64: return t == ColumnType::int64 || t == ColumnType::float64;
      case ValueKind::boolean: return t == ColumnType::boolean;
      case ValueKind::string: return t == ColumnType::string;
      default: return false;
    }
  };
  for (const auto& c : schema_)
    if (fits(c.type)) cols.emplace_back(c.name, (*this)[c.name].fillna(value));
  return assign(cols);
}

DataFrame DataFrame::dropna(const std::vector<std::string>& subset) const {
  std::vector<std::string> cols = subset.empty() ? columns() : subset;
  if (cols.empty()) return *this;
  Series keep = (*this)[cols[0]].notna();
  for (std::size_t i = 1; i < cols.size(); ++i) keep = keep & (*this)[cols[i]].notna();
  return (*this)[keep];
}

DataFrame DataFrame::isna() const {
  ValueList names, exprs;
  Schema schema;
  for (const auto& c : schema_) {
    names.emplace_back(c.name);
    exprs.push_back(expr::op("isna", {expr::col(c.name)}));
    schema.push_back({c.name, ColumnType::boolean});
  }
  return partitionwise("isna", "dataframe.project", {Value(names), Value(exprs), Value()}, schema, std::nullopt);
}

// ---- reductions ----

std::pair<Key, LayerPtr> DataFrame::aggregate_tree(const std::string& prefix, const std::vector<std::string>& keys,
                                                   const Value& aggs, std::size_t split_every) const {
  for (const auto& k : keys) (void)type_of(schema_, k);
  // A filtered frame is reduced straight from its source, the mask applied in the chunk.
  const DataFrame& source = origin_ ? origin_->base : *this;
  Value mask = origin_ ? origin_->mask : Value();
  Tokenizer t;
  t.add(prefix).add(source.name()).add(mask).add(Value(string_list(keys))).add(aggs);
  const std::string chunk_name = prefix + "-chunk-" + t.hex();
  auto fn = df_function("dataframe.agg_chunk");
  std::vector<TaskSpec> tasks;
  std::vector<Key> partials;
  for (std::int64_t i = 0; i < source.npartitions(); ++i) {
    partials.emplace_back(chunk_name, std::vector<std::int64_t>{i});
    tasks.push_back(TaskSpec{partials.back(), fn,
                             {Arg(source.key(i)), Arg(mask), Arg(Value(string_list(keys))), Arg(aggs)}});
  }
  auto chunk_layer = make_layer(chunk_name, std::move(tasks), {source.layer()});
  auto tree = tree_reduce(partials, {chunk_layer},
                          {prefix, df_function("dataframe.agg_combine"), nullptr, split_every});
  return {tree.key, tree.layer};
}

DataFrame DataFrame::aggregate(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                               std::int64_t order, Schema schema, std::optional<std::string> index,
                               std::size_t split_every) const {
  return aggregate_mode(prefix, keys, aggs, order, 0, std::move(schema), std::move(index), split_every);
}

DataFrame DataFrame::aggregate_mode(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                                    std::int64_t order, std::int64_t mode, Schema schema,
                                    std::optional<std::string> index, std::size_t split_every) const {
  auto [tree_key, tree_layer] = aggregate_tree(prefix, keys, aggs, split_every);
  std::string name = prefix + "-" + tokenize(tree_key.str(), order, mode);
  std::vector<TaskSpec> tasks{
      TaskSpec{Key(name, {0}), df_function("dataframe.agg_finalize"), {Arg(tree_key), Arg(Value(order)), Arg(Value(mode))}}};
  DataFrame out(name, make_layer(name, std::move(tasks), {tree_layer}), 1, std::move(schema), std::move(index));
  out.group_keys_ = keys;
  if (mode == 3 && !out.group_keys_.empty()) out.group_keys_.pop_back();  // nunique: the value column was a key
  return out;
}

Scalar DataFrame::aggregate_scalar(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                                   std::int64_t mode, std::size_t split_every) const {
  auto [tree_key, tree_layer] = aggregate_tree(prefix, keys, aggs, split_every);
  std::string name = prefix + "-" + tokenize(tree_key.str(), mode);
  std::vector<TaskSpec> tasks{
      TaskSpec{Key(name), df_function("dataframe.agg_finalize"), {Arg(tree_key), Arg(Value(0)), Arg(Value(mode))}}};
  return Scalar(Key(name), make_layer(name, std::move(tasks), {tree_layer}));
}

DataFrame DataFrame::whole_frame_reduction(const std::string& func, std::int64_t ddof) const {
  std::vector<AggSpec> aggs;
  Schema schema;
  for (const auto& c : schema_) {
    ColumnType out;
    try {
      out = aggregation_type(func, c.type);
    } catch (const TypeError&) {
      continue;  // a column the reduction does not apply to (pandas' numeric_only)
    }
    aggs.push_back({c.name, expr::col(c.name), func, ddof});
    schema.push_back({c.name, out});
  }
  if (aggs.empty()) throw TypeError("dataframe: no column supports " + func + "()");
  return aggregate(func, {}, aggs_to_value(aggs), 0, schema, std::nullopt);
}

DataFrame DataFrame::sum() const { return whole_frame_reduction("sum", 1); }
DataFrame DataFrame::mean() const { return whole_frame_reduction("mean", 1); }
DataFrame DataFrame::count() const { return whole_frame_reduction("count", 1); }
DataFrame DataFrame::min() const { return whole_frame_reduction("min", 1); }
DataFrame DataFrame::max() const { return whole_frame_reduction("max", 1); }
DataFrame DataFrame::std(std::int64_t ddof) const { return whole_frame_reduction("std", ddof); }
DataFrame DataFrame::var(std::int64_t ddof) const { return whole_frame_reduction("var", ddof); }

Scalar DataFrame::len() const {
  auto counts = partitionwise("len-chunk", "dataframe.len", {}, {}, std::nullopt);
  auto tree = tree_reduce(counts.keys(), {counts.layer()}, {"len", df_function("dataframe.sum_ints"), nullptr, 8});
  return Scalar(tree.key, tree.layer);
}

GroupBy DataFrame::groupby(const std::string& key) const { return groupby(std::vector<std::string>{key}); }
GroupBy DataFrame::groupby(std::vector<std::string> keys) const {
  if (keys.empty()) throw ValueError("groupby: no keys given");
  for (const auto& k : keys) (void)type_of(schema_, k);
  return GroupBy(*this, std::move(keys));
}

// ---- results ----

Table DataFrame::compute(const ComputeOptions& options) const { return dataframe::compute({*this}, options).front(); }

std::vector<Table> compute(const std::vector<DataFrame>& frames, const ComputeOptions& options) {
  std::vector<LayerPtr> tops;
  std::vector<Key> outputs;
  for (const auto& f : frames) {
    tops.push_back(f.layer());
    for (auto& k : f.keys()) outputs.push_back(std::move(k));
  }
  auto values = get_executor(options.scheduler)->compute(fuse_csv_aggregations(HighLevelGraph(tops), outputs), outputs);
  std::vector<Table> out;
  std::size_t at = 0;
  for (const auto& f : frames) {
    std::vector<Table> parts;
    for (std::int64_t i = 0; i < f.npartitions(); ++i) parts.push_back(values[at++].as_table());
    out.push_back(concat(parts));
  }
  return out;
}

Table DataFrame::head(std::int64_t n, const ComputeOptions& options) const {
  if (n < 0) throw ValueError("head: n must not be negative");
  auto executor = get_executor(options.scheduler);
  auto fn = df_function("dataframe.head");
  std::vector<Table> got;
  std::int64_t rows = 0, next = 0, batch = 1;
  while (next < npartitions_ && (rows < n || got.empty())) {
    std::int64_t end = std::min(npartitions_, next + batch);
    std::string name = "head-" + tokenize(name_, n - rows, next, end);
    std::vector<TaskSpec> tasks;
    std::vector<Key> outputs;
    for (std::int64_t i = next; i < end; ++i) {
      Key k(name, {i});
      tasks.push_back(TaskSpec{k, fn, {Arg(Value(n - rows)), Arg(key(i))}});
      outputs.push_back(k);
    }
    auto parts = executor->compute(HighLevelGraph({make_layer(name, std::move(tasks), {layer_})}), outputs);
    for (const auto& p : parts) got.push_back(p.as_table()), rows += got.back().num_rows();
    next = end;
    // Next round: as many partitions as the rows seen so far suggest (twice as many while none are seen).
    if (rows == 0) batch *= 2;
    else batch = std::max<std::int64_t>(1, ((n - rows) * next + rows - 1) / rows);
  }
  return slice(concat(got), 0, n);
}

std::int64_t DataFrame::length(const ComputeOptions& options) const { return len().compute(options).as_int(); }

std::string DataFrame::repr() const {
  std::size_t w = 0;
  for (const auto& c : schema_) w = std::max(w, c.name.size());
  std::string out = "Tessera DataFrame Structure (npartitions=" + std::to_string(npartitions_);
  if (known_divisions()) {
    out += ", divisions (";
    for (std::size_t i = 0; i < divisions_.size(); ++i) out += (i ? ", " : "") + divisions_[i].repr(64);
    out += ")";
  } else {
    out += ", divisions unknown";
  }
  if (index_) out += ", index '" + *index_ + "'";
  out += "):\n";
  for (const auto& c : schema_)
    out += c.name + std::string(w - c.name.size() + 4, ' ') + std::string(column_type_name(c.type)) + "\n";
  return out + "Tessera Name: " + name_;
}

// ---- sources ----

DataFrame from_table(const Table& table, std::int64_t npartitions) {
  if (npartitions < 1) throw ValueError("from_table: npartitions must be at least 1, got " + std::to_string(npartitions));
  const std::int64_t n = table.num_rows();
  std::int64_t size = std::max<std::int64_t>(1, (n + npartitions - 1) / npartitions);
  std::string name = "from_table-" + tokenize(Value(table), size);
  std::vector<TaskSpec> tasks;
  std::int64_t i = 0;
  for (std::int64_t start = 0; start < n || (n == 0 && i == 0); start += size, ++i)
    tasks.push_back(TaskSpec{Key(name, {i}), nullptr, {Arg(Value(slice(table, start, std::min(n, start + size))))}});
  return DataFrame(name, make_layer(name, std::move(tasks)), i, schema_of(table), table.index());
}

DataFrame from_columns(std::vector<Column> columns, std::int64_t npartitions) {
  return from_table(Table(std::move(columns)), npartitions);
}

}  // namespace tessera::dataframe

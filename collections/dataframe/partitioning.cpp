// Operations that restructure partitions without a key (partitioning.hpp):
// map_partitions, repartition, persist, from_delayed.
#include "collections/dataframe/partitioning.hpp"

#include <algorithm>

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/operations.hpp"
#include "collections/dataframe/persist.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using Args = std::span<const Value>;

std::string schema_text(const Schema& s) {
  std::string out;
  for (const auto& c : s) out += (out.empty() ? "" : ", ") + c.name + " " + std::string(column_type_name(c.type));
  return "(" + out + ")";
}

// A result must be a table of the promised columns.
void check_schema(const Value& v, const Value& meta, const std::string& what) {
  if (v.kind() != ValueKind::table)
    throw TypeError(what + " returned " + std::string(kind_name(v.kind())) + ", not a table");
  Schema want = schema_from_value(meta), got = schema_of(v.as_table());
  if (got != want) throw TypeError(what + " has columns " + schema_text(got) + " but meta says " + schema_text(want));
}

// (fn name, meta, [args], i, partition) -> fn(partition, args...), checked against meta.
Value k_map_partition(Args a) {
  if (a.size() != 5) throw TypeError("dataframe.map_partition: expected 5 arguments");
  auto fn = Registry::global().get(a[0].as_string());
  ValueList args{a[4]};
  for (const auto& x : a[2].as_list()) args.push_back(x);
  Value out = invoke(*fn, args);
  check_schema(out, a[1], "map_partitions: '" + a[0].as_string() + "' on partition " + std::to_string(a[3].as_int()));
  return out;
}

// (k, partition) -> [k near-equal row slices]
Value k_split_even(Args a) {
  if (a.size() != 2) throw TypeError("dataframe.split_even: expected 2 arguments");
  const std::int64_t k = a[0].as_int();
  const Table& t = a[1].as_table();
  const std::int64_t n = t.num_rows();
  ValueList out;
  for (std::int64_t p = 0; p < k; ++p) out.emplace_back(slice(t, p * n / k, (p + 1) * n / k));
  return Value(std::move(out));
}

// (meta, i, value) -> the value, when it is a table of the promised columns.
Value k_check_partition(Args a) {
  if (a.size() != 3) throw TypeError("dataframe.check_partition: expected 3 arguments");
  check_schema(a[2], a[0], "from_delayed: partition " + std::to_string(a[1].as_int()));
  return a[2];
}

}  // namespace

Value schema_to_value(const Schema& s) {
  ValueList out;
  for (const auto& c : s) out.emplace_back(ValueList{Value(c.name), Value(static_cast<std::int64_t>(c.type))});
  return Value(std::move(out));
}

Schema schema_from_value(const Value& v) {
  Schema out;
  for (const auto& c : v.as_list())
    out.push_back({c.as_list().at(0).as_string(), static_cast<ColumnType>(c.as_list().at(1).as_int())});
  return out;
}

Table empty_table(const Schema& s, std::optional<std::string> index) {
  std::vector<Column> cols;
  for (const auto& c : s) cols.push_back(ColumnBuilder(c.name, c.type).finish());
  return Table(std::move(cols), std::move(index));
}

std::vector<KernelEntry> extra_kernels() {
  return {
      {"dataframe.map_partition", k_map_partition, "(fn, meta, args, i, partition) -> fn(partition, args...)"},
      {"dataframe.split_even", k_split_even, "(k, partition) -> k near-equal slices"},
      {"dataframe.check_partition", k_check_partition, "(meta, i, value) -> the value, checked"},
  };
}

DataFrame DataFrame::map_partitions(const std::string& fn, std::optional<Schema> meta, const ValueList& args) const {
  register_operation_functions();
  auto f = Registry::global().get(fn);  // KeyError naming the nearest registered names
  if (!meta) {
    // As Dask: run the function on an empty partition to learn its columns.
    ValueList call{Value(empty_table(schema_, index_))};
    call.insert(call.end(), args.begin(), args.end());
    Value out;
    try {
      out = invoke(*f, call);
    } catch (const std::exception& e) {
      throw ValueError("map_partitions: '" + fn + "' failed on an empty partition (" + e.what() +
                       "); pass `meta`, the result's columns");
    }
    if (out.kind() != ValueKind::table)
      throw TypeError("map_partitions: '" + fn + "' returned " + std::string(kind_name(out.kind())) + ", not a table");
    meta = schema_of(out.as_table());
  }
  Value m = schema_to_value(*meta), a(args);
  std::string name = "map-partitions-" + tokenize(name_, fn, m, a);
  auto k = op_function("dataframe.map_partition");
  std::vector<TaskSpec> tasks;
  for (std::int64_t i = 0; i < npartitions_; ++i)
    tasks.push_back(TaskSpec{Key(name, {i}), k, {Arg(Value(fn)), Arg(m), Arg(a), Arg(Value(i)), Arg(key(i))}});
  std::optional<std::string> index;
  if (index_ && has_column(*meta, *index_)) index = index_;
  DataFrame out(name, make_layer(name, std::move(tasks), {layer_}), npartitions_, std::move(*meta), index);
  // As Dask: the function is trusted to keep each partition's index values.
  if (index && type_of(out.schema_, *index) == type_of(schema_, *index)) out.divisions_ = divisions_;
  return out;
}

DataFrame DataFrame::repartition(std::int64_t npartitions) const {
  register_operation_functions();
  if (npartitions < 1) throw ValueError("repartition: npartitions must be at least 1, got " + std::to_string(npartitions));
  const std::int64_t m = npartitions_, n = npartitions;
  if (n == m) return *this;
  std::string name = "repartition-" + tokenize(name_, n);
  auto concat_fn = op_function("dataframe.concat");
  std::vector<TaskSpec> tasks;
  std::vector<LayerPtr> deps{layer_};
  if (n < m) {  // output j: inputs [j*m/n, (j+1)*m/n)
    for (std::int64_t j = 0; j < n; ++j) {
      ArgList parts;
      for (std::int64_t i = j * m / n; i < (j + 1) * m / n; ++i) parts.emplace_back(key(i));
      tasks.push_back(TaskSpec{Key(name, {j}), concat_fn, {Arg(std::move(parts))}});
    }
  } else {  // input i: split into (i+1)*n/m - i*n/m >= 1 slices
    std::string split = "repartition-split-" + tokenize(name_, n);
    std::vector<TaskSpec> splits;
    auto split_fn = op_function("dataframe.split_even"), piece = op_function("dataframe.piece");
    std::int64_t j = 0;
    for (std::int64_t i = 0; i < m; ++i) {
      const std::int64_t k = (i + 1) * n / m - i * n / m;
      splits.push_back(TaskSpec{Key(split, {i}), split_fn, {Arg(Value(k)), Arg(key(i))}});
      for (std::int64_t p = 0; p < k; ++p, ++j)
        tasks.push_back(TaskSpec{Key(name, {j}), piece, {Arg(Key(split, {i})), Arg(Value(p))}});
    }
    deps = {make_layer(split, std::move(splits), {layer_})};
  }
  DataFrame out(name, make_layer(name, std::move(tasks), std::move(deps)), n, schema_, index_);
  if (n < m && known_divisions()) {  // neighbours concatenated: their outer divisions remain
    for (std::int64_t j = 0; j < n; ++j) out.divisions_.push_back(divisions_[static_cast<std::size_t>(j * m / n)]);
    out.divisions_.push_back(divisions_.back());
  }
  return out;
}

DataFrame DataFrame::persist(const ComputeOptions& options) const {
  auto executor = get_executor(options.scheduler);
  const std::vector<Key> wanted = keys();
  // On a cluster: the partitions stay on the workers, held by the new layer.
  if (auto* cluster = dynamic_cast<PersistingExecutor*>(executor.get()))
    return with_layer(cluster->persist(graph(), wanted, name_));
  // Elsewhere: the values themselves become the graph.
  auto values = executor->compute(graph(), wanted);
  std::string name = "persist-" + tokenize(name_);
  std::vector<TaskSpec> tasks;
  for (std::int64_t i = 0; i < npartitions_; ++i)
    tasks.push_back(TaskSpec{Key(name, {i}), nullptr, {Arg(std::move(values[static_cast<std::size_t>(i)]))}});
  DataFrame out(name, make_layer(name, std::move(tasks)), npartitions_, schema_, index_);
  out.group_keys_ = group_keys_;
  out.divisions_ = divisions_;
  return out;
}

DataFrame DataFrame::with_layer(LayerPtr held) const {
  DataFrame out(name_, std::move(held), npartitions_, schema_, index_);
  out.group_keys_ = group_keys_;
  out.divisions_ = divisions_;  // no filter origin: later reductions read the held partitions
  return out;
}

DataFrame from_delayed_keys(const std::vector<std::pair<Key, LayerPtr>>& parts, std::optional<Schema> meta,
                            const ComputeOptions& options) {
  register_operation_functions();
  if (parts.empty()) throw ValueError("from_delayed: no partitions given");
  std::optional<std::string> index;
  if (!meta) {  // as Dask: the first partition tells the columns (computed now)
    Key k[] = {parts[0].first};
    Value first = get_executor(options.scheduler)->compute(HighLevelGraph({parts[0].second}), k).front();
    if (first.kind() != ValueKind::table)
      throw TypeError("from_delayed: partition 0 is " + std::string(kind_name(first.kind())) + ", not a table");
    meta = schema_of(first.as_table());
    index = first.as_table().index();
  }
  Value m = schema_to_value(*meta);
  Tokenizer t;
  t.add("from_delayed").add(m);
  for (const auto& p : parts) t.add(p.first.str());
  std::string name = "from-delayed-" + t.hex();
  auto check = op_function("dataframe.check_partition");
  std::vector<TaskSpec> tasks;
  std::vector<LayerPtr> deps;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    tasks.push_back(TaskSpec{Key(name, {static_cast<std::int64_t>(i)}), check,
                             {Arg(m), Arg(Value(static_cast<std::int64_t>(i))), Arg(parts[i].first)}});
    deps.push_back(parts[i].second);
  }
  return DataFrame(name, make_layer(name, std::move(tasks), std::move(deps)), static_cast<std::int64_t>(parts.size()),
                   std::move(*meta), index);
}

}  // namespace tessera::dataframe

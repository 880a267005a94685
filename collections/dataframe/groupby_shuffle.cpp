// The group-by operations that move rows or partials between partitions:
// split_out (DataFrame::aggregate_split) and GroupBy::apply.
#include <absl/container/flat_hash_map.h>

#include "collections/core/tree_reduce.hpp"
#include "collections/dataframe/dataframe.hpp"
#include "collections/dataframe/shuffle.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "collections/dataframe/string_lists.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using Args = std::span<const Value>;

// (split_on, n, [partial, keys, aggs]) -> n bundles, by hash of split_on
Value k_split_partial(Args a) {
  if (a.size() != 3) throw TypeError("dataframe.split_partial: expected 3 arguments");
  const auto& bundle = a[2].as_list();
  ValueList out;
  for (auto& piece : hash_split(bundle.at(0).as_table(), strings(a[0]), a[1].as_int()))
    out.emplace_back(ValueList{Value(std::move(piece)), bundle.at(1), bundle.at(2)});
  return Value(std::move(out));
}

// (fn, keys, meta, partition) -> fn(group) for each group in key order, concatenated
Value k_groupby_apply(Args a) {
  if (a.size() != 4) throw TypeError("dataframe.groupby_apply: expected 4 arguments");
  const std::string& name = a[0].as_string();
  auto fn = Registry::global().get(name);
  auto keys = strings(a[1]);
  Schema meta = schema_from_value(a[2]);
  const Table& t = a[3].as_table();
  // Groups in order of first appearance, rows with a null key left out.
  std::vector<const Column*> key_cols;
  for (const auto& k : keys) key_cols.push_back(&t.column(k));
  auto encoded = encode_rows(t, keys);
  absl::flat_hash_map<std::string_view, std::size_t> ids;
  std::vector<std::vector<std::int64_t>> groups;
  for (std::int64_t i = 0; i < t.num_rows(); ++i) {
    bool null_key = false;
    for (const auto* c : key_cols) null_key |= !c->is_valid(i);
    if (null_key) continue;
    auto [it, fresh] = ids.try_emplace(encoded[static_cast<std::size_t>(i)], groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  // Key order: sort the groups' first rows by the keys.
  std::vector<std::int64_t> firsts;
  for (const auto& g : groups) firsts.push_back(g[0]);
  Table heads = take(t, firsts);
  std::vector<std::int64_t> gid(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) gid[g] = static_cast<std::int64_t>(g);
  heads = with_column(heads, Column::from_int64("__group", gid));
  Table order = sort_table(heads, keys, {});
  std::vector<Table> out;
  const auto ord = order.column("__group").data->as<std::int64_t>();
  for (std::int64_t r = 0; r < order.num_rows(); ++r) {
    Value group(take(t, groups[static_cast<std::size_t>(ord[r])]));
    Value v = invoke(*fn, std::span<const Value>(&group, 1));
    if (v.kind() != ValueKind::table)
      throw TypeError("groupby.apply: '" + name + "' returned " + std::string(kind_name(v.kind())) + ", not a table");
    if (schema_of(v.as_table()) != meta)
      throw TypeError("groupby.apply: '" + name + "' returned other columns than its meta (" + column_list(meta) + ")");
    out.push_back(Table(v.as_table().columns()));
  }
  if (out.empty()) return Value(empty_table(meta));
  return Value(concat(out));
}

}  // namespace

std::vector<KernelEntry> groupby_shuffle_kernels() {
  return {
      {"dataframe.split_partial", k_split_partial, "(split_on, n, partial) -> n partials by hash of the keys"},
      {"dataframe.groupby_apply", k_groupby_apply, "(fn, keys, meta, partition) -> fn of each group, concatenated"},
  };
}

DataFrame DataFrame::aggregate_split(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                                     std::int64_t order, std::int64_t mode, Schema schema,
                                     std::optional<std::string> index, std::size_t split_every, std::int64_t split_out,
                                     const std::vector<std::string>& split_on) const {
  register_operation_functions();
  for (const auto& k : keys) (void)type_of(schema_, k);
  const DataFrame& source = origin_ ? origin_->base : *this;
  Value mask = origin_ ? origin_->mask : Value();
  Value key_list(string_values(keys)), on(string_values(split_on));
  const std::string token = tokenize(prefix, source.name(), mask, key_list, aggs, split_out, on);
  // 1. chunk: one partial per partition (as aggregate).
  const std::string chunk = prefix + "-chunk-" + token;
  auto chunk_fn = op_function("dataframe.agg_chunk");
  std::vector<TaskSpec> chunks;
  for (std::int64_t i = 0; i < source.npartitions(); ++i)
    chunks.push_back(TaskSpec{Key(chunk, {i}), chunk_fn, {Arg(source.key(i)), Arg(mask), Arg(key_list), Arg(aggs)}});
  auto chunk_layer = make_layer(chunk, std::move(chunks), {source.layer()});
  // 2. each partial split by hash of the keys; piece (i, j) a task of its own.
  const std::string split = prefix + "-split-" + token, piece = prefix + "-piece-" + token;
  auto split_fn = op_function("dataframe.split_partial"), piece_fn = op_function("dataframe.piece");
  std::vector<TaskSpec> splits, pieces;
  for (std::int64_t i = 0; i < source.npartitions(); ++i) {
    splits.push_back(TaskSpec{Key(split, {i}), split_fn, {Arg(on), Arg(Value(split_out)), Arg(Key(chunk, {i}))}});
    for (std::int64_t j = 0; j < split_out; ++j)
      pieces.push_back(TaskSpec{Key(piece, {i, j}), piece_fn, {Arg(Key(split, {i})), Arg(Value(j))}});
  }
  auto piece_layer = make_layer(piece, std::move(pieces), {make_layer(split, std::move(splits), {chunk_layer})});
  // 3. part j: its pieces combined by a tree, then finalized.
  const std::string name = prefix + "-" + token;
  auto combine = op_function("dataframe.agg_combine"), finalize = op_function("dataframe.agg_finalize");
  std::vector<TaskSpec> tasks;
  std::vector<LayerPtr> deps;
  for (std::int64_t j = 0; j < split_out; ++j) {
    std::vector<Key> parts;
    for (std::int64_t i = 0; i < source.npartitions(); ++i) parts.emplace_back(piece, std::vector<std::int64_t>{i, j});
    auto tree = tree_reduce(parts, {piece_layer}, {prefix + "-part" + std::to_string(j), combine, nullptr, split_every});
    tasks.push_back(TaskSpec{Key(name, {j}), finalize, {Arg(tree.key), Arg(Value(order)), Arg(Value(mode))}});
    deps.push_back(tree.layer);
  }
  DataFrame out(name, make_layer(name, std::move(tasks), std::move(deps)), split_out, std::move(schema),
                std::move(index));
  out.group_keys_ = keys;
  if (mode == 3 && !out.group_keys_.empty()) out.group_keys_.pop_back();
  return out;
}

DataFrame GroupBy::apply(const std::string& fn, std::optional<Schema> meta) const {
  register_operation_functions();
  auto f = Registry::global().get(fn);  // KeyError naming the nearest registered names
  if (!meta) {
    Value empty(empty_table(frame_.schema()));
    Value out;
    try {
      out = invoke(*f, std::span<const Value>(&empty, 1));
    } catch (const std::exception& e) {
      throw ValueError("groupby.apply: '" + fn + "' failed on an empty group (" + e.what() +
                       "); pass `meta`, the result's columns");
    }
    if (out.kind() != ValueKind::table)
      throw TypeError("groupby.apply: '" + fn + "' returned " + std::string(kind_name(out.kind())) + ", not a table");
    meta = schema_of(out.as_table());
  }
  DataFrame shuffled = frame_.shuffle(keys_);
  Value m = schema_to_value(*meta);
  return shuffled.partitionwise("groupby-apply", "dataframe.groupby_apply", {Value(fn), Value(string_values(keys_)), m},
                                *meta, std::nullopt);
}

}  // namespace tessera::dataframe

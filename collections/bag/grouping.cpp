// Bag's grouping and restructuring operations: foldby, groupby (shuffle),
// join, product, repartition, reduction, str_match, from_delayed.
#include <algorithm>
#include <cmath>

#include "collections/bag/bag.hpp"
#include "collections/bag/bag_functions.hpp"
#include "collections/core/tree_reduce.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

Bag one_partition(const std::pair<Key, LayerPtr>& r) { return Bag(std::string(r.first.name()), r.second, 1); }

ArgList refs(const std::vector<Key>& keys) {
  ArgList out;
  for (const auto& k : keys) out.emplace_back(k);
  return out;
}

}  // namespace

Item Bag::reduction(const BagFunction& perpartition, const BagFunction& aggregate, std::size_t split_every) const {
  std::vector<FunctionPtr> user{perpartition.fn(), aggregate.fn()};
  auto r = reduction("reduction", bind_functions(bag_function("bag.reduction_chunk"), user),
                     {perpartition.spec(), aggregate.spec()},
                     bind_functions(bag_function("bag.reduction_combine"), user),
                     bag_function("bag.reduction_finalize"), {}, split_every, false);
  return Item(r.first, r.second);
}

Bag Bag::foldby(const GroupKey& key, const BagFunction& binop, std::optional<Value> initial,
                std::optional<BagFunction> combine, std::optional<Value> combine_initial,
                std::size_t split_every) const {
  const BagFunction& comb = combine ? *combine : binop;
  std::vector<FunctionPtr> user{key.fn(), binop.fn(), comb.fn()};
  ValueList args{key.spec(), binop.spec(), Value(initial.has_value()), initial.value_or(Value()),
                 comb.spec(), Value(combine_initial.has_value()), combine_initial.value_or(Value())};
  return one_partition(reduction("foldby", bind_functions(bag_function("bag.foldby_chunk"), user), args,
                                 bind_functions(bag_function("bag.foldby_combine"), user),
                                 bag_function("bag.foldby_finalize"), {}, split_every, true));
}

Bag Bag::groupby(const GroupKey& key, std::int64_t npartitions) const {
  if (npartitions < 0) throw ValueError("groupby: npartitions must not be negative");
  const std::int64_t n = npartitions == 0 ? npartitions_ : npartitions;
  // 1. Each input partition split by hash(key) into n pieces.
  Bag split = partitionwise("groupby-split", bind_functions(bag_function("bag.hash_partition"), {key.fn()}),
                            {key.spec(), Value(n)});
  // 2. Piece (i, j) as a task of its own, so output j fetches only its pieces.
  auto getitem = bag_function("bag.getitem");
  std::string pieces = "groupby-piece-" + tokenize(split.name(), n);
  std::vector<TaskSpec> piece_tasks;
  for (std::int64_t i = 0; i < npartitions_; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      piece_tasks.push_back(TaskSpec{Key(pieces, {i, j}), getitem, {Arg(split.key(i)), Arg(Value(j))}});
  auto piece_layer = make_layer(pieces, std::move(piece_tasks), {split.layer()});
  // 3. Output j groups the j-th pieces of every input partition.
  auto collect = bag_function("bag.groupby_collect");
  std::string name = "groupby-" + tokenize(pieces);
  std::vector<TaskSpec> tasks;
  for (std::int64_t j = 0; j < n; ++j) {
    ArgList args;
    for (std::int64_t i = 0; i < npartitions_; ++i) args.emplace_back(Key(pieces, {i, j}));
    tasks.push_back(TaskSpec{Key(name, {j}), collect, std::move(args)});
  }
  return Bag(name, make_layer(name, std::move(tasks), {piece_layer}), n);
}

Bag Bag::join(const std::vector<Value>& other, const GroupKey& on_self, std::optional<GroupKey> on_other) const {
  const GroupKey& okey = on_other ? *on_other : on_self;
  auto fn = bind_functions(bag_function("bag.join_partition"), {okey.fn(), on_self.fn()});
  return partitionwise("join", fn, {okey.spec(), Value(ValueList(other.begin(), other.end())), on_self.spec()});
}

Bag Bag::product(const Bag& other) const {
  auto fn = bag_function("bag.product_partition");
  std::string name = "product-" + tokenize(name_, other.name());
  std::vector<TaskSpec> tasks;
  for (std::int64_t i = 0; i < npartitions_; ++i)
    for (std::int64_t j = 0; j < other.npartitions(); ++j)
      tasks.push_back(TaskSpec{Key(name, {i * other.npartitions() + j}), fn, {Arg(key(i)), Arg(other.key(j))}});
  return Bag(name, make_layer(name, std::move(tasks), {layer_, other.layer()}), npartitions_ * other.npartitions());
}

Bag Bag::repartition(std::int64_t npartitions) const {
  if (npartitions < 1) throw ValueError("repartition: npartitions must be at least 1, got " + std::to_string(npartitions));
  if (npartitions == npartitions_) return *this;
  std::string name = "repartition-" + std::to_string(npartitions) + "-" + tokenize(name_, npartitions);
  std::vector<TaskSpec> tasks;
  if (npartitions < npartitions_) {
    // Fewer: new partition j concatenates old ones [b_j, b_j+1), b = linspace(0, n_old, n_new + 1).
    auto concat = bag_function("bag.concat_partitions");
    auto bound = [&](std::int64_t j) {
      return static_cast<std::int64_t>(static_cast<double>(npartitions_) * static_cast<double>(j) /
                                        static_cast<double>(npartitions));
    };
    for (std::int64_t j = 0; j < npartitions; ++j) {
      ArgList args;
      for (std::int64_t i = bound(j); i < bound(j + 1); ++i) args.emplace_back(key(i));
      tasks.push_back(TaskSpec{Key(name, {j}), concat, std::move(args)});
    }
    return Bag(name, make_layer(name, std::move(tasks), {layer_}), npartitions);
  }
  // More: old partition i splits into div pieces (the last into div + mod).
  const std::int64_t div = npartitions / npartitions_, mod = npartitions % npartitions_;
  auto split = bag_function("bag.split_partition");
  auto getitem = bag_function("bag.getitem");
  std::string split_name = "split-" + tokenize(name, "split");
  std::int64_t j = 0;
  for (std::int64_t i = 0; i < npartitions_; ++i) {
    std::int64_t k = div + (i + 1 == npartitions_ ? mod : 0);
    if (k == 1) {
      tasks.push_back(TaskSpec{Key(name, {j++}), nullptr, {Arg(key(i))}});
      continue;
    }
    tasks.push_back(TaskSpec{Key(split_name, {i}), split, {Arg(Value(k)), Arg(key(i))}});
    for (std::int64_t jj = 0; jj < k; ++jj)
      tasks.push_back(TaskSpec{Key(name, {j++}), getitem, {Arg(Key(split_name, {i})), Arg(Value(jj))}});
  }
  return Bag(name, make_layer(name, std::move(tasks), {layer_}), npartitions);
}

Bag Bag::str_match(const std::string& pattern) const {
  return partitionwise("str_match", bag_function("bag.str_match_partition"), {Value(pattern)});
}

Bag from_delayed(const std::vector<Key>& keys, std::vector<LayerPtr> layers) {
  if (keys.empty()) throw ValueError("from_delayed: no delayed values given");
  auto fn = bag_function("bag.as_partition");
  Tokenizer t;
  t.add("from_delayed");
  for (const auto& k : keys) t.add(k.str());
  std::string name = "from_delayed-" + t.hex();
  std::vector<TaskSpec> tasks;
  for (std::size_t i = 0; i < keys.size(); ++i)
    tasks.push_back(TaskSpec{Key(name, {static_cast<std::int64_t>(i)}), fn, {Arg(keys[i])}});
  return Bag(name, make_layer(name, std::move(tasks), std::move(layers)), static_cast<std::int64_t>(keys.size()));
}

}  // namespace tessera::bag

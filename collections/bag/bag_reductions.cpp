// Bag's reductions: a chunk task per partition, tree_reduce over the partials
// with a combine built-in, and one finalize task holding the parameters
// (none when the tree's result is the answer; an alias task when a
// one-partition bag needs the key (name, 0)).
#include "collections/bag/bag.hpp"
#include "collections/bag/bag_functions.hpp"
#include "collections/bag/text_pipeline.hpp"
#include "collections/core/tree_reduce.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::bag {

std::pair<Key, LayerPtr> Bag::reduction(const std::string& prefix, const FunctionPtr& chunk,
                                        const ValueList& chunk_args, const FunctionPtr& combine,
                                        const FunctionPtr& finalize, const ValueList& finalize_args,
                                        std::size_t split_every, bool as_bag) const {
  return reduce_partials(prefix, partitionwise(prefix + "-chunk", chunk, chunk_args), combine, finalize,
                         finalize_args, split_every, as_bag);
}

std::pair<Key, LayerPtr> Bag::reduce_partials(const std::string& prefix, const Bag& partials,
                                              const FunctionPtr& combine, const FunctionPtr& finalize,
                                              const ValueList& finalize_args, std::size_t split_every,
                                              bool as_bag) const {
  auto tree = tree_reduce(partials.keys(), {partials.layer()}, {prefix, combine, nullptr, split_every});
  if (!finalize && !as_bag) return {tree.key, tree.layer};
  Tokenizer t;
  t.add(tree.key.str()).add(finalize ? std::string_view(finalize->name) : std::string_view("alias"));
  for (const auto& v : finalize_args) t.add(v);
  std::string name = prefix + "-" + t.hex();
  Key out = as_bag ? Key(name, {0}) : Key(name);
  ArgList args{Arg(tree.key)};
  for (const auto& v : finalize_args) args.emplace_back(v);
  std::vector<TaskSpec> tasks{TaskSpec{out, finalize, std::move(args)}};
  return {out, make_layer(name, std::move(tasks), {tree.layer})};
}

namespace {
Item item(std::pair<Key, LayerPtr> r) { return Item(std::move(r.first), std::move(r.second)); }
Bag one_partition(std::pair<Key, LayerPtr> r) {
  return Bag(std::string(r.first.name()), std::move(r.second), 1);
}
}  // namespace

Item Bag::count(std::size_t split_every) const {
  return item(reduction("count", bag_function("bag.count_chunk"), {}, bag_function("bag.sum_combine"),
                        nullptr, {}, split_every, false));
}

Item Bag::sum(std::size_t split_every) const {
  return item(reduction("sum", bag_function("bag.sum_chunk"), {}, bag_function("bag.sum_combine"),
                        nullptr, {}, split_every, false));
}

Item Bag::min(std::size_t split_every) const {
  return item(reduction("min", bag_function("bag.min_chunk"), {}, bag_function("bag.min_combine"),
                        bag_function("bag.extreme_finalize"), {Value("min")}, split_every, false));
}

Item Bag::max(std::size_t split_every) const {
  return item(reduction("max", bag_function("bag.max_chunk"), {}, bag_function("bag.max_combine"),
                        bag_function("bag.extreme_finalize"), {Value("max")}, split_every, false));
}

Item Bag::mean(std::size_t split_every) const {
  return item(reduction("mean", bag_function("bag.moments_chunk"), {}, bag_function("bag.moments_combine"),
                        bag_function("bag.mean_finalize"), {}, split_every, false));
}

Item Bag::var(std::int64_t ddof, std::size_t split_every) const {
  return item(reduction("var", bag_function("bag.moments_chunk"), {}, bag_function("bag.moments_combine"),
                        bag_function("bag.var_finalize"), {Value(ddof), Value(false)}, split_every, false));
}

Item Bag::std(std::int64_t ddof, std::size_t split_every) const {
  return item(reduction("std", bag_function("bag.moments_chunk"), {}, bag_function("bag.moments_combine"),
                        bag_function("bag.var_finalize"), {Value(ddof), Value(true)}, split_every, false));
}

Item Bag::any(std::size_t split_every) const {
  return item(reduction("any", bag_function("bag.any_chunk"), {}, bag_function("bag.any_combine"),
                        nullptr, {}, split_every, false));
}

Item Bag::all(std::size_t split_every) const {
  return item(reduction("all", bag_function("bag.all_chunk"), {}, bag_function("bag.all_combine"),
                        nullptr, {}, split_every, false));
}

Bag Bag::frequencies(bool sort, std::size_t split_every) const {
  Bag partials = partitionwise("frequencies-chunk", bag_function("bag.frequencies_chunk"), {});
  if (pipeline_) {
    // Fused: each partition's text goes through the steps into a table in one task.
    auto chunk = bag_function("bag.text_frequencies_chunk");
    const Value steps(pipeline_->steps);
    std::string name = "frequencies-chunk-" + tokenize("fused", name_);
    std::vector<TaskSpec> tasks;
    for (std::int64_t i = 0; i < npartitions_; ++i)
      tasks.push_back(TaskSpec{Key(name, {i}), chunk, {Arg(pipeline_->sources[static_cast<std::size_t>(i)]), Arg(steps)}});
    partials = Bag(name, make_layer(name, std::move(tasks)), npartitions_);
  }
  auto tree = tree_reduce(partials.keys(), {partials.layer()},
                          {"frequencies", bag_function("bag.frequencies_combine"), nullptr, split_every});
  std::string name = "frequencies-" + tokenize(tree.key.str(), Value(sort));
  Key out(name, {0});
  std::vector<TaskSpec> tasks{
      TaskSpec{out, bag_function("bag.frequencies_finalize"), {Arg(tree.key), Arg(Value(sort))}}};
  Bag result(name, make_layer(name, std::move(tasks), {tree.layer}), 1);
  result.counts_ = std::make_shared<const CountsSource>(CountsSource{tree.key, tree.layer});
  return result;
}

Bag Bag::distinct(std::size_t split_every) const {
  return one_partition(reduction("distinct", bag_function("bag.distinct_chunk"), {},
                                 bag_function("bag.distinct_combine"), nullptr, {}, split_every, true));
}

Bag Bag::topk(std::int64_t k, std::optional<BagFunction> key, std::size_t split_every) const {
  std::vector<FunctionPtr> user{key ? key->fn() : nullptr};
  Value key_name = key ? key->spec() : Value();
  return one_partition(reduction("topk", bind_functions(bag_function("bag.topk_chunk"), user),
                                 {Value(k), key_name},
                                 bind_functions(bag_function("bag.topk_combine"), user),
                                 bag_function("bag.topk_finalize"), {}, split_every, true));
}

Bag Bag::topk(std::int64_t k, const Value& key, std::size_t split_every) const {
  if (key.kind() != ValueKind::int64 && key.kind() != ValueKind::string)
    throw TypeError("topk: key must be a function, a list index or a dict key, got " + key.repr(100));
  if (counts_ && key == Value(1)) {
    // frequencies().topk(k, 1): the k largest counts straight from the merged table.
    std::string name = "topk-" + tokenize(counts_->partial.str(), k);
    std::vector<TaskSpec> tasks{
        TaskSpec{Key(name, {0}), bag_function("bag.frequencies_topk"), {Arg(counts_->partial), Arg(Value(k))}}};
    return Bag(name, make_layer(name, std::move(tasks), {counts_->layer}), 1);
  }
  Value getter(ValueList{key});
  return one_partition(reduction("topk", bag_function("bag.topk_chunk"), {Value(k), getter},
                                 bag_function("bag.topk_combine"), bag_function("bag.topk_finalize"), {},
                                 split_every, true));
}

Item Bag::fold(const BagFunction& binop, std::optional<BagFunction> combine, std::optional<Value> initial,
               std::size_t split_every) const {
  const BagFunction& comb = combine ? *combine : binop;
  std::vector<FunctionPtr> user{binop.fn(), comb.fn()};
  ValueList args{binop.spec(), comb.spec(), Value(initial.has_value()),
                 initial ? *initial : Value()};
  return item(reduction("fold", bind_functions(bag_function("bag.fold_chunk"), user), args,
                        bind_functions(bag_function("bag.fold_combine"), user),
                        bag_function("bag.fold_finalize"), {}, split_every, false));
}

}  // namespace tessera::bag

#pragma once
// Bag: dask.bag in C++. A bag is a name, one HighLevelGraph layer and a
// number of partitions; partition i is the key (name, i) and its value is a
// list (ValueList). Operations add one layer (one task per partition that
// calls the previous partition's key) and return a new Bag; reductions build
// chunk -> tree_reduce(combine) -> finalize and return an Item (one value) or,
// for frequencies/topk/distinct, a one-partition Bag. Nothing runs until
// compute().
//
//   auto b = bag::read_text(dir + "/*.json").map("json_loads").pluck("name");
//   Value counts = b.frequencies(true).compute();   // [[name, n], ...]
//
// Functions: a registered function (FunctionPtr, its registered name, or a
// C++ function registered with TESSERA_FUNCTION) runs anywhere, and so does
// an expression tree (BagFunction::expression: a REPL lambda, which travels
// in the task's arguments); any other callable (a C++ lambda) runs on
// in-process executors only.
// Thread-safety: Bags and Items are immutable values; share them freely.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "collections/delayed/delayed.hpp"
#include "runtime/graph/high_level_graph.hpp"
#include "runtime/registry/registry.hpp"

namespace tessera::bag {

struct TextPipeline;

/// A function given to map, filter, fold, ...: registered or local.
class BagFunction {
 public:
  /// A function object: kept as it is (registered or not).
  BagFunction(FunctionPtr fn);
  /// The registered function called `name` (KeyError if unknown).
  BagFunction(const char* name);
  BagFunction(const std::string& name);
  /// A C++ function pointer (the registered function if it was registered
  /// with TESSERA_FUNCTION) or any other callable (a local function).
  template <class F>
    requires(!std::is_convertible_v<F, FunctionPtr> && !std::is_convertible_v<F, std::string>)
  BagFunction(F f) {
    if constexpr (std::is_pointer_v<F> && std::is_function_v<std::remove_pointer_t<F>>)
      fn_ = Registry::global().find_address(reinterpret_cast<const void*>(f));
    if (!fn_) fn_ = make_function("lambda-" + unique_token(), std::move(f), false);
  }
  /// An expression tree of runtime/expr/lambda_expr.hpp (a REPL lambda):
  /// evaluated with the call's arguments as its parameters. The tree goes
  /// into the tasks' arguments, so any worker runs it.
  static BagFunction expression(Value tree);

  const FunctionPtr& fn() const noexcept { return fn_; }
  const std::string& name() const noexcept { return fn_->name; }
  /// How a task names the function (FunctionResolver::get reads it): the
  /// registered name, or {"expr": tree} for an expression.
  Value spec() const { return is_expression() ? spec_ : Value(fn_->name); }
  bool is_expression() const noexcept { return !spec_.is_none(); }

 private:
  BagFunction() = default;
  FunctionPtr fn_;
  Value spec_;  // none unless an expression
};

/// The key of foldby, groupby and join: a function (as BagFunction takes
/// it), or Value(k) for x[k] (a dict key or list index; as dask.bag takes a
/// key that is not callable). A string is a dict key: name a registered
/// function with BagFunction("name").
class GroupKey {
 public:
  GroupKey(const Value& item_key) : spec_(ValueList{item_key}) {}
  GroupKey(const char* item_key) : GroupKey(Value(item_key)) {}
  GroupKey(const std::string& item_key) : GroupKey(Value(item_key)) {}
  template <class F>
    requires(!std::is_arithmetic_v<std::decay_t<F>> && !std::is_convertible_v<F, std::string> &&
             !std::is_same_v<std::decay_t<F>, Value> && std::is_constructible_v<BagFunction, F>)
  GroupKey(F&& f) {
    BagFunction b(std::forward<F>(f));
    fn_ = b.fn();
    spec_ = b.spec();
  }

  /// The function's spec (its name, or {"expr": tree}), or [k].
  const Value& spec() const noexcept { return spec_; }
  /// The function (null for x[k]).
  const FunctionPtr& fn() const noexcept { return fn_; }

 private:
  FunctionPtr fn_;
  Value spec_;
};

struct TextFilesOptions {
  /// End the last line of each file with "\n" too (dask's last_endline).
  bool last_endline = false;
};

/// One value computed from a bag (count, sum, mean, ...).
class Item {
 public:
  Item(Key key, LayerPtr layer) : key_(std::move(key)), layer_(std::move(layer)) {}
  const Key& key() const noexcept { return key_; }
  const LayerPtr& layer() const noexcept { return layer_; }
  HighLevelGraph graph() const { return HighLevelGraph({layer_}); }
  /// Runs the graph; a failed task throws TaskError.
  Value compute(const ComputeOptions& options = {}) const;

 private:
  Key key_;
  LayerPtr layer_;
};

class Bag {
 public:
  Bag(std::string name, LayerPtr layer, std::int64_t npartitions);

  const std::string& name() const noexcept { return name_; }
  const LayerPtr& layer() const noexcept { return layer_; }
  std::int64_t npartitions() const noexcept { return npartitions_; }
  /// The key of partition i: (name, i).
  Key key(std::int64_t i) const { return Key(name_, {i}); }
  std::vector<Key> keys() const;
  HighLevelGraph graph() const { return HighLevelGraph({layer_}); }

  /// The read_text steps this bag's elements went through, when they can be
  /// fused (text_pipeline.hpp); null otherwise.
  const std::shared_ptr<const TextPipeline>& pipeline() const noexcept { return pipeline_; }
  /// This bag, its elements described by `pipeline` as well.
  Bag with_pipeline(std::shared_ptr<const TextPipeline> pipeline) const;

  // ---- element-wise (one task per partition) ----
  /// fn(x, extra...) for each element.
  Bag map(const BagFunction& fn, ValueList extra_args = {}) const;
  /// The elements for which fn(x) is true (Python truthiness).
  Bag filter(const BagFunction& predicate) const;
  /// fn(partition) for each partition; fn must return a list.
  Bag map_partitions(const BagFunction& fn) const;
  /// fn(*x) for each element x, a list of arguments.
  Bag starmap(const BagFunction& fn) const;
  /// Concatenates the lists that are the elements.
  Bag flatten() const;
  /// x[key]: a string key of dict records or an integer index of list
  /// records. Without a default, a missing key is an error naming it and the
  /// record; with one (None too), a missing key gives the default.
  Bag pluck(const Value& key) const;
  Bag pluck(const Value& key, const Value& default_value) const;
  /// String helpers (ASCII case mapping; other bytes are kept).
  Bag str_lower() const;
  Bag str_upper() const;
  Bag str_strip(const std::string& chars = {}) const;
  /// Python's str.split: sep "" splits on runs of whitespace.
  Bag str_split(const std::string& sep = {}, std::int64_t maxsplit = -1) const;

  // ---- reductions (chunk per partition, tree_reduce, finalize) ----
  Item count(std::size_t split_every = 8) const;
  Item sum(std::size_t split_every = 8) const;
  /// Errors on an empty bag.
  Item min(std::size_t split_every = 8) const;
  Item max(std::size_t split_every = 8) const;
  Item mean(std::size_t split_every = 8) const;
  Item var(std::int64_t ddof = 0, std::size_t split_every = 8) const;
  Item std(std::int64_t ddof = 0, std::size_t split_every = 8) const;
  /// false / true for an empty bag.
  Item any(std::size_t split_every = 8) const;
  Item all(std::size_t split_every = 8) const;
  /// [[value, count], ...] in one partition: in first-seen order (as
  /// dask.bag), or by count (largest first, ties in first-seen order) when `sort`.
  Bag frequencies(bool sort = false, std::size_t split_every = 8) const;
  /// The k largest elements (by key(x) if given), largest first, in one partition.
  Bag topk(std::int64_t k, std::optional<BagFunction> key = std::nullopt,
           std::size_t split_every = 8) const;
  /// The same, by x[key] (a list index or a dict key; toolz's getter):
  /// `frequencies().topk(10, Value(1))` are the 10 most frequent.
  Bag topk(std::int64_t k, const Value& key, std::size_t split_every = 8) const;
  /// The distinct elements in first-seen order (as dask.bag), in one partition.
  Bag distinct(std::size_t split_every = 8) const;
  /// Folds each partition with binop (starting from `initial` if given), then
  /// the partials with combine (default binop). Errors on an empty bag without initial.
  Item fold(const BagFunction& binop, std::optional<BagFunction> combine = std::nullopt,
            std::optional<Value> initial = std::nullopt, std::size_t split_every = 8) const;

  /// A reduction of the user's own (dask.bag's reduction): perpartition(list)
  /// for each partition, then aggregate(list of results) over groups of
  /// split_every results until one is left.
  Item reduction(const BagFunction& perpartition, const BagFunction& aggregate, std::size_t split_every = 8) const;

  // ---- grouping ----
  /// dask.bag's foldby: for each key(x), acc = binop(acc, x) starting from
  /// `initial` (else from the first such x); then the partitions'
  /// accumulators of a key are merged with combine(acc, acc2) (default
  /// binop) starting from `combine_initial` (else from the first). One
  /// partition of [key, acc] pairs, keys in first-seen order.
  Bag foldby(const GroupKey& key, const BagFunction& binop, std::optional<Value> initial = std::nullopt,
             std::optional<BagFunction> combine = std::nullopt, std::optional<Value> combine_initial = std::nullopt,
             std::size_t split_every = 8) const;
  /// [key, [x, ...]] for each distinct key(x), by a shuffle: each partition
  /// is split by hash(key) into `npartitions` pieces (0: as many as this
  /// bag has) and output partition j gathers the j-th pieces, so no task
  /// holds more than its share. Within a group, elements keep their order.
  Bag groupby(const GroupKey& key, std::int64_t npartitions = 0) const;
  /// [y, x] for each y in `other` and x in this bag with on_other(y) ==
  /// on_self(x) (an inner join with an in-memory sequence; on_other
  /// defaults to on_self), partition by partition.
  Bag join(const std::vector<Value>& other, const GroupKey& on_self,
           std::optional<GroupKey> on_other = std::nullopt) const;
  /// [x, y] for each x in this bag and y in `other` (the Cartesian
  /// product): npartitions() * other.npartitions() partitions.
  Bag product(const Bag& other) const;
  /// The same elements in `npartitions` partitions, as dask.bag: fewer by
  /// concatenating neighbours, more by splitting each partition evenly.
  Bag repartition(std::int64_t npartitions) const;
  /// The strings matching a glob pattern (Python's fnmatch: * ? [seq] [!seq]).
  Bag str_match(const std::string& pattern) const;

  /// Writes partition i as UTF-8 lines to `path` with its '*' replaced by i
  /// (or to path/i.part when there is no '*'; folders are made), gzip
  /// compressed when the name ends in ".gz". Elements must be strings.
  /// Returns the file names, in partition order.
  std::vector<std::string> to_textfiles(const std::string& path, TextFilesOptions text = {},
                                        const ComputeOptions& options = {}) const;

  /// The first k elements, computing partition 0 first and then only as many
  /// further partitions as the elements seen so far say are needed (while
  /// none are seen: 1, 2, 4, ... partitions per round).
  ValueList take(std::int64_t k, const ComputeOptions& options = {}) const;
  /// All elements, partition by partition.
  ValueList compute(const ComputeOptions& options = {}) const;

 private:
  // A layer of one task per partition: fn(leading..., partition i, trailing...).
  Bag partitionwise(const std::string& prefix, const FunctionPtr& fn, const ValueList& leading,
                    const ValueList& trailing = {}) const;
  // chunk per partition -> tree_reduce(combine) -> finalize(result, finalize_args...).
  std::pair<Key, LayerPtr> reduction(const std::string& prefix, const FunctionPtr& chunk,
                                     const ValueList& chunk_args, const FunctionPtr& combine,
                                     const FunctionPtr& finalize, const ValueList& finalize_args,
                                     std::size_t split_every, bool as_bag) const;
  // The same from partials already made (one per partition).
  std::pair<Key, LayerPtr> reduce_partials(const std::string& prefix, const Bag& partials,
                                           const FunctionPtr& combine, const FunctionPtr& finalize,
                                           const ValueList& finalize_args, std::size_t split_every,
                                           bool as_bag) const;
  // This bag with the pipeline `step` appended when both are fusable.
  Bag fused(Bag out, const std::optional<Value>& step) const;

  std::string name_;
  LayerPtr layer_;
  std::int64_t npartitions_;
  std::shared_ptr<const TextPipeline> pipeline_;
  // For a bag made by frequencies(): its merged partial (a FrequencyTable's),
  // so that topk by count picks the k largest without boxing every pair.
  struct CountsSource {
    Key partial;
    LayerPtr layer;
  };
  std::shared_ptr<const CountsSource> counts_;
};

struct SequenceOptions {
  /// How many partitions (at most); 0 = decided by partition_size or the default.
  std::int64_t npartitions = 0;
  /// Elements per partition; 0 = from npartitions. Neither: about 100 partitions.
  std::int64_t partition_size = 0;
};

/// A bag of the given elements (literals in the graph). An empty sequence
/// gives one empty partition.
Bag from_sequence(const std::vector<Value>& seq, SequenceOptions options = {});
template <class T>
  requires(!std::is_same_v<T, Value>)
Bag from_sequence(const std::vector<T>& seq, SequenceOptions options = {}) {
  std::vector<Value> values;
  values.reserve(seq.size());
  for (const auto& x : seq) values.push_back(to_value(x));
  return from_sequence(values, options);
}

/// The integers 0..n-1 in `npartitions` near-equal partitions (made by tasks).
Bag range(std::int64_t n, std::int64_t npartitions);

/// A bag whose partition i is the value of key `keys[i]` made by `layers`
/// (each value must be a list: TypeError naming it otherwise), as
/// dask.bag.from_delayed.
Bag from_delayed(const std::vector<Key>& keys, std::vector<LayerPtr> layers);
template <class T>
Bag from_delayed(const std::vector<Delayed<T>>& parts) {
  std::vector<Key> keys;
  std::vector<LayerPtr> layers;
  for (const auto& d : parts) keys.push_back(d.key()), layers.push_back(d.layer());
  return from_delayed(keys, std::move(layers));
}

}  // namespace tessera::bag

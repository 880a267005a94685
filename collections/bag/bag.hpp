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
// C++ function registered with TESSERA_FUNCTION) runs anywhere; any other
// callable (a lambda) runs on in-process executors only.
// Thread-safety: Bags and Items are immutable values; share them freely.
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "collections/delayed/delayed.hpp"
#include "runtime/graph/high_level_graph.hpp"
#include "runtime/registry/registry.hpp"

namespace tessera::bag {

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
  const FunctionPtr& fn() const noexcept { return fn_; }
  const std::string& name() const noexcept { return fn_->name; }

 private:
  FunctionPtr fn_;
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
  /// records. Without a default, a missing key is an error naming it and the record.
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
  /// [[value, count], ...] in one partition: by value, or by count (largest
  /// first, ties by value) when `sort`.
  Bag frequencies(bool sort = false, std::size_t split_every = 8) const;
  /// The k largest elements (by key(x) if given), largest first, in one partition.
  Bag topk(std::int64_t k, std::optional<BagFunction> key = std::nullopt,
           std::size_t split_every = 8) const;
  /// The distinct elements, sorted (see value_order.hpp), in one partition.
  Bag distinct(std::size_t split_every = 8) const;
  /// Folds each partition with binop (starting from `initial` if given), then
  /// the partials with combine (default binop). Errors on an empty bag without initial.
  Item fold(const BagFunction& binop, std::optional<BagFunction> combine = std::nullopt,
            std::optional<Value> initial = std::nullopt, std::size_t split_every = 8) const;

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

  std::string name_;
  LayerPtr layer_;
  std::int64_t npartitions_;
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

}  // namespace tessera::bag

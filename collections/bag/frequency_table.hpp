#pragma once
// FrequencyTable: how often each value occurs, in first-seen order (as
// Python's dict, hence as dask.bag's frequencies). It is the partial of
// Bag::frequencies: each partition fills one, partials merge in partition
// order, so the final order is the order of first occurrence in the bag.
//
// Strings, the common case, never become Values while counting: they are
// hashed (XXH3), kept once in an arena, and a partial is one packed bytes
// buffer. Other values (numbers, lists, ...) are kept as Values; 1 and 1.0
// are one value (compare_values).
// Not thread-safe: one table per task.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/value.hpp"

namespace tessera::bag {

class FrequencyTable {
 public:
  FrequencyTable();

  /// Counts `s` n more times.
  void add(std::string_view s, std::int64_t n = 1);
  /// Counts `v` n more times (a string value goes the string way).
  void add(const Value& v, std::int64_t n = 1);
  /// Adds the counts of a partial made by to_partial() (TypeError otherwise).
  void merge(const Value& partial);

  /// [bytes, others]: the packed string counts and the other values.
  Value to_partial() const;
  /// [[value, count], ...] in first-seen order.
  ValueList to_pairs() const;
  /// The same, straight from a partial (its values are distinct already).
  static ValueList pairs_of(const Value& partial);
  /// The k pairs of a partial with the largest counts, largest first, ties
  /// in first-seen order: pairs_of(partial).topk(k, by count), boxing only k pairs.
  static ValueList top_pairs(const Value& partial, std::int64_t k);
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    std::uint64_t hash;
    std::uint64_t offset;  // into arena_, or into values_ for a non-string
    std::uint32_t length;  // bytes of the string; kValue for a non-string
    std::int64_t count;
  };
  static constexpr std::uint32_t kValue = 0xFFFFFFFFu;

  // The slot of `hash` holding an equal entry, or the empty slot where it goes.
  template <class Equal>
  std::size_t find_slot(std::uint64_t hash, Equal&& equal) const;
  void insert(std::size_t slot, Entry e);
  void grow();
  // Calls string(s, count) / value(v, count) for each record of a partial, in order.
  template <class OnString, class OnValue>
  static void decode(const Value& partial, OnString&& string, OnValue&& value);

  std::vector<std::uint64_t> slots_;  // (hash >> 32) << 32 | (entry index + 1); 0 = empty
  std::vector<Entry> entries_;        // first-seen order
  std::string arena_;
  ValueList values_;
};

/// A hash of `v` that agrees with compare_values: equal values hash equal.
std::uint64_t hash_value(const Value& v);

}  // namespace tessera::bag

#pragma once
// ValueIndex: the distinct values seen so far, numbered in first-seen order
// (the keys of a Python dict). Equal values as compare_values says (1 and
// 1.0 are one key), hashed with hash_value. The building block of foldby,
// groupby and join, whose results keep dask.bag's first-seen order.
// Not thread-safe: one per task.
#include <cstdint>
#include <vector>

#include "runtime/value/value.hpp"

namespace tessera::bag {

class ValueIndex {
 public:
  ValueIndex();
  /// The number of `v`, adding it if new (`added` says which).
  std::size_t insert(const Value& v, bool& added);
  /// The number of `v`, or npos.
  std::size_t find(const Value& v) const;
  /// The values, in first-seen order.
  const ValueList& values() const noexcept { return values_; }
  std::size_t size() const noexcept { return values_.size(); }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::size_t slot_of(const Value& v, std::uint64_t hash) const;
  void grow();

  struct Slot {
    std::uint64_t hash = 0;
    std::size_t index = npos;  // npos = empty
  };
  std::vector<Slot> slots_;
  ValueList values_;
};

}  // namespace tessera::bag

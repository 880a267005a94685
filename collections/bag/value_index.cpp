#include "collections/bag/value_index.hpp"

#include "collections/bag/frequency_table.hpp"
#include "collections/bag/value_order.hpp"

namespace tessera::bag {

ValueIndex::ValueIndex() : slots_(16) {}

std::size_t ValueIndex::slot_of(const Value& v, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.index == npos || (s.hash == hash && compare_values(values_[s.index], v) == 0)) return i;
  }
}

std::size_t ValueIndex::insert(const Value& v, bool& added) {
  const std::uint64_t h = hash_value(v);
  std::size_t i = slot_of(v, h);
  added = slots_[i].index == npos;
  if (!added) return slots_[i].index;
  values_.push_back(v);
  slots_[i] = Slot{h, values_.size() - 1};
  if (values_.size() * 2 > slots_.size()) grow();
  return values_.size() - 1;
}

std::size_t ValueIndex::find(const Value& v) const { return slots_[slot_of(v, hash_value(v))].index; }

void ValueIndex::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.index == npos) continue;
    std::size_t i = static_cast<std::size_t>(s.hash) & mask;
    while (slots_[i].index != npos) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace tessera::bag

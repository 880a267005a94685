#include "collections/bag/frequency_table.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "collections/bag/value_order.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t x) {
  return XXH3_64bits_withSeed(&x, sizeof x, h);
}

std::uint64_t hash_number(const Value& v) {
  if (v.kind() == ValueKind::int64) return mix(2, static_cast<std::uint64_t>(v.as_int()));
  double d = v.as_float();
  if (std::isnan(d)) return mix(3, 0);
  // An integral float hashes as the int64 it equals (1.0 as 1).
  if (d >= -9.2e18 && d <= 9.2e18 && d == std::trunc(d))
    return mix(2, static_cast<std::uint64_t>(static_cast<std::int64_t>(d)));
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return mix(4, bits);
}

std::uint64_t hash_string(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

void put(std::string& out, const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }

}  // namespace

std::uint64_t hash_value(const Value& v) {
  switch (v.kind()) {
    case ValueKind::none: return mix(0, 0);
    case ValueKind::boolean: return mix(1, v.as_bool());
    case ValueKind::int64:
    case ValueKind::float64: return hash_number(v);
    case ValueKind::string: return hash_string(v.as_string());
    case ValueKind::bytes: return XXH3_64bits_withSeed(v.as_bytes().data(), v.as_bytes().size(), 5);
    case ValueKind::list: {
      std::uint64_t h = mix(6, v.as_list().size());
      for (const auto& x : v.as_list()) h = mix(h, hash_value(x));
      return h;
    }
    case ValueKind::dict: {
      std::uint64_t h = mix(7, v.as_dict().size());
      for (const auto& [k, x] : v.as_dict()) h = mix(mix(h, hash_string(k)), hash_value(x));
      return h;
    }
    default:
      throw TypeError("frequencies: values of kind " + std::string(kind_name(v.kind())) +
                      " cannot be counted (not hashable)");
  }
}

FrequencyTable::FrequencyTable() : slots_(64, 0) {}

template <class Equal>
std::size_t FrequencyTable::find_slot(std::uint64_t hash, Equal&& equal) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t tag = hash >> 32;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    std::uint64_t s = slots_[i];
    if (s == 0) return i;
    if ((s >> 32) == tag && equal(entries_[(s & 0xFFFFFFFFu) - 1])) return i;
  }
}

void FrequencyTable::insert(std::size_t slot, Entry e) {
  if (entries_.size() >= 0xFFFFFFFEu) throw ValueError("frequencies: more than 4 billion distinct values");
  entries_.push_back(e);
  slots_[slot] = ((e.hash >> 32) << 32) | entries_.size();
  if (entries_.size() * 2 > slots_.size()) grow();
}

void FrequencyTable::grow() {
  std::vector<std::uint64_t> bigger(slots_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::size_t k = 0; k < entries_.size(); ++k) {
    std::uint64_t h = entries_[k].hash;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (bigger[i] != 0) i = (i + 1) & mask;
    bigger[i] = ((h >> 32) << 32) | (k + 1);
  }
  slots_.swap(bigger);
}

void FrequencyTable::add(std::string_view s, std::int64_t n) {
  const std::uint64_t h = hash_string(s);
  const char* arena = arena_.data();
  std::size_t slot = find_slot(h, [&](const Entry& e) {
    return e.length == s.size() && std::memcmp(arena + e.offset, s.data(), s.size()) == 0;
  });
  if (slots_[slot] != 0) {
    entries_[(slots_[slot] & 0xFFFFFFFFu) - 1].count += n;
    return;
  }
  if (s.size() >= kValue) throw ValueError("frequencies: a string of 4 GiB or more cannot be counted");
  Entry e{h, arena_.size(), static_cast<std::uint32_t>(s.size()), n};
  arena_.append(s);
  insert(slot, e);
}

void FrequencyTable::add(const Value& v, std::int64_t n) {
  if (v.kind() == ValueKind::string) return add(std::string_view(v.as_string()), n);
  const std::uint64_t h = hash_value(v);
  std::size_t slot = find_slot(h, [&](const Entry& e) {
    return e.length == kValue && compare_values(values_[e.offset], v) == 0;
  });
  if (slots_[slot] != 0) {
    entries_[(slots_[slot] & 0xFFFFFFFFu) - 1].count += n;
    return;
  }
  values_.push_back(v);
  insert(slot, Entry{h, values_.size() - 1, kValue, n});
}

// Packed records: [int64 count][uint32 length][length bytes] for a string,
// [int64 count][uint32 kValue][uint32 index into others] for another value.
Value FrequencyTable::to_partial() const {
  std::string packed;
  packed.reserve(arena_.size() + entries_.size() * 16);
  for (const auto& e : entries_) {
    put(packed, &e.count, 8);
    put(packed, &e.length, 4);
    if (e.length == kValue) {
      auto index = static_cast<std::uint32_t>(e.offset);
      put(packed, &index, 4);
    } else {
      packed.append(arena_, e.offset, e.length);
    }
  }
  return ValueList{Value::bytes(packed), Value(values_)};
}

template <class OnString, class OnValue>
void FrequencyTable::decode(const Value& partial, OnString&& string, OnValue&& value) {
  const auto& parts = partial.as_list();
  if (parts.size() != 2 || parts[0].kind() != ValueKind::bytes || parts[1].kind() != ValueKind::list)
    throw TypeError("frequencies: not a frequencies partial: " + partial.repr(200));
  const auto& buf = parts[0].as_bytes();
  const auto& others = parts[1].as_list();
  const char* p = reinterpret_cast<const char*>(buf.data());
  const char* end = p + buf.size();
  while (p < end) {
    std::int64_t count;
    std::uint32_t len;
    if (end - p < 12) throw ValueError("frequencies: truncated partial");
    std::memcpy(&count, p, 8);
    std::memcpy(&len, p + 8, 4);
    p += 12;
    if (len == kValue) {
      std::uint32_t index;
      if (end - p < 4) throw ValueError("frequencies: truncated partial");
      std::memcpy(&index, p, 4);
      p += 4;
      if (index >= others.size()) throw ValueError("frequencies: corrupt partial");
      value(others[index], count);
    } else {
      if (static_cast<std::size_t>(end - p) < len) throw ValueError("frequencies: truncated partial");
      string(std::string_view(p, len), count);
      p += len;
    }
  }
}

void FrequencyTable::merge(const Value& partial) {
  decode(
      partial, [&](std::string_view s, std::int64_t n) { add(s, n); },
      [&](const Value& v, std::int64_t n) { add(v, n); });
}

ValueList FrequencyTable::pairs_of(const Value& partial) {
  ValueList out;
  decode(
      partial, [&](std::string_view s, std::int64_t n) { out.push_back(ValueList{Value(s), Value(n)}); },
      [&](const Value& v, std::int64_t n) { out.push_back(ValueList{v, Value(n)}); });
  return out;
}

ValueList FrequencyTable::top_pairs(const Value& partial, std::int64_t k) {
  struct Ranked {
    std::int64_t count;
    std::size_t order;
    std::string_view s;
    const Value* v;  // null for a string
  };
  std::vector<Ranked> all;
  decode(
      partial, [&](std::string_view s, std::int64_t n) { all.push_back({n, all.size(), s, nullptr}); },
      [&](const Value& v, std::int64_t n) { all.push_back({n, all.size(), {}, &v}); });
  auto n = std::min<std::size_t>(all.size(), static_cast<std::size_t>(std::max<std::int64_t>(k, 0)));
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [](const Ranked& a, const Ranked& b) { return a.count != b.count ? a.count > b.count : a.order < b.order; });
  ValueList out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(ValueList{all[i].v ? *all[i].v : Value(all[i].s), Value(all[i].count)});
  return out;
}

ValueList FrequencyTable::to_pairs() const {
  ValueList out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) {
    Value key = e.length == kValue ? values_[e.offset] : Value(std::string_view(arena_).substr(e.offset, e.length));
    out.push_back(ValueList{std::move(key), Value(e.count)});
  }
  return out;
}

}  // namespace tessera::bag

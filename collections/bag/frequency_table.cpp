#include "collections/bag/frequency_table.hpp"

// Inlined: most counted strings are words of a few bytes, for which a call
// into libxxhash costs more than the hash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "collections/bag/value_order.hpp"
#include "runtime/util/error.hpp"
#include "runtime/value/buffer.hpp"

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

std::uint64_t load64(const char* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
std::uint32_t load32(const char* p) {
  std::uint32_t x;
  std::memcpy(&x, p, 4);
  return x;
}

// Strings of up to 16 bytes (nearly every word) take a short inlined path:
// the first and last 8 bytes (overlapping, never outside the string), and
// the length, folded by one 64x64->128-bit multiply; longer ones go to XXH3.
[[gnu::always_inline]] inline std::uint64_t hash_string(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n > 16) return XXH3_64bits(p, n);
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = load64(p), b = load64(p + n - 8);
  } else if (n >= 4) {
    a = load32(p), b = load32(p + n - 4);
  } else if (n > 0) {
    a = (std::uint64_t{static_cast<unsigned char>(p[0])} << 16) |
        (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) | static_cast<unsigned char>(p[n - 1]);
  }
  const unsigned __int128 m = static_cast<unsigned __int128>(a ^ 0x9E3779B97F4A7C15ull ^ n) *
                              (b ^ 0xD6E8FEB86659FD93ull);
  // `^ b`: distinct strings still differ if a factor happens to be 0.
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64) ^ b;
}

// memcmp(a, b, n) == 0, inlined for the short strings counting meets most
// (overlapping 8- or 4-byte loads, never outside [0, n)).
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load64(a + i) != load64(b + i)) return false;
    return load64(a + n - 8) == load64(b + n - 8);
  }
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}


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

FrequencyTable::FrequencyTable() : slots_(64) {}

template <class Equal>
[[gnu::always_inline]] inline std::size_t FrequencyTable::find_slot(std::uint64_t hash, Equal&& equal) const {
  const std::size_t mask = slots_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  // Probing starts at the first slot of a cache line (slots are 32 bytes,
  // the table is line-aligned): the first two probes cost one fetch.
  for (std::size_t i = static_cast<std::size_t>(hash) & mask & ~std::size_t{1};; i = (i + 1) & mask) {
    const Entry& e = slots_[i];
    if (e.order == 0 || (e.tag == tag && equal(e))) return i;
  }
}

FrequencyTable::Entry& FrequencyTable::claim(std::size_t slot, std::uint64_t hash, std::uint32_t length,
                                             std::int64_t n) {
  if (size_ >= 0xFFFFFFFEu) throw ValueError("frequencies: more than 4 billion distinct values");
  if ((size_ + 1) * 2 > slots_.size()) {  // at most half full: short probes
    grow();
    slot = find_slot(hash, [](const Entry&) { return false; });
  }
  Entry& e = slots_[slot];
  e = Entry{static_cast<std::uint32_t>(hash >> 32), length, n, static_cast<std::uint32_t>(++size_), {}};
  return e;
}

std::uint64_t FrequencyTable::hash_of(const Entry& e) const {
  return e.length == kValue ? hash_value(values_[ref_of(e)]) : hash_string(key_of(e));
}

// Rehashing recomputes each hash (slots keep only its upper half): cheap
// next to the lookups that filled the table.
void FrequencyTable::grow() {
  std::vector<Entry, HugePageAllocator<Entry>> bigger(slots_.size() * 2);
  const std::size_t mask = bigger.size() - 1;
  for (const Entry& e : slots_) {
    if (e.order == 0) continue;
    std::size_t i = static_cast<std::size_t>(hash_of(e)) & mask & ~std::size_t{1};
    while (bigger[i].order != 0) i = (i + 1) & mask;
    bigger[i] = e;
  }
  slots_.swap(bigger);
}

std::vector<const FrequencyTable::Entry*> FrequencyTable::in_order() const {
  std::vector<const Entry*> out(size_);
  for (const Entry& e : slots_)
    if (e.order != 0) out[e.order - 1] = &e;
  return out;
}

std::uint64_t FrequencyTable::ref_of(const Entry& e) {
  std::uint64_t ref;
  std::memcpy(&ref, e.key, sizeof ref);
  return ref;
}

void FrequencyTable::set_ref(Entry& e, std::uint64_t ref) { std::memcpy(e.key, &ref, sizeof ref); }

std::string_view FrequencyTable::key_of(const Entry& e) const {
  if (e.length <= kInline) return {e.key, e.length};
  return std::string_view(arena_).substr(ref_of(e), e.length);
}

[[gnu::always_inline]] inline bool FrequencyTable::holds(const Entry& e, std::string_view s) const {
  if (e.length != s.size()) return false;
  return same_bytes(s.size() <= kInline ? e.key : arena_.data() + ref_of(e), s.data(), s.size());
}

[[gnu::always_inline]] inline void FrequencyTable::add_hashed(std::string_view s, std::uint64_t h, std::int64_t n) {
  std::size_t slot = find_slot(h, [&](const Entry& e) { return holds(e, s); });
  if (slots_[slot].order != 0) {
    slots_[slot].count += n;
    return;
  }
  if (s.size() >= kValue) throw ValueError("frequencies: a string of 4 GiB or more cannot be counted");
  Entry& e = claim(slot, h, static_cast<std::uint32_t>(s.size()), n);
  if (s.size() <= kInline) {
    std::memcpy(e.key, s.data(), s.size());
  } else {
    set_ref(e, arena_.size());
    arena_.append(s);
  }
}

void FrequencyTable::add(std::string_view s, std::int64_t n) { add_hashed(s, hash_string(s), n); }

void FrequencyTable::add_all(std::span<const std::string_view> words, const std::int64_t* counts) {
  // Word i + kAhead is hashed and its slot fetched while word i is counted.
  constexpr std::size_t kAhead = 48, kRing = 64;
  std::uint64_t hashes[kRing];
  const std::size_t n = words.size();
  auto fetch = [&](std::size_t k) {
    hashes[k % kRing] = hash_string(words[k]);
    __builtin_prefetch(&slots_[hashes[k % kRing] & (slots_.size() - 1)]);
  };
  for (std::size_t k = 0; k < std::min(n, kAhead); ++k) fetch(k);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) fetch(i + kAhead);
    add_hashed(words[i], hashes[i % kRing], counts ? counts[i] : 1);
  }
}

void FrequencyTable::add(const Value& v, std::int64_t n) {
  if (v.kind() == ValueKind::string) return add(std::string_view(v.as_string()), n);
  const std::uint64_t h = hash_value(v);
  std::size_t slot = find_slot(h, [&](const Entry& e) {
    return e.length == kValue && compare_values(values_[ref_of(e)], v) == 0;
  });
  if (slots_[slot].order != 0) {
    slots_[slot].count += n;
    return;
  }
  set_ref(claim(slot, h, kValue, n), values_.size());
  values_.push_back(v);
}

// Packed records: [int64 count][uint32 length][length bytes] for a string,
// [int64 count][uint32 kValue][uint32 index into others] for another value.
Value FrequencyTable::to_partial() const {
  std::size_t bytes = 0;
  for (const Entry& e : slots_)
    if (e.order != 0) bytes += 12 + (e.length == kValue ? 4 : e.length);
  // Written straight into the value's buffer (a partial of a word count is
  // some MB: no growing string, no copy).
  auto buffer = make_buffer(bytes);
  auto* out = reinterpret_cast<char*>(buffer->mutable_data());
  auto put = [&out](const void* p, std::size_t n) {
    std::memcpy(out, p, n);
    out += n;
  };
  const auto ordered = in_order();
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (i + 16 < ordered.size()) __builtin_prefetch(ordered[i + 16]);  // slots in first-seen order lie anywhere
    const Entry& e = *ordered[i];
    put(&e.count, 8);
    put(&e.length, 4);
    if (e.length == kValue) {
      auto index = static_cast<std::uint32_t>(ref_of(e));
      put(&index, 4);
    } else {
      std::string_view key = key_of(e);
      put(key.data(), key.size());
    }
  }
  return ValueList{Value::bytes(std::move(buffer)), Value(values_)};
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
  // Strings in batches (fetched ahead); a non-string value flushes the batch
  // first, so the first-seen order stays the partial's.
  FrequencyBatch batch(*this);
  decode(
      partial, [&](std::string_view s, std::int64_t n) { batch.add(s, n); },
      [&](const Value& v, std::int64_t n) {
        batch.flush();
        add(v, n);
      });
  batch.flush();
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
  out.reserve(size_);
  for (const Entry* p : in_order()) {
    const Entry& e = *p;
    Value key = e.length == kValue ? values_[ref_of(e)] : Value(key_of(e));
    out.push_back(ValueList{std::move(key), Value(e.count)});
  }
  return out;
}

}  // namespace tessera::bag

#include "collections/bag/frequency_table.hpp"

// Inlined: most counted strings are words of a few bytes, for which a call
// into libxxhash costs more than the hash.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "collections/bag/text_split.hpp"
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

// A string of up to 16 bytes (nearly every word) is two words: bytes 0-7
// and 8-15, zero-extended (little-endian, so the words keep the bytes in
// order in memory).
struct ShortWords {
  std::uint64_t a, b;
};

// The words of s[0, n), n <= 16, read without going outside the string:
// overlapping loads, shifted.
[[gnu::always_inline]] inline ShortWords short_words(const char* p, std::size_t n) {
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = load64(p);
    if (n > 8) b = load64(p + n - 8) >> (8 * (16 - n));
  } else if (n >= 4) {
    a = load32(p) | ((std::uint64_t{load32(p + n - 4)} >> (8 * (8 - n))) << 32);
  } else if (n > 0) {
    a = static_cast<unsigned char>(p[0]);
    if (n > 1) a |= std::uint64_t{static_cast<unsigned char>(p[1])} << 8;
    if (n > 2) a |= std::uint64_t{static_cast<unsigned char>(p[2])} << 16;
  }
  return {a, b};
}

// The masks that keep the first n bytes of a word; kLow[n] for bytes 0-7, kHigh[n] for 8-15.
struct WordMasks {
  std::uint64_t low[17], high[17];
  constexpr WordMasks() : low(), high() {
    for (unsigned n = 0; n <= 16; ++n) {
      low[n] = n >= 8 ? ~std::uint64_t{0} : ~(~std::uint64_t{0} << (8 * n));
      high[n] = n <= 8 ? 0 : (n >= 16 ? ~std::uint64_t{0} : ~(~std::uint64_t{0} << (8 * (n - 8))));
    }
  }
};
constexpr WordMasks kMasks;

// The same, for a string followed by readable bytes (16 from p on): two
// loads and two masks, no branch on n.
[[gnu::always_inline]] inline ShortWords short_words_padded(const char* p, std::size_t n) {
  return {load64(p) & kMasks.low[n], load64(p + 8) & kMasks.high[n]};
}

// The hash of a string of up to 16 bytes, from its words and length: one
// 64x64->128-bit multiply, folded.
[[gnu::always_inline]] inline std::uint64_t hash_short(ShortWords w, std::size_t n) {
  const unsigned __int128 m = static_cast<unsigned __int128>(w.a ^ 0x9E3779B97F4A7C15ull ^ n) *
                              (w.b ^ 0xD6E8FEB86659FD93ull);
  // `^ b`: distinct strings still differ if a factor happens to be 0.
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64) ^ w.b;
}

constexpr std::size_t kShort = 16;

[[gnu::always_inline]] inline std::uint64_t hash_string(std::string_view s) {
  if (s.size() > kShort) return XXH3_64bits(s.data(), s.size());
  return hash_short(short_words(s.data(), s.size()), s.size());
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
  // Probing starts at the first slot of a cache line (slots are 32 bytes,
  // the table is line-aligned): the first two probes cost one fetch.
  for (std::size_t i = static_cast<std::size_t>(hash) & mask & ~std::size_t{1};; i = (i + 1) & mask) {
    const Entry& e = slots_[i];
    if (e.order == 0 || equal(e)) return i;
  }
}

void FrequencyTable::claim(std::size_t slot, std::uint64_t hash, std::uint64_t a, std::uint64_t b,
                           std::uint32_t length, std::int64_t n) {
  if (size_ >= 0xFFFFFFFEu) throw ValueError("frequencies: more than 4 billion distinct values");
  if ((size_ + 1) * 2 > slots_.size()) {  // at most half full: short probes
    grow();
    slot = find_slot(hash, [](const Entry&) { return false; });
  }
  slots_[slot] = Entry{a, b, n, length, static_cast<std::uint32_t>(++size_)};
}

std::uint64_t FrequencyTable::hash_of(const Entry& e) {
  return e.length <= kInline ? hash_short({e.a, e.b}, e.length) : e.b;
}

// Rehashing recomputes a short string's hash from its words (no memory
// outside the slot); longer strings and values keep theirs in `b`.
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

void FrequencyTable::reserve(std::size_t n) {
  std::size_t slots = slots_.size();
  while (slots < 2 * n && slots < (std::size_t{1} << 33)) slots *= 2;
  if (slots == slots_.size()) return;
  if (size_ == 0) {
    slots_ = std::vector<Entry, HugePageAllocator<Entry>>(slots);
    return;
  }
  while (slots_.size() < slots) grow();
}

std::vector<const FrequencyTable::Entry*> FrequencyTable::in_order() const {
  std::vector<const Entry*> out(size_);
  for (const Entry& e : slots_)
    if (e.order != 0) out[e.order - 1] = &e;
  return out;
}

std::string_view FrequencyTable::key_of(const Entry& e) const {
  if (e.length <= kInline) return {reinterpret_cast<const char*>(&e.a), e.length};  // a, b: the bytes in order
  return std::string_view(arena_).substr(e.a, e.length);
}

[[gnu::always_inline]] inline void FrequencyTable::add_short(std::uint64_t a, std::uint64_t b, std::uint32_t length,
                                                            std::uint64_t h, std::int64_t n) {
  std::size_t slot =
      find_slot(h, [&](const Entry& e) { return ((e.a ^ a) | (e.b ^ b) | (e.length ^ length)) == 0; });
  if (slots_[slot].order != 0) {
    slots_[slot].count += n;
    return;
  }
  claim(slot, h, a, b, length, n);
}

void FrequencyTable::add_long(std::string_view s, std::uint64_t h, std::int64_t n) {
  std::size_t slot = find_slot(h, [&](const Entry& e) {
    return e.length == s.size() && e.b == h && std::memcmp(arena_.data() + e.a, s.data(), s.size()) == 0;
  });
  if (slots_[slot].order != 0) {
    slots_[slot].count += n;
    return;
  }
  if (s.size() >= kValue) throw ValueError("frequencies: a string of 4 GiB or more cannot be counted");
  claim(slot, h, arena_.size(), h, static_cast<std::uint32_t>(s.size()), n);
  arena_.append(s);
}

void FrequencyTable::add(std::string_view s, std::int64_t n) {
  if (s.size() > kShort) return add_long(s, hash_string(s), n);
  const ShortWords w = short_words(s.data(), s.size());
  add_short(w.a, w.b, static_cast<std::uint32_t>(s.size()), hash_short(w, s.size()), n);
}

namespace {

// Words waiting to be counted while their slots are fetched: a lookup
// that waited for memory at once would stall the loop on every new word.
struct Pending {
  std::uint64_t a, b, hash;
  const char* p;  // a long string's bytes
  std::uint32_t length;
  std::int64_t n;
};
constexpr std::size_t kAhead = 32, kRing = 64;  // kRing: a power of two > kAhead

}  // namespace

void FrequencyTable::add_all(std::span<const std::string_view> words, const std::int64_t* counts) {
  Pending ring[kRing];
  std::size_t head = 0, tail = 0;
  auto settle = [&]() __attribute__((always_inline)) {
    const Pending& w = ring[tail++ % kRing];
    if (w.length <= kShort) add_short(w.a, w.b, w.length, w.hash, w.n);
    else add_long({w.p, w.length}, w.hash, w.n);
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view s = words[i];
    if (s.size() >= kValue) throw ValueError("frequencies: a string of 4 GiB or more cannot be counted");
    Pending& w = ring[head++ % kRing];
    w.p = s.data(), w.length = static_cast<std::uint32_t>(s.size()), w.n = counts ? counts[i] : 1;
    if (s.size() <= kShort) {
      const ShortWords sw = short_words(s.data(), s.size());
      w.a = sw.a, w.b = sw.b, w.hash = hash_short(sw, s.size());
    } else {
      w.hash = XXH3_64bits(s.data(), s.size());
    }
    __builtin_prefetch(&slots_[w.hash & (slots_.size() - 1)]);
    if (head - tail > kAhead) settle();
  }
  while (tail < head) settle();
}

void FrequencyTable::add_words_padded(std::string_view text) {
  Pending ring[kRing];
  std::size_t head = 0, tail = 0;
  // Inlined (GCC leaves these lambdas out of line otherwise): a call per word costs.
  auto settle = [&]() __attribute__((always_inline)) {
    const Pending& w = ring[tail++ % kRing];
    if (w.length <= kShort) add_short(w.a, w.b, w.length, w.hash, 1);
    else add_long({w.p, w.length}, w.hash, 1);
  };
  for_each_word_padded(text, [&](const char* p, std::size_t length) __attribute__((always_inline)) {
    Pending& w = ring[head++ % kRing];
    w.p = p, w.length = static_cast<std::uint32_t>(length);
    if (length <= kShort) {
      const ShortWords sw = short_words_padded(p, length);
      w.a = sw.a, w.b = sw.b, w.hash = hash_short(sw, length);
    } else {
      if (length >= kValue) throw ValueError("frequencies: a string of 4 GiB or more cannot be counted");
      w.hash = XXH3_64bits(p, length);
    }
    __builtin_prefetch(&slots_[w.hash & (slots_.size() - 1)]);
    if (head - tail > kAhead) settle();
  });
  while (tail < head) settle();
}

void FrequencyTable::add(const Value& v, std::int64_t n) {
  if (v.kind() == ValueKind::string) return add(std::string_view(v.as_string()), n);
  const std::uint64_t h = hash_value(v);
  std::size_t slot = find_slot(h, [&](const Entry& e) {
    return e.length == kValue && e.b == h && compare_values(values_[e.a], v) == 0;
  });
  if (slots_[slot].order != 0) {
    slots_[slot].count += n;
    return;
  }
  claim(slot, h, values_.size(), h, kValue, n);
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
      auto index = static_cast<std::uint32_t>(e.a);
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
  const auto& parts = partial.as_list();
  if (size_ == 0 && !parts.empty() && parts[0].kind() == ValueKind::bytes)
    reserve(parts[0].as_bytes().size() / 16);  // records are 12 bytes and the string's: an upper bound
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
  // Ranked first: the larger count, then the one seen first.
  auto before = [](const Ranked& a, const Ranked& b) { return a.count != b.count ? a.count > b.count : a.order < b.order; };
  const auto want = static_cast<std::size_t>(std::max<std::int64_t>(k, 0));
  // The best `want` so far as a heap whose top is the worst of them: one
  // pass, no list of every pair (a word count's partial holds millions).
  std::vector<Ranked> best;
  best.reserve(want);
  std::size_t order = 0;
  auto offer = [&](const Ranked& r) {
    if (best.size() < want) {
      best.push_back(r);
      std::push_heap(best.begin(), best.end(), before);
    } else if (want != 0 && before(r, best.front())) {
      std::pop_heap(best.begin(), best.end(), before);
      best.back() = r;
      std::push_heap(best.begin(), best.end(), before);
    }
  };
  decode(
      partial, [&](std::string_view s, std::int64_t n) { offer({n, order++, s, nullptr}); },
      [&](const Value& v, std::int64_t n) { offer({n, order++, {}, &v}); });
  std::sort_heap(best.begin(), best.end(), before);
  ValueList out;
  for (const Ranked& r : best) out.push_back(ValueList{r.v ? *r.v : Value(r.s), Value(r.count)});
  return out;
}

ValueList FrequencyTable::to_pairs() const {
  ValueList out;
  out.reserve(size_);
  for (const Entry* p : in_order()) {
    const Entry& e = *p;
    Value key = e.length == kValue ? values_[e.a] : Value(key_of(e));
    out.push_back(ValueList{std::move(key), Value(e.count)});
  }
  return out;
}

}  // namespace tessera::bag

#pragma once
// FrequencyTable: how often each value occurs, in first-seen order (as
// Python's dict, hence as dask.bag's frequencies). It is the partial of
// Bag::frequencies: each partition fills one, partials merge in partition
// order, so the final order is the order of first occurrence in the bag.
//
// Strings, the common case, never become Values while counting: they are
// hashed (an inlined hash up to 16 bytes, XXH3 beyond), kept in the table's
// slot as two zero-extended 64-bit words (or once in an arena when longer
// than 16 bytes), and a partial is one packed bytes buffer. Short strings
// are hashed and compared without branching on their length: the length
// decides the fate of most branches, and most words are short. Other values (numbers, lists, ...) are kept as Values; 1 and 1.0
// are one value (compare_values).
// Not thread-safe: one table per task.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/util/huge_page_allocator.hpp"
#include "runtime/value/value.hpp"

namespace tessera::bag {

class FrequencyTable {
 public:
  FrequencyTable();

  /// Counts `s` n more times.
  void add(std::string_view s, std::int64_t n = 1);
  /// add(words[i], counts ? counts[i] : 1) for each i in order, with the
  /// table's memory fetched ahead: a word count's table outgrows the caches,
  /// and one lookup after another would wait on memory.
  void add_all(std::span<const std::string_view> words, const std::int64_t* counts = nullptr);
  /// Counts each word of `text` as Python's text.split() gives them (one
  /// pass, no list of words). `text` must be followed by at least 64
  /// readable bytes (a TextBlock's padding): words are read 16 bytes at a
  /// time and the scan 64 at a time.
  void add_words_padded(std::string_view text);
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
  std::size_t size() const noexcept { return size_; }

 private:
  // One slot of the open-addressing table, 32 bytes, two per cache line: a
  // lookup reads one slot (rarely its neighbours). A string of up to
  // kInline bytes (most words) is `a` and `b`: its bytes 0-7 and 8-15,
  // zero-extended, so that equal strings are equal words. A longer string:
  // `a` is its offset in arena_, `b` its hash; a non-string value: `a` is
  // its index in values_, `b` its hash. The first-seen order is `order`
  // (1, 2, ...; 0 marks an empty slot).
  struct Entry {
    std::uint64_t a;
    std::uint64_t b;
    std::int64_t count;
    std::uint32_t length;  // bytes of the string; kValue for a non-string
    std::uint32_t order;
  };
  static constexpr std::uint32_t kValue = 0xFFFFFFFFu;
  static constexpr std::uint32_t kInline = 16;
  static_assert(sizeof(Entry) == 32, "two entries per cache line");

  std::string_view key_of(const Entry& e) const;  // a string entry's bytes
  // Counts a string of up to kInline bytes, given as its words and hash.
  void add_short(std::uint64_t a, std::uint64_t b, std::uint32_t length, std::uint64_t hash, std::int64_t n);
  // Counts a longer string.
  void add_long(std::string_view s, std::uint64_t hash, std::int64_t n);
  static std::uint64_t hash_of(const Entry& e);

  // The slot of `hash` holding an equal entry, or the empty slot where it goes.
  template <class Equal>
  std::size_t find_slot(std::uint64_t hash, Equal&& equal) const;
  // Fills the empty slot with a new entry of `hash`, keyed by a and b.
  void claim(std::size_t slot, std::uint64_t hash, std::uint64_t a, std::uint64_t b, std::uint32_t length,
             std::int64_t n);
  void grow();
  // Room for n entries without growing (a merge into an empty table knows about how many come).
  void reserve(std::size_t n);
  // The occupied slots in first-seen order.
  std::vector<const Entry*> in_order() const;
  // Calls string(s, count) / value(v, count) for each record of a partial, in order.
  template <class OnString, class OnValue>
  static void decode(const Value& partial, OnString&& string, OnValue&& value);

  std::vector<Entry, HugePageAllocator<Entry>> slots_;
  std::size_t size_ = 0;
  std::string arena_;
  ValueList values_;
};

/// Feeds strings to table.add_all() a batch at a time: add(s, n) for each,
/// then flush() for the last partial batch. The views must stay valid until then.
class FrequencyBatch {
 public:
  explicit FrequencyBatch(FrequencyTable& table) : table_(table) {}
  void add(std::string_view s, std::int64_t n = 1) {
    words_[size_] = s;
    counts_[size_] = n;
    if (++size_ == words_.size()) flush();
  }
  void flush() {
    table_.add_all(std::span<const std::string_view>(words_.data(), size_), counts_.data());
    size_ = 0;
  }

 private:
  static constexpr std::size_t kSize = 1024;
  FrequencyTable& table_;
  std::array<std::string_view, kSize> words_;
  std::array<std::int64_t, kSize> counts_;
  std::size_t size_ = 0;
};

/// A hash of `v` that agrees with compare_values: equal values hash equal.
std::uint64_t hash_value(const Value& v);

}  // namespace tessera::bag

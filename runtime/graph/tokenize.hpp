#pragma once
// Deterministic tokens, as dask.base.tokenize: the same operation on the same
// inputs gives the same token in every process and every run, so the same
// expression built twice is the same key and is computed once.
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace tessera {

class Value;

/// Incremental hasher (XXH3-64) over typed parts; parts are length-prefixed
/// and tagged, so ("ab","c") and ("a","bc") differ.
class Tokenizer {
 public:
  Tokenizer();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  Tokenizer& add(std::string_view s);
  Tokenizer& add(const char* s) { return add(std::string_view(s)); }
  Tokenizer& add(const std::string& s) { return add(std::string_view(s)); }
  Tokenizer& add(std::int64_t i);
  /// Any other integer, as int64 (so tokenize("x", 1) is not ambiguous).
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, std::int64_t>)
  Tokenizer& add(I i) {
    return add(static_cast<std::int64_t>(i));
  }
  Tokenizer& add(double d);
  /// Hashes the value's kind and whole content (array and table data too).
  Tokenizer& add(const Value& v);
  /// 16 lowercase hex digits.
  std::string hex() const;

 private:
  void raw(const void* p, std::size_t n);
  void* state_;
};

/// The token of a list of parts, as 16 hex digits.
template <class... Parts>
std::string tokenize(const Parts&... parts) {
  Tokenizer t;
  (t.add(parts), ...);
  return t.hex();
}

/// A token that is unique in this process and across processes (for pure=false).
std::string unique_token();

}  // namespace tessera

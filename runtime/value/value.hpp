#pragma once
// Value: what a task consumes and produces. Small kinds are held inline;
// heavy ones (strings, lists, dicts, bytes, arrays, tables) sit behind
// shared_ptr to immutable data, so copying a Value never copies a payload.
// Thread-safety: a Value may be read from many threads at once.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "runtime/value/buffer.hpp"
#include "runtime/value/ndarray.hpp"
#include "runtime/value/table.hpp"

namespace tessera {

enum class ValueKind : std::uint8_t {
  none, boolean, int64, float64, string, list, dict, bytes, ndarray, table
};

/// "none", "bool", "int64", "float64", "string", "list", "dict", "bytes", "ndarray", "table".
std::string_view kind_name(ValueKind k) noexcept;

class Value;
using ValueList = std::vector<Value>;
using ValueDict = std::map<std::string, Value, std::less<>>;

class Value {
 public:
  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(const Value&) = default;
  Value(Value&&) noexcept = default;
  Value& operator=(const Value&) = default;
  Value& operator=(Value&&) noexcept = default;
  /// Releases deeply nested lists and dicts iteratively (a value nested
  /// 10,000 deep must not overflow the stack when dropped).
  ~Value();
  Value(bool b) noexcept : v_(b) {}
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  Value(I i) noexcept : v_(static_cast<std::int64_t>(i)) {}
  Value(double d) noexcept : v_(d) {}
  Value(float f) noexcept : v_(static_cast<double>(f)) {}
  Value(std::string s);
  Value(std::string_view s) : Value(std::string(s)) {}
  Value(const char* s) : Value(std::string(s)) {}
  Value(ValueList l);
  Value(ValueDict d);
  Value(NDArray a);
  Value(Table t);
  /// A bytes value sharing `b`.
  static Value bytes(BufferPtr b);
  static Value bytes(std::string_view raw);

  ValueKind kind() const noexcept { return static_cast<ValueKind>(v_.index()); }
  bool is_none() const noexcept { return kind() == ValueKind::none; }

  // Accessors throw TypeError ("expected int64, got string") on the wrong kind.
  bool as_bool() const;
  std::int64_t as_int() const;
  /// float64, or an int64 widened to double.
  double as_float() const;
  const std::string& as_string() const;
  const ValueList& as_list() const;
  const ValueDict& as_dict() const;
  const Buffer& as_bytes() const;
  const BufferPtr& bytes_ptr() const;
  const NDArray& as_ndarray() const;
  const Table& as_table() const;

  /// Approximate memory held by this value, payloads included (what the
  /// scheduler uses for placement and memory accounting).
  std::size_t nbytes() const noexcept;

  /// A short, Python-like rendering: 3, 2.5, 'a', [1, 2], {'k': 1},
  /// ndarray<float64>(4, 4), table[3 rows x 2 columns].
  /// Longer renderings are cut at `max_chars` and end in "...".
  std::string repr(std::size_t max_chars = 4096) const;

  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  using Storage = std::variant<std::monostate, bool, std::int64_t, double,
                               std::shared_ptr<const std::string>, std::shared_ptr<const ValueList>,
                               std::shared_ptr<const ValueDict>, BufferPtr,
                               std::shared_ptr<const NDArray>, std::shared_ptr<const Table>>;
  [[noreturn]] void wrong_kind(ValueKind wanted) const;
  Storage v_;
};

}  // namespace tessera

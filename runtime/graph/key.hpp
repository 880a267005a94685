#pragma once
// Key: names one task's output. A name ("inc-3f2a9c01d2e4b5a6") and an
// optional block index, as Dask's ("x-3f2a", 0, 4). Stored as the canonical
// string form, so hashing and comparing a key is one string operation.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera {

class Key {
 public:
  Key() = default;
  /// A key with no index. Throws ValueError if the name is empty or holds
  /// a quote, parenthesis or comma (they would make the form ambiguous).
  explicit Key(std::string name);
  /// A block key: name plus block index, rendered ('name', 0, 4).
  Key(std::string_view name, const std::vector<std::int64_t>& index);

  /// The canonical form: `name`, or `('name', i, j)`.
  const std::string& str() const noexcept { return repr_; }
  /// The name part (without the index).
  std::string_view name() const noexcept;
  /// The prefix of the name before the token: "inc" for "inc-3f2a...".
  std::string_view prefix() const noexcept;
  /// The block index (empty for a plain key).
  std::vector<std::int64_t> index() const;
  bool empty() const noexcept { return repr_.empty(); }

  friend bool operator==(const Key& a, const Key& b) noexcept { return a.repr_ == b.repr_; }
  friend bool operator!=(const Key& a, const Key& b) noexcept { return a.repr_ != b.repr_; }
  friend bool operator<(const Key& a, const Key& b) noexcept { return a.repr_ < b.repr_; }
  template <class H>
  friend H AbslHashValue(H h, const Key& k) {
    return H::combine(std::move(h), k.repr_);
  }

  /// Rebuilds a key from its canonical form (as received over the wire).
  static Key from_string(std::string repr);

 private:
  std::string repr_;
};

}  // namespace tessera

template <>
struct std::hash<tessera::Key> {
  std::size_t operator()(const tessera::Key& k) const noexcept {
    return std::hash<std::string>{}(k.str());
  }
};

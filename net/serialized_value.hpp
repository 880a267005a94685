#pragma once
// A Value serialised exactly as runtime/serial/serialize.hpp lays it out, but
// without copying its big buffers: the serialisation is a list of byte spans,
// small pieces (kinds, sizes, shapes) copied into an owned string, and every
// large block (an NDArray's data, a bytes value, a table column, a long
// string) borrowed from the value itself, which this object keeps alive.
// A sender writes the spans with one gather write, so a 256 MiB array goes
// from its Buffer to the socket with no copy in user space.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/frame.hpp"
#include "runtime/value/value.hpp"

namespace tessera::net {

class SerializedValue {
 public:
  /// Serialises `v`; throws what serialize_value throws (ValueError).
  explicit SerializedValue(Value v);
  SerializedValue(SerializedValue&&) noexcept = default;
  SerializedValue& operator=(SerializedValue&&) noexcept = default;

  /// The bytes, in order; valid while this object lives (moving it keeps them valid).
  const std::vector<ConstBytes>& spans() const noexcept { return spans_; }
  /// Total bytes (the sum of the spans).
  std::uint64_t size() const noexcept { return size_; }
  /// XXH3-64 of the bytes.
  std::uint64_t checksum() const;
  /// The bytes in one string (tests; it copies).
  std::string flatten() const;

  /// Blocks at least this large are borrowed rather than copied.
  static constexpr std::size_t borrow_threshold = 16 * 1024;

 private:
  Value value_;         // owns every borrowed block
  std::unique_ptr<std::string> owned_;  // the small pieces, back to back (heap: stable across moves)
  std::vector<ConstBytes> spans_;
  std::uint64_t size_ = 0;
};

}  // namespace tessera::net

#pragma once
// The framing under Tessera's serialisation: a 4-byte header (magic, what
// follows, version), then cereal portable binary (little-endian) primitives,
// length-prefixed strings and contiguous blocks. WireReader checks every
// length against what the input still holds (when the stream can tell) and
// reads big blocks of unknown streams in chunks, so malformed or truncated
// input ends in a ValueError, never a crash or a huge allocation.
// Thread-safety: one reader or writer per thread; they borrow their stream.
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/value/buffer.hpp"

namespace cereal {
class PortableBinaryOutputArchive;
class PortableBinaryInputArchive;
}  // namespace cereal

namespace tessera {

/// What a serialised stream holds, the third byte of its header.
enum class WireContent : char { value = 'V', task = 'K' };

/// The format version written by this build (the fourth header byte).
inline constexpr std::uint8_t wire_version = 1;

/// The deepest nesting of lists, dicts or task arguments that is accepted.
inline constexpr std::size_t max_wire_depth = 10'000;

/// Writes a header and then primitives and blocks to a borrowed stream.
class WireWriter {
 public:
  WireWriter(std::ostream& out, WireContent content);
  ~WireWriter();
  WireWriter(const WireWriter&) = delete;
  WireWriter& operator=(const WireWriter&) = delete;

  void u8(std::uint8_t x);
  void u64(std::uint64_t x);
  void i64(std::int64_t x);
  void f64(double x);
  /// Length, then the bytes.
  void string(std::string_view s);
  /// `nbytes` bytes of elements of type T (byte-swapped as T on big-endian
  /// hosts), written as one block. T is one of uint8_t, int32_t, int64_t,
  /// float, double.
  template <class T>
  void block(const void* data, std::uint64_t nbytes);

 private:
  std::unique_ptr<cereal::PortableBinaryOutputArchive> ar_;
};

/// Reads what a WireWriter wrote; every failure is a ValueError whose message
/// names what was being read ("truncated value: expected 800 bytes of
/// ndarray data, got 12").
class WireReader {
 public:
  /// Reads and checks the header. `what` ("value", "task") prefixes messages.
  WireReader(std::istream& in, WireContent content);
  ~WireReader();
  WireReader(const WireReader&) = delete;
  WireReader& operator=(const WireReader&) = delete;

  std::uint8_t u8(std::string_view what);
  std::uint64_t u64(std::string_view what);
  std::int64_t i64(std::string_view what);
  double f64(std::string_view what);
  std::string string(std::string_view what);
  /// One block of `nbytes` bytes of T elements in one new Buffer (or a view,
  /// see borrow_blocks).
  template <class T>
  BufferPtr block(std::uint64_t nbytes, std::string_view what);
  /// The input lies in memory at `input` (its first byte) that `owner` keeps
  /// alive: large blocks that start 64-byte aligned there, in this machine's
  /// byte order, become views of it instead of copies.
  void borrow_blocks(std::shared_ptr<const void> owner, const std::byte* input);

  /// Bytes left in the input, when the stream can tell (it can seek).
  std::optional<std::uint64_t> remaining() const;
  /// Throws unless `count` items of at least `min_bytes` each can still be
  /// in the input; returns a safe capacity to reserve for them.
  std::size_t check_count(std::uint64_t count, std::size_t min_bytes, std::string_view what) const;
  /// Throws "malformed <content>: <message>".
  [[noreturn]] void malformed(const std::string& message) const;

 private:
  class CountingBuf;
  /// Reads `n` bytes into `dst`; `total` and `done` (bytes of the same block
  /// read before) only shape the message when the input ends early.
  template <class T>
  void read_into(T* dst, std::uint64_t n, std::uint64_t total, std::uint64_t done,
                 std::string_view what);
  [[noreturn]] void truncated(std::uint64_t want, std::uint64_t got, std::string_view what) const;

  std::string content_name_;
  std::unique_ptr<CountingBuf> buf_;
  std::unique_ptr<std::istream> stream_;
  std::unique_ptr<cereal::PortableBinaryInputArchive> ar_;
  std::optional<std::uint64_t> limit_;  // bytes available from the start, when known
  bool native_order_ = false;           // the input's byte order is this machine's
  std::shared_ptr<const void> owner_;   // see borrow_blocks
  const std::byte* input_ = nullptr;
};

}  // namespace tessera

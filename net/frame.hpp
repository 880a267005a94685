#pragma once
// The data-plane wire frame. Every message between a DataClient and a
// DataServer is one frame:
//
//   header (56 bytes, little-endian)        body (key_size + payload_size bytes)
//   +-------+-----+----+-----+--------+    +-----------+--------------------+
//   | magic | ver |kind|flags|key_size|    | key bytes | payload            |
//   | u32   | u8  | u8 | u16 | u32    |    +-----------+--------------------+
//   | align u32 | request_id u64 | item u64 | task_id u64 |
//   | payload_size u64 | checksum u64 (XXH3-64 of the whole body) |
//
// align (0..63): the sender's large block (an array's data) starts at a body
// offset congruent to it modulo 64. The receiver places the body so that this
// block lands 64-byte aligned and deserialises it in place, without a copy.
//
// The decoder validates every field before anything is allocated: magic,
// version, kind, zero flags, align, key size and payload size against
// FrameLimits. Sizes are checked, never trusted.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "runtime/util/error.hpp"

namespace tessera::net {

using ConstBytes = std::span<const std::byte>;

enum class FrameKind : std::uint8_t {
  hello = 1,      // client -> server, first frame; payload: the auth token
  welcome = 2,    // server -> client: the hello was accepted
  request = 3,    // client -> server; payload: fetch items (fetch_items.hpp)
  value = 4,      // server -> client: item `item` of a request; payload: a serialised Value
  not_found = 5,  // server -> client: the server does not hold item `item`
  error = 6,      // either way; payload: a message (the connection may go on)
  push = 7,       // client -> server: a value to store; payload: a serialised Value
  ack = 8,        // server -> client: push `item` of request `request_id` was stored
  close = 9,      // either way: the sender closes the connection
};
inline constexpr std::uint8_t max_frame_kind = 9;

/// "hello", "value", ... ("kind 42" for an unknown code).
std::string frame_kind_name(std::uint8_t kind);

inline constexpr std::uint32_t frame_magic = 0x46445354;  // bytes "TSDF"
inline constexpr std::uint8_t frame_version = 2;
inline constexpr std::uint32_t frame_align = 64;
inline constexpr std::size_t frame_header_size = 56;
/// Keys are names such as "('x', 3, 4)": this is generous.
inline constexpr std::uint32_t max_frame_key_size = 64 * 1024;

struct FrameHeader {
  FrameKind kind = FrameKind::close;
  std::uint32_t key_size = 0;
  std::uint32_t align = 0;  // < frame_align: see above
  std::uint64_t request_id = 0;
  std::uint64_t item = 0;
  std::uint64_t task_id = 0;
  std::uint64_t payload_size = 0;
  std::uint64_t checksum = 0;

  std::uint64_t body_size() const noexcept { return key_size + payload_size; }
};

/// What a decoder accepts. The payload limit guards memory: a receiver
/// allocates a frame's body only once its header is valid and within it.
struct FrameLimits {
  std::uint64_t max_payload = std::uint64_t{16} << 30;  // 16 GiB
};

/// A malformed frame: the message names the field and the values seen.
class FrameError : public ValueError {
 public:
  using ValueError::ValueError;
};

/// The 56 header bytes of `h`.
std::array<std::byte, frame_header_size> encode_header(const FrameHeader& h);

/// Decodes and validates a header (exactly frame_header_size bytes); throws
/// FrameError naming the first bad field.
FrameHeader decode_header(ConstBytes bytes, const FrameLimits& limits = {});

/// XXH3-64 of the concatenation of `segments` (a body written in pieces).
std::uint64_t frame_checksum(std::span<const ConstBytes> segments);
std::uint64_t frame_checksum(ConstBytes body);

/// XXH3-64 over bytes given in pieces: the same sum as frame_checksum of
/// their concatenation.
class StreamingChecksum {
 public:
  StreamingChecksum();
  ~StreamingChecksum();
  StreamingChecksum(const StreamingChecksum&) = delete;
  StreamingChecksum& operator=(const StreamingChecksum&) = delete;

  void update(ConstBytes piece);
  std::uint64_t digest() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Throws FrameError naming the key (or the task id) when `body` (key then
/// payload, body_size() bytes) does not match the header's checksum.
void verify_body(const FrameHeader& h, ConstBytes body);
/// The same check for a body whose sum the caller computed (`sum`).
void check_checksum(const FrameHeader& h, ConstBytes body, std::uint64_t sum);

/// A whole frame decoded from contiguous bytes (views into those bytes).
struct FrameView {
  FrameHeader header;
  std::string_view key;
  ConstBytes payload;
};

/// Decodes one frame that fills `bytes` exactly: header, sizes, checksum.
/// Throws FrameError when it is malformed, truncated or followed by more bytes.
FrameView decode_frame(ConstBytes bytes, const FrameLimits& limits = {});

/// Header and body of a frame with a small payload, as one byte string
/// (hello, request, error, not_found, ack, close; tests).
std::string encode_frame(FrameKind kind, std::uint64_t request_id, std::uint64_t item,
                         std::uint64_t task_id, std::string_view key, std::string_view payload);

inline ConstBytes as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string_view as_chars(ConstBytes b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace tessera::net

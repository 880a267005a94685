#include "net/frame.hpp"

#include <cstring>

#include <xxhash.h>

namespace tessera::net {
namespace {

// Field offsets in the header.
constexpr std::size_t at_magic = 0, at_version = 4, at_kind = 5, at_flags = 6, at_key_size = 8,
                      at_align = 12, at_request = 16, at_item = 24, at_task = 32, at_payload = 40,
                      at_checksum = 48;
static_assert(at_checksum + 8 == frame_header_size);

template <class T>
void put(std::byte* out, T x) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<std::byte>((x >> (8 * i)) & 0xff);
}

template <class T>
T get(const std::byte* in) {
  T x = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) x |= static_cast<T>(std::to_integer<std::uint8_t>(in[i])) << (8 * i);
  return x;
}

std::string hex(std::uint64_t x) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s = "0x";
  bool started = false;
  for (int shift = 60; shift >= 0; shift -= 4) {
    auto d = static_cast<unsigned>((x >> shift) & 15);
    if (d == 0 && !started && shift > 0) continue;
    started = true;
    s += digits[d];
  }
  return s;
}

[[noreturn]] void bad(const std::string& why) { throw FrameError("malformed data-plane frame: " + why); }

}  // namespace

std::string frame_kind_name(std::uint8_t kind) {
  switch (static_cast<FrameKind>(kind)) {
    case FrameKind::hello: return "hello";
    case FrameKind::welcome: return "welcome";
    case FrameKind::request: return "request";
    case FrameKind::value: return "value";
    case FrameKind::not_found: return "not_found";
    case FrameKind::error: return "error";
    case FrameKind::push: return "push";
    case FrameKind::ack: return "ack";
    case FrameKind::close: return "close";
  }
  return "kind " + std::to_string(kind);
}

std::array<std::byte, frame_header_size> encode_header(const FrameHeader& h) {
  std::array<std::byte, frame_header_size> out{};
  put<std::uint32_t>(out.data() + at_magic, frame_magic);
  put<std::uint8_t>(out.data() + at_version, frame_version);
  put<std::uint8_t>(out.data() + at_kind, static_cast<std::uint8_t>(h.kind));
  put<std::uint16_t>(out.data() + at_flags, 0);
  put<std::uint32_t>(out.data() + at_key_size, h.key_size);
  put<std::uint32_t>(out.data() + at_align, h.align);
  put<std::uint64_t>(out.data() + at_request, h.request_id);
  put<std::uint64_t>(out.data() + at_item, h.item);
  put<std::uint64_t>(out.data() + at_task, h.task_id);
  put<std::uint64_t>(out.data() + at_payload, h.payload_size);
  put<std::uint64_t>(out.data() + at_checksum, h.checksum);
  return out;
}

FrameHeader decode_header(ConstBytes bytes, const FrameLimits& limits) {
  if (bytes.size() != frame_header_size)
    bad("a header is " + std::to_string(frame_header_size) + " bytes, got " + std::to_string(bytes.size()));
  const std::byte* p = bytes.data();
  if (auto magic = get<std::uint32_t>(p + at_magic); magic != frame_magic)
    bad("bad magic " + hex(magic) + " (expected " + hex(frame_magic) + ", \"TSDF\"): not a Tessera data-plane peer?");
  if (auto version = get<std::uint8_t>(p + at_version); version != frame_version)
    bad("unsupported version " + std::to_string(version) + " (this build speaks version " +
        std::to_string(frame_version) + ")");
  auto kind = get<std::uint8_t>(p + at_kind);
  if (kind == 0 || kind > max_frame_kind) bad("unknown frame kind " + std::to_string(kind));
  if (auto flags = get<std::uint16_t>(p + at_flags); flags != 0)
    bad("flags are " + hex(flags) + " in a " + frame_kind_name(kind) + " frame (no flags are defined)");
  FrameHeader h;
  h.align = get<std::uint32_t>(p + at_align);
  if (h.align >= frame_align)
    bad("align is " + std::to_string(h.align) + " in a " + frame_kind_name(kind) + " frame (at most " +
        std::to_string(frame_align - 1) + ")");
  h.kind = static_cast<FrameKind>(kind);
  h.key_size = get<std::uint32_t>(p + at_key_size);
  h.request_id = get<std::uint64_t>(p + at_request);
  h.item = get<std::uint64_t>(p + at_item);
  h.task_id = get<std::uint64_t>(p + at_task);
  h.payload_size = get<std::uint64_t>(p + at_payload);
  h.checksum = get<std::uint64_t>(p + at_checksum);
  if (h.key_size > max_frame_key_size)
    bad("key of " + std::to_string(h.key_size) + " bytes in a " + frame_kind_name(kind) + " frame (at most " +
        std::to_string(max_frame_key_size) + ")");
  if (h.payload_size > limits.max_payload)
    bad("payload of " + std::to_string(h.payload_size) + " bytes in a " + frame_kind_name(kind) +
        " frame exceeds the limit of " + std::to_string(limits.max_payload) + " bytes");
  return h;
}

std::uint64_t frame_checksum(ConstBytes body) { return XXH3_64bits(body.data(), body.size()); }

struct StreamingChecksum::State {
  XXH3_state_t* xxh = XXH3_createState();
  ~State() { XXH3_freeState(xxh); }
};

StreamingChecksum::StreamingChecksum() : state_(std::make_unique<State>()) {
  if (state_->xxh == nullptr) throw Error("frame checksum: out of memory");
  XXH3_64bits_reset(state_->xxh);
}

StreamingChecksum::~StreamingChecksum() = default;

void StreamingChecksum::update(ConstBytes piece) { XXH3_64bits_update(state_->xxh, piece.data(), piece.size()); }

std::uint64_t StreamingChecksum::digest() const { return XXH3_64bits_digest(state_->xxh); }

std::uint64_t frame_checksum(std::span<const ConstBytes> segments) {
  if (segments.size() == 1) return frame_checksum(segments.front());
  StreamingChecksum sum;
  for (auto s : segments) sum.update(s);
  return sum.digest();
}

void verify_body(const FrameHeader& h, ConstBytes body) {
  if (body.size() != h.body_size())
    bad("body of " + std::to_string(body.size()) + " bytes, the header says " + std::to_string(h.body_size()));
  check_checksum(h, body, frame_checksum(body));
}

void check_checksum(const FrameHeader& h, ConstBytes body, std::uint64_t sum) {
  if (sum == h.checksum) return;
  std::string what = h.key_size > 0 && body.size() >= h.key_size
                         ? "key '" + std::string(as_chars(body.first(h.key_size))) + "'"
                         : "task id " + std::to_string(h.task_id);
  bad("checksum mismatch in the " + frame_kind_name(static_cast<std::uint8_t>(h.kind)) + " frame of " + what +
      " (computed " + hex(sum) + ", the header says " + hex(h.checksum) + "): the data was corrupted in transit");
}

FrameView decode_frame(ConstBytes bytes, const FrameLimits& limits) {
  if (bytes.size() < frame_header_size)
    bad("truncated header: " + std::to_string(bytes.size()) + " of " + std::to_string(frame_header_size) + " bytes");
  FrameView f;
  f.header = decode_header(bytes.first(frame_header_size), limits);
  auto body = bytes.subspan(frame_header_size);
  if (body.size() < f.header.body_size())
    bad("truncated " + frame_kind_name(static_cast<std::uint8_t>(f.header.kind)) + " frame: body of " +
        std::to_string(body.size()) + " bytes, the header says " + std::to_string(f.header.body_size()));
  if (body.size() > f.header.body_size())
    bad(std::to_string(body.size() - f.header.body_size()) + " unexpected bytes after the " +
        frame_kind_name(static_cast<std::uint8_t>(f.header.kind)) + " frame");
  verify_body(f.header, body);
  f.key = as_chars(body.first(f.header.key_size));
  f.payload = body.subspan(f.header.key_size);
  return f;
}

std::string encode_frame(FrameKind kind, std::uint64_t request_id, std::uint64_t item, std::uint64_t task_id,
                         std::string_view key, std::string_view payload) {
  if (key.size() > max_frame_key_size)
    throw ValueError("cannot send a key of " + std::to_string(key.size()) + " bytes (at most " +
                     std::to_string(max_frame_key_size) + ")");
  FrameHeader h;
  h.kind = kind;
  h.key_size = static_cast<std::uint32_t>(key.size());
  h.request_id = request_id;
  h.item = item;
  h.task_id = task_id;
  h.payload_size = payload.size();
  const ConstBytes parts[] = {as_bytes(key), as_bytes(payload)};
  h.checksum = frame_checksum(parts);
  auto header = encode_header(h);
  std::string out(reinterpret_cast<const char*>(header.data()), header.size());
  out.append(key);
  out.append(payload);
  return out;
}

}  // namespace tessera::net

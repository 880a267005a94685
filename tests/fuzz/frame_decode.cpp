// libFuzzer target: the data-plane frame decoder on arbitrary bytes. Whatever
// the input, decoding must end in a value or a FrameError/ValueError: never a
// crash, a sanitizer report, an over-allocation or another exception. A frame
// that decodes is then taken apart as the server and client would: a request's
// fetch items, a value's or push's serialised Value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "net/fetch_items.hpp"
#include "net/frame.hpp"
#include "runtime/serial/serialize.hpp"

using namespace tessera;
using namespace tessera::net;

namespace {

/// Streams re-check the header alone (the first read of a connection).
void header_only(ConstBytes bytes) {
  if (bytes.size() < frame_header_size) return;
  try {
    auto h = decode_header(bytes.first(frame_header_size), FrameLimits{1 << 20});
    if (h.payload_size > (1 << 20)) std::abort();  // the limit was not enforced
  } catch (const FrameError&) {
  }
}

void whole_frame(ConstBytes bytes) {
  FrameView f;
  try {
    f = decode_frame(bytes);
  } catch (const FrameError&) {
    return;
  }
  if (f.key.size() != f.header.key_size || f.payload.size() != f.header.payload_size) std::abort();
  try {
    switch (f.header.kind) {
      case FrameKind::request: {
        auto items = decode_fetch_items(f.payload);
        if (decode_fetch_items(as_bytes(encode_fetch_items(items))) != items) std::abort();
        break;
      }
      case FrameKind::value:
      case FrameKind::push: deserialize_value(as_chars(f.payload)); break;
      default: break;
    }
  } catch (const tessera::ValueError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ConstBytes bytes(reinterpret_cast<const std::byte*>(data), size);
  header_only(bytes);
  whole_frame(bytes);
  return 0;
}

// libFuzzer target: runtime/serial's deserialize_value and deserialize_task on
// arbitrary bytes (the first byte picks which). Malformed input must end in a
// tessera::Error (ValueError; KeyError for an unknown function), never a crash
// or another exception. A value that decodes must survive a round trip:
// serialising it and reading it back gives the same bytes again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "runtime/serial/serialize.hpp"
#include "runtime/util/error.hpp"

using namespace tessera;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] & 1) {
      deserialize_task(bytes);
    } else {
      Value v = deserialize_value(bytes);
      auto once = serialize_value(v);
      if (serialize_value(deserialize_value(once)) != once) std::abort();
    }
  } catch (const tessera::Error&) {
  }
  return 0;
}

#pragma once
// The one serialisation of Tessera (cereal, portable binary little-endian),
// used for the network, for spilling to disk and for files. Big buffers
// (arrays, table columns, bytes) are written as one contiguous block, never
// element by element.
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/graph/task_spec.hpp"
#include "runtime/value/value.hpp"

namespace tessera {

/// Writes `v` to `out`.
void write_value(std::ostream& out, const Value& v);
/// Reads one value; throws ValueError on a truncated or malformed stream.
Value read_value(std::istream& in);

/// `v` as a byte string.
std::string serialize_value(const Value& v);
/// The value in `bytes`; throws ValueError on malformed input.
Value deserialize_value(std::string_view bytes);
/// The same, for bytes inside memory that `owner` keeps alive (a received
/// frame): large array and column blocks that lie 64-byte aligned there are
/// used in place, not copied; the value then keeps `owner` alive.
Value deserialize_value(std::string_view bytes, std::shared_ptr<const void> owner);

/// A task as bytes: its function travels by name. Throws ValueError when the
/// task (or a nested call) holds a local, unregistered function, naming it.
std::string serialize_task(const TaskSpec& task);
/// How deserialize_task resolves function names through the global Registry.
enum class FunctionLookup : std::uint8_t {
  strict,    // an unregistered name throws KeyError
  deferred,  // an unregistered name becomes a stand-in that fails when called
};

/// The task in `bytes`; throws ValueError on malformed input.
TaskSpec deserialize_task(std::string_view bytes, FunctionLookup lookup = FunctionLookup::strict);

}  // namespace tessera

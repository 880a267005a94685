#pragma once
// json_loads: one line of JSON text to a Value (null -> none, true/false ->
// bool, integers -> int64, other numbers -> float64, strings, arrays -> list,
// objects -> dict; a repeated key keeps its last value, as Python's
// json.loads). Registered as "json_loads" (alias "bag.json_loads"), so
// `read_text(files).map("json_loads")` runs on any worker.
//
// Records are parsed with simdjson (json_simd.hpp); nlohmann/json
// (json_loads_reference) gives the error messages and parses what simdjson
// refuses (integers beyond 64 bits become floats).
#include <string_view>

#include "runtime/value/value.hpp"

namespace tessera::bag {

/// Parses `text`; throws ValueError naming the byte offset and the text.
Value json_loads(std::string_view text);

/// The same with nlohmann/json only (the reference; slower).
Value json_loads_reference(std::string_view text);

}  // namespace tessera::bag

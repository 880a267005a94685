#pragma once
// json_loads: one line of JSON text to a Value (null -> none, true/false ->
// bool, integers -> int64, other numbers -> float64, strings, arrays -> list,
// objects -> dict). Registered as "json_loads" (alias "bag.json_loads"), so
// `read_text(files).map("json_loads")` runs on any worker.
#include <string_view>

#include "runtime/value/value.hpp"

namespace tessera::bag {

/// Parses `text`; throws ValueError naming the byte offset and the text.
Value json_loads(std::string_view text);

}  // namespace tessera::bag

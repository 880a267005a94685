#pragma once
// simdjson for the per-record hot path (json_loads, and the fused
// read_text -> json_loads -> pluck pipeline). The DOM parser is used, not
// On-Demand: Debian's simdjson 3.0 compiles On-Demand for the build's
// baseline CPU only (its portable "fallback" kernel here), while the DOM
// parser picks the best kernel (AVX2, AVX-512) at run time; it also checks
// every line in full, as Python's json.loads. Internal to tessera_bag: only
// .cpp files include this header (simdjson.h is heavy).
#include <simdjson.h>

#include <string_view>

#include "runtime/value/value.hpp"

namespace tessera::bag::json_simd {

/// The JSON value as a Value (null, bool, int64, float64, string, list, dict;
/// a repeated object key keeps its last value, as Python's json.loads).
Value to_value(simdjson::dom::element e);

/// Parses `len` bytes at `p` into `out`; at least SIMDJSON_PADDING readable
/// bytes must follow them (capacity >= len + SIMDJSON_PADDING). False when
/// simdjson refuses the text (see parse()).
bool parse_element(simdjson::dom::parser& parser, const char* p, std::size_t len, std::size_t capacity,
                   simdjson::dom::element& out);

/// parse_element and to_value; when simdjson refuses the text, nlohmann/json
/// (json_loads_reference) decides: it throws ValueError naming the byte
/// offset of invalid JSON, or parses what simdjson does not (integers beyond
/// 64 bits, as floats).
Value parse(simdjson::dom::parser& parser, const char* p, std::size_t len, std::size_t capacity);

/// A parser per thread, reused across records.
simdjson::dom::parser& thread_parser();

/// A second parser per thread, for document streams (parse_many): a stream
/// stays valid while thread_parser() parses lines on the side.
simdjson::dom::parser& stream_parser();

}  // namespace tessera::bag::json_simd

#pragma once
// TextPipeline: the steps a bag made by read_text has gone through, kept
// while every step is one the bag knows how to fuse: json_loads, pluck,
// str_split, flatten, str_lower, str_upper, str_strip. frequencies() of such
// a bag runs one task per partition that reads its block and streams each
// line through the steps into a FrequencyTable, so no Value is made per line
// or per word unless a step needs one:
//
//   read_text -> map(json_loads) -> pluck("city") -> frequencies
//       simdjson parses the lines in place, a window of lines at a time
//       (a document stream); only the city is kept
//   read_text -> str_split() -> flatten() -> frequencies
//       each block is split into words in place
//
// The unfused layers stay in the bag's graph for everything else (compute,
// take, other reductions); only the fused reduction skips them.
//
// Steps (Values, so that they travel in the task's arguments):
//   ["json_loads"], ["pluck", key] or ["pluck", key, default],
//   ["split", sep, maxsplit], ["flatten"], ["lower"], ["upper"], ["strip", chars]
//
// Each line is parsed in full by simdjson (json_simd.hpp), so invalid JSON
// fails as the unfused json_loads does.
#include <memory>
#include <optional>
#include <string>

#include "runtime/value/value.hpp"

namespace tessera::bag {

struct TextPipeline {
  /// Per partition, what read_source() reads: ["block", path, start, end] or ["gzip", path].
  ValueList sources;
  ValueList steps;

  /// A copy with `step` appended.
  std::shared_ptr<const TextPipeline> then(Value step) const;
};

/// The step that map(fn, extra) adds when `function_name` is a fusable
/// built-in ("json_loads", "bag.str_split", ...), else nullopt.
std::optional<Value> map_step(const std::string& function_name, const ValueList& extra);

}  // namespace tessera::bag

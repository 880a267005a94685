#pragma once
// The read → filter → group-by chunk fusion, a dataframe graph optimisation
// applied by dataframe::compute before the executor's own (cull, fuse, order).
//
// A read_csv block task whose every dependent is a dataframe.agg_chunk that
// csv_aggregate supports (csv_aggregate.hpp), and which is not itself wanted,
// becomes one task "read_csv_agg" that reads the block once and returns the
// partials of all of them; each chunk task becomes a cheap pick of its
// partial. So `compute(q1, q2, q3, q4)` over one read parses each block once,
// with no Table of the block ever built, and a single query's chunk reads only
// the columns it needs. Blocks with any other consumer are left as they are.
#include <span>

#include "runtime/graph/high_level_graph.hpp"

namespace tessera::dataframe {

/// `graph` with the fusable blocks fused; `graph` itself when none is (or when
/// the fusion or the executor's fusion, config::optimize_options().fuse, is off).
HighLevelGraph fuse_csv_aggregations(const HighLevelGraph& graph, std::span<const Key> outputs);

/// Turns the rewrite on (the default) or off, e.g. to compare both paths; thread-safe.
void set_csv_fusion(bool on);
bool csv_fusion();

}  // namespace tessera::dataframe

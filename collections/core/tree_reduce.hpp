#pragma once
// tree_reduce: the one reduction shape every collection shares (Dask's
// chunk -> combine -> aggregate, DuckDB's initialize/update/combine/finalize).
//
//   partials p0 p1 ... pn      (one per block/partition, made by the caller's chunk step)
//      \  |  /   \  |  /
//     combine    combine       (groups of split_every, repeated until one is left)
//          \      /
//         aggregate            (the final step: combine + finalize)
//
// `combine` takes one argument, the list of its group's partials, and
// returns a partial; `aggregate` takes the list of the last group and returns
// the result (it defaults to `combine`).
#include <string>
#include <utility>
#include <vector>

#include "runtime/graph/high_level_graph.hpp"

namespace tessera {

struct TreeReduceSpec {
  std::string name;            // key prefix, e.g. "sum"
  FunctionPtr combine;         // list of partials -> partial
  FunctionPtr aggregate;       // list of partials -> result; nullptr = combine
  std::size_t split_every = 8; // fan-in of each combine step (>= 2)
};

struct TreeReduceResult {
  LayerPtr layer;  // one layer holding every combine and the aggregate
  Key key;         // the result's key
};

/// Builds the tree over `partials` (keys made by `partial_layers`). The key
/// names are deterministic: the same reduction of the same partials gives
/// the same keys. Throws ValueError when `partials` is empty or split_every < 2.
TreeReduceResult tree_reduce(const std::vector<Key>& partials, std::vector<LayerPtr> partial_layers,
                             const TreeReduceSpec& spec);

}  // namespace tessera

#pragma once
// Persisting on a cluster, as Dask's client.persist: the results stay where
// they were computed and the collection's graph becomes just their keys.
//
// An Executor that runs tasks on a cluster (the Client's) also implements
// PersistingExecutor; DataFrame::persist asks the current executor for it
// with a dynamic_cast and otherwise computes the values into the graph.
// (It lives here, not in runtime/exec, while dataframes are its only user; it
// names nothing of the dataframe and may move beside Executor unchanged.)
#include <span>
#include <string>

#include "runtime/graph/high_level_graph.hpp"

namespace tessera {

class PersistingExecutor {
 public:
  virtual ~PersistingExecutor() = default;
  /// Computes `outputs` of `graph` on the cluster and keeps them there;
  /// blocks until they are all in memory and throws the first failed key's
  /// error. Returns a layer that defines no task but names the outputs as
  /// external keys and holds one reference to each: the keys stay on the
  /// cluster while the layer (or any graph that uses it) lives. Thread-safe.
  virtual LayerPtr persist(const HighLevelGraph& graph, std::span<const Key> outputs,
                           const std::string& layer_name) = 0;
};

}  // namespace tessera

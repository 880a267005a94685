#pragma once
// HighLevelGraph: a graph made of immutable layers, as Dask's. Each collection
// operation adds one layer that points at the layers it builds on; collections
// share layers; the flat TaskGraph is materialised only at compute time.
#include <memory>
#include <string>
#include <vector>

#include "runtime/graph/task_graph.hpp"

namespace tessera {

struct Layer;
using LayerPtr = std::shared_ptr<const Layer>;

struct Layer {
  std::string name;
  std::vector<TaskSpec> tasks;
  std::vector<LayerPtr> dependencies;
  /// Keys this layer names that live on a cluster already (persisted data).
  std::vector<Key> external;
  /// Objects that must live as long as the layer (futures behind external keys).
  std::vector<std::shared_ptr<const void>> keep_alive;

  Layer(std::string n, std::vector<TaskSpec> t, std::vector<LayerPtr> d)
      : name(std::move(n)), tasks(std::move(t)), dependencies(std::move(d)) {}
  /// Releases long chains of layers iteratively (a 100,000-long chain of
  /// delayed calls must not overflow the stack when dropped).
  ~Layer();
};

LayerPtr make_layer(std::string name, std::vector<TaskSpec> tasks, std::vector<LayerPtr> deps = {});

class HighLevelGraph {
 public:
  HighLevelGraph() = default;
  explicit HighLevelGraph(std::vector<LayerPtr> tops) : tops_(std::move(tops)) {}

  /// The layers this graph was built from (their dependencies are implied).
  const std::vector<LayerPtr>& tops() const noexcept { return tops_; }
  /// Every distinct layer reachable from the tops (iterative walk).
  std::vector<const Layer*> layers() const;
  /// All tasks of all reachable layers, deduplicated by key.
  TaskGraph materialize() const;

 private:
  std::vector<LayerPtr> tops_;
};

}  // namespace tessera

#include "collections/core/tree_reduce.hpp"

#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera {

TreeReduceResult tree_reduce(const std::vector<Key>& partials, std::vector<LayerPtr> partial_layers,
                             const TreeReduceSpec& spec) {
  if (partials.empty()) throw ValueError("tree_reduce '" + spec.name + "': nothing to reduce");
  if (spec.split_every < 2)
    throw ValueError("tree_reduce '" + spec.name + "': split_every must be at least 2, got " +
                     std::to_string(spec.split_every));
  if (!spec.combine) throw ValueError("tree_reduce '" + spec.name + "': no combine function");
  const auto& aggregate = spec.aggregate ? spec.aggregate : spec.combine;

  Tokenizer t;
  t.add(std::string_view(spec.name)).add(std::string_view(spec.combine->name))
      .add(std::string_view(aggregate->name)).add(static_cast<std::int64_t>(spec.split_every));
  for (const auto& k : partials) t.add(std::string_view(k.str()));
  const std::string combine_name = spec.name + "-combine-" + t.hex();
  const std::string aggregate_name = spec.name + "-agg-" + t.hex();

  std::vector<TaskSpec> tasks;
  std::vector<Key> level = partials;
  std::int64_t depth = 0;
  // Combine in groups until one group is left; that group is aggregated.
  while (level.size() > spec.split_every) {
    std::vector<Key> next;
    for (std::size_t i = 0; i < level.size(); i += spec.split_every) {
      ArgList group;
      for (std::size_t j = i; j < std::min(level.size(), i + spec.split_every); ++j)
        group.emplace_back(level[j]);
      Key k(combine_name, {depth, static_cast<std::int64_t>(next.size())});
      tasks.push_back(TaskSpec{k, spec.combine, {Arg(std::move(group))}});
      next.push_back(std::move(k));
    }
    level = std::move(next);
    ++depth;
  }
  ArgList last;
  for (auto& k : level) last.emplace_back(std::move(k));
  Key result(aggregate_name);
  tasks.push_back(TaskSpec{result, aggregate, {Arg(std::move(last))}});
  return {make_layer(aggregate_name, std::move(tasks), std::move(partial_layers)), result};
}

}  // namespace tessera

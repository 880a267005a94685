#pragma once
// Partition-level operations (the DataFrame members map_partitions,
// repartition and persist are declared in dataframe.hpp), from_delayed, and
// the schema helpers they share.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collections/dataframe/dataframe.hpp"

namespace tessera::dataframe {

/// A frame whose partition i is the table computed by `parts[i]` (as
/// dd.from_delayed). `meta` gives the columns; without it the first
/// partition is computed now to learn them (as Dask). A partition that is not
/// a table of those columns fails its task with an error naming it.
DataFrame from_delayed_keys(const std::vector<std::pair<Key, LayerPtr>>& parts, std::optional<Schema> meta = std::nullopt,
                            const ComputeOptions& options = {});
template <class T>
DataFrame from_delayed(const std::vector<Delayed<T>>& parts, std::optional<Schema> meta = std::nullopt,
                       const ComputeOptions& options = {}) {
  std::vector<std::pair<Key, LayerPtr>> keys;
  for (const auto& p : parts) keys.emplace_back(p.key(), p.layer());
  return from_delayed_keys(keys, std::move(meta), options);
}

/// A schema as a Value ([[name, type], ...]) for task arguments, and back.
Value schema_to_value(const Schema& s);
Schema schema_from_value(const Value& v);
/// A table of these columns and no rows.
Table empty_table(const Schema& s, std::optional<std::string> index = std::nullopt);

}  // namespace tessera::dataframe

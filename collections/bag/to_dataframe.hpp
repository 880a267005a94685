#pragma once
// Bag -> Tables (runtime/value/table.hpp), as dask.bag's to_dataframe: one
// Table per partition, with the same columns and types in every partition.
//
// Records are dicts (a column per key; a missing key or None is a null) or
// lists (columns "0", "1", ... unless named). Column names and types come
// from `columns`/`types` when given, else from the bag's first record (as
// dask reads its meta from the first element; computing only the
// partitions needed to find it): int -> int64, float -> float64, bool ->
// bool, str -> string. Later values must fit their column (an int fits a
// float64 column); anything else is a TypeError naming the column and value.
#include <string>
#include <vector>

#include "collections/bag/bag.hpp"
#include "collections/dataframe/dataframe.hpp"
#include "runtime/value/table.hpp"

namespace tessera::bag {

struct ToDataFrameOptions {
  /// Column names (for dicts: the keys, in this order; for lists: the names of positions 0, 1, ...).
  std::vector<std::string> columns;
  /// Their types, one per column; empty: inferred from the first record.
  std::vector<ColumnType> types;
};

/// A bag's partitions as Tables: key (name, i) holds partition i (what the
/// dataframe collection wraps).
struct TablePartitions {
  std::string name;
  LayerPtr layer;
  std::int64_t npartitions = 0;
  std::vector<std::string> columns;
  std::vector<ColumnType> types;

  Key key(std::int64_t i) const { return Key(name, {i}); }
  /// All rows, partition after partition, in one Table.
  Table compute(const ComputeOptions& options = {}) const;
  /// The partitions as a dask-style DataFrame (collections/dataframe), as
  /// dask.bag's to_dataframe returns: lazy, no index, divisions unknown.
  dataframe::DataFrame frame() const;
};

/// Builds the Tables of `bag` (see the top of this file). Throws ValueError
/// when the types must be inferred and the bag is empty.
TablePartitions to_dataframe(const Bag& bag, ToDataFrameOptions options = {},
                             const ComputeOptions& infer_on = {});

/// The rows of `tables` in one Table (same columns and types; ValueError otherwise).
Table concat_tables(const std::vector<Table>& tables);

}  // namespace tessera::bag

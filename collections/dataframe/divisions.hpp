#pragma once
// Divisions, as Dask's: when a frame's partitions are sorted ranges of its
// index, divisions d[0] <= d[1] < ... < d[n] say where: partition i holds
// the rows whose index v has d[i] <= v < d[i+1], the last one
// d[n-1] <= v <= d[n] (nulls, which have no place, sit in the last).
//
// Who makes them: set_index (computed now from sampled quantiles, or given),
// sort_values by the index. Who keeps them: operations that keep every row
// where it is and the index as it is (column selection, filters, assign of
// other columns, rename, fillna/astype of other columns, map_partitions
// keeping the index, repartition to fewer partitions, persist, loc). Every
// other operation makes a frame with unknown divisions.
// Who uses them: loc reads only the partitions that can hold its keys; a
// merge of two frames on their indexes with equal divisions merges
// partition i with partition i, without a shuffle.
//
// Division values are Values of the index type: int64, float64, string,
// bool; a timestamp index's are int64 nanoseconds since the epoch.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "collections/dataframe/dataframe.hpp"
#include "runtime/value/table.hpp"
#include "runtime/value/value.hpp"

namespace tessera::dataframe {

/// <0, 0, >0 for two division values (numbers compare as numbers, strings
/// byte-wise). TypeError for values that do not compare (a string and a number).
int compare_division(const Value& a, const Value& b);

/// Row i of `c` (present) as a division value.
Value division_value(const Column& c, std::int64_t i);

/// A user's key for an index of type `type`, as a division value: numbers
/// for numeric indexes, strings for strings, a timestamp string ("2015-01-02
/// 03:04:05") or int64 nanoseconds for timestamps. TypeError naming `what`
/// and both types otherwise.
Value division_key(const Value& key, ColumnType type, const std::string& what);

/// The divisions as a column of `type` named `name` (for range_split).
Column division_column(const std::vector<Value>& divisions, const std::string& name, ColumnType type);

/// The first and last partition (inclusive) whose range meets
/// [start, stop] (a none bound is open); first > last when none does.
std::pair<std::int64_t, std::int64_t> partitions_between(const std::vector<Value>& divisions, const Value& start,
                                                         const Value& stop);

/// The divisions of `frame` along `column` for about n partitions, computed
/// now on the executor of `options` from a sample of every partition (min,
/// n - 1 cut points, max; equal neighbours merged). Empty when the column
/// has no value.
std::vector<Value> compute_divisions(const DataFrame& frame, const std::string& column, std::int64_t n,
                                     const ComputeOptions& options);

/// `frame`'s rows moved by a range shuffle to the partitions of `divisions`
/// along `column` (one per range; nulls to the last), not yet sorted.
DataFrame range_partition(const DataFrame& frame, const std::string& column, const std::vector<Value>& divisions);

}  // namespace tessera::dataframe

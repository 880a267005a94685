#pragma once
// merge / join, as dask.dataframe.merge (which is pandas' merge per pair of
// partitions). Two plans:
//
//  - hash join: both frames are shuffled on their keys into the same
//    number of partitions (shuffle.hpp), then partition j of the left is
//    merged with partition j of the right;
//  - aligned join: both frames are indexed by their one key column with
//    the same known divisions (divisions.hpp), so partition i of the left
//    meets only partition i of the right: merged pairwise, no shuffle
//    (unless `broadcast` is true);
//  - broadcast join: when the side the join allows to be small (right for
//    "left", left for "right", either for "inner"; never "outer") has one
//    partition, or `broadcast` asks for it, that side is concatenated into
//    one task and merged with every partition of the other side. Nothing is
//    shuffled.
//
// Columns, as pandas: the left frame's, then the right's; a key with one
// name on both sides (`on`, or equal left_on / right_on names) appears once,
// holding the right's value where the left row is missing (right and outer
// joins). Other names found on both sides get `suffixes`. Null keys match
// each other (as pandas). Unmatched rows get nulls in the other side's
// columns; int64 and bool columns stay int64 and bool with nulls (pandas
// turns them to float64 and object). Row order: by partition (a hash join
// is in hash order); sort for pandas' order.
//
// Errors at graph-build time: an unknown `how`, a missing key column, keys
// of different dtypes, both `on` and left_on/right_on, or different
// numbers of left and right keys.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collections/dataframe/dataframe.hpp"

namespace tessera::dataframe {

struct MergeOptions {
  /// "inner", "left", "right" or "outer".
  std::string how = "inner";
  /// Key columns with the same name on both sides...
  std::vector<std::string> on;
  /// ...or named per side (as many on each). None of the three: the columns both frames have.
  std::vector<std::string> left_on;
  std::vector<std::string> right_on;
  std::pair<std::string, std::string> suffixes{"_x", "_y"};
  /// Partitions of a hash join; 0: the larger of the two frames' counts.
  std::int64_t npartitions = 0;
  /// true: broadcast the small side (ValueError when `how` does not allow
  /// one); false: always a hash join; unset: broadcast a side that `how`
  /// allows when it has one partition.
  std::optional<bool> broadcast;
};

/// dd.merge(left, right, ...).
DataFrame merge(const DataFrame& left, const DataFrame& right, const MergeOptions& options = {});

/// The pandas merge of two tables (one pair of partitions). `left_on` and
/// `right_on` are resolved key names; errors as merge().
Table merge_tables(const Table& left, const Table& right, const std::string& how,
                   const std::vector<std::string>& left_on, const std::vector<std::string>& right_on,
                   const std::pair<std::string, std::string>& suffixes);

/// The result's schema (what merge_tables gives for tables of these schemas).
Schema merge_schema(const Schema& left, const Schema& right, const std::vector<std::string>& left_on,
                    const std::vector<std::string>& right_on, const std::pair<std::string, std::string>& suffixes);

}  // namespace tessera::dataframe

#pragma once
// Shuffles: moving rows between partitions by a key, as dask.dataframe's
// task-based shuffle. Never a gather: the graph is
//
//   partition 0   partition 1  ...  partition m-1      (inputs)
//       |             |                 |
//     split         split             split            one task per input: n pieces
//     / | \         / | \             / | \            (by hash of the key, or by
//    p00 ..p0n-1  p10 ..              ..   pm-1,n-1     value range for sorts)
//       \___________  |  ______________/
//                  concat j                            one task per output j: its m pieces
//
// so each task holds one input partition or one output partition, never all
// of the data. Piece (i, j) is a task of its own so that output j fetches
// only its pieces from the worker that split partition i.
//
// The table-level functions here are pure and safe from any thread; the
// graph builders are used by DataFrame::shuffle, merge, sort_values,
// set_index, drop_duplicates and groupby(split_out / apply).
#include <cstdint>
#include <string>
#include <vector>

#include "collections/dataframe/dataframe.hpp"
#include "collections/dataframe/operations.hpp"

namespace tessera::dataframe {

// ---- rows as keys ----

/// A stable 64-bit hash per row of the `on` columns: the same values give the
/// same hash in every process and whatever the columns' null bitmaps (a null
/// hashes as a null; -0.0 as 0.0). Equal keys of equal dtypes hash alike.
std::vector<std::uint64_t> hash_rows(const Table& t, const std::vector<std::string>& on);
/// Each row's `on` values as one byte string (nulls equal to nulls), for
/// exact matching (merge, drop_duplicates).
std::vector<std::string> encode_rows(const Table& t, const std::vector<std::string>& on);

/// Null, or a float NaN (both sort last and are left out of samples).
bool is_missing(const Column& c, std::int64_t i);
/// The number of rows of `points` (sorted, the type of `c`) whose value is <= c[i] (present).
std::int64_t upper_bound_row(const Column& points, const Column& c, std::int64_t i);

// ---- splitting and sorting one table ----

/// `t` in n pieces by hash_rows(on) % n; row order kept within each piece.
std::vector<Table> hash_split(const Table& t, const std::vector<std::string>& on, std::int64_t n);
/// `t` in n pieces by the value of `column`: with b the sorted split points
/// (a one-column table of the column's type, at most n - 1 rows), piece j
/// holds the values v with b[j-1] <= v < b[j] (equal values always share a
/// piece); nulls go to the last piece. When !ascending the pieces are
/// numbered from the largest values down (nulls still last).
std::vector<Table> range_split(const Table& t, const std::string& column, const Table& boundaries, std::int64_t n,
                               bool ascending);
/// `t` sorted by `by` (stable; nulls last, as pandas' na_position="last").
/// `ascending` holds one flag per column, or one for all, or none (= true).
Table sort_table(const Table& t, const std::vector<std::string>& by, const std::vector<bool>& ascending);
/// pandas' drop_duplicates(subset, keep): keep "first", "last" or "none"
/// (pandas' keep=False: every row that has a duplicate is dropped).
Table drop_duplicate_rows(const Table& t, const std::vector<std::string>& subset, const std::string& keep);

// ---- samples for range partitioning and approximate quantiles ----

/// The sorted non-null values of `column` as a table {v, w}: every value
/// with weight 1 when there are at most `k`, else k evenly spaced order
/// statistics each weighing count / k.
Table sample_points(const Table& t, const std::string& column, std::int64_t k);
/// n - 1 split points (a one-column table) cutting the merged samples into
/// n parts of near-equal weight.
Table split_points(const std::vector<Table>& samples, std::int64_t n);
/// Divisions for n parts from the merged samples: their min, the n - 1
/// split points and their max, equal neighbours merged (one row "v" each;
/// two equal rows when there is one distinct value, none when no value).
Table division_points(const std::vector<Table>& samples, std::int64_t n);
/// The q-quantiles (0 <= q <= 1) of the merged samples by linear
/// interpolation, as pandas' quantile: exact when every sample kept all its
/// values (weights 1), approximate otherwise. Null when there are no values.
std::vector<Value> sample_quantiles(const std::vector<Table>& samples, const std::vector<double>& qs);

// ---- graph builders ----

/// The m -> n shuffle above: `split_fn` is called as split_fn(leading...,
/// partition i) and returns n tables; output j concatenates piece j of
/// every input. `extra` are the layers that `leading`'s key references
/// need. The result has `frame`'s schema and index.
DataFrame shuffle_frame(const DataFrame& frame, const std::string& prefix, const std::string& split_fn,
                        const ArgList& leading, const std::vector<LayerPtr>& extra, std::int64_t n,
                        const std::string& token);
/// The key and layer of the split points of `column` for n parts (one task
/// over a sample of every partition).
std::pair<Key, LayerPtr> split_points_of(const DataFrame& frame, const std::string& column, std::int64_t n);

}  // namespace tessera::dataframe

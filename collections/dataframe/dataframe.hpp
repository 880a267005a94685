#pragma once
// DataFrame and Series: dask.dataframe in C++. A DataFrame is a name, one
// HighLevelGraph layer, a number of partitions, a column schema and, when
// known, its divisions (divisions.hpp: the index value where each partition
// starts, as Dask's). Partition i is the key (name, i); its value is a
// Table. Operations add a layer and return a new object; nothing runs until
// compute().
//
//   namespace dd = tessera::dataframe;
//   auto df = dd::read_csv("data/2015-*.csv");
//   Table t = df.groupby("user_id")["value"].mean().compute();
//   Table big = df[df["x"] > 0].compute();
//   std::cout << df.head(5);
//
// A Series is a column expression over one DataFrame's partitions
// (df["x"] * 2 > df["y"]): arithmetic, comparisons and the str/dt accessors
// build one expression evaluated inside one task per partition. Series of
// different DataFrames cannot be combined (ValueError): build both from the
// same frame. A boolean filter followed by a group-by or a reduction runs as
// one task per partition (read -> filter -> partial aggregation fuse),
// without copying the filtered rows.
// Thread-safety: DataFrames and Series are immutable values; share them freely.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collections/dataframe/schema.hpp"
#include "collections/delayed/delayed.hpp"
#include "runtime/graph/high_level_graph.hpp"

namespace tessera::dataframe {

class Series;
class GroupBy;
struct MergeOptions;

/// One value computed from a frame or series (a reduction, len).
class Scalar {
 public:
  Scalar(Key key, LayerPtr layer) : key_(std::move(key)), layer_(std::move(layer)) {}
  const Key& key() const noexcept { return key_; }
  const LayerPtr& layer() const noexcept { return layer_; }
  Value compute(const ComputeOptions& options = {}) const;

 private:
  Key key_;
  LayerPtr layer_;
};

class DataFrame {
 public:
  DataFrame(std::string name, LayerPtr layer, std::int64_t npartitions, Schema schema,
            std::optional<std::string> index = std::nullopt);

  const std::string& name() const noexcept { return name_; }
  const LayerPtr& layer() const noexcept { return layer_; }
  std::int64_t npartitions() const noexcept { return npartitions_; }
  const Schema& schema() const noexcept { return schema_; }
  /// The index column of the partitions (group-by results have their key), if any.
  const std::optional<std::string>& index() const noexcept { return index_; }
  /// The key columns of a group-by result (they lead every Series taken from it).
  const std::vector<std::string>& group_keys() const noexcept { return group_keys_; }
  /// Dask's divisions (divisions.hpp): npartitions + 1 index values, where
  /// partition i holds the rows whose index v has d[i] <= v < d[i+1] (the
  /// last one d[n-1] <= v <= d[n]); all none when unknown. Timestamp
  /// indexes give nanoseconds since the epoch (int64).
  std::vector<Value> divisions() const;
  /// Whether the divisions are known (set_index, sort_values by the index, and what keeps them).
  bool known_divisions() const noexcept { return !divisions_.empty(); }
  /// This frame, claiming `divisions` (npartitions + 1 increasing index
  /// values; ValueError otherwise, or when the frame has no index); empty: unknown.
  DataFrame with_divisions(std::vector<Value> divisions) const;
  /// This frame with unknown divisions (as Dask's clear_divisions).
  DataFrame clear_divisions() const { return with_divisions({}); }
  std::vector<std::string> columns() const;
  Key key(std::int64_t i) const { return Key(name_, {i}); }
  std::vector<Key> keys() const;
  HighLevelGraph graph() const { return HighLevelGraph({layer_}); }

  // ---- selection ----
  /// df["c"]: the column as a Series (KeyError naming the columns otherwise).
  Series operator[](const std::string& column) const;
  Series operator[](const char* column) const;
  /// df[["a", "b"]]: those columns, in that order.
  DataFrame operator[](const std::vector<std::string>& columns) const;
  /// df[{"a", "b"}] (without this, two names would also read as std::string's iterator pair).
  DataFrame operator[](std::initializer_list<std::string> columns) const {
    return (*this)[std::vector<std::string>(columns)];
  }
  /// df[mask]: the rows where `mask` (a bool Series of this frame) is true; null counts as false.
  DataFrame operator[](const Series& mask) const;
  /// df.assign(name=series, ...): new or replaced columns, in order.
  DataFrame assign(const std::vector<std::pair<std::string, Series>>& columns) const;
  DataFrame assign(const std::string& name, const Series& column) const;
  /// Columns renamed by {old, new} pairs (KeyError for an unknown old name).
  DataFrame rename(const std::vector<std::pair<std::string, std::string>>& columns) const;
  /// Without the named columns.
  DataFrame drop(const std::vector<std::string>& columns) const;
  /// Columns converted ({name, dtype} pairs: "int64", "float64", "bool", "object", "datetime64[ns]").
  DataFrame astype(const std::vector<std::pair<std::string, std::string>>& dtypes) const;
  /// Nulls of every column replaced by `value` where the types fit (as pandas fillna(scalar)).
  DataFrame fillna(const Value& value) const;
  /// Rows with a null in any of `subset` (default: any column) dropped.
  DataFrame dropna(const std::vector<std::string>& subset = {}) const;
  /// A bool frame: true where a value is null.
  DataFrame isna() const;

  // ---- group-by and reductions ----
  GroupBy groupby(const std::string& key) const;
  GroupBy groupby(std::vector<std::string> keys) const;
  /// Whole-frame reductions over every column they apply to: one row, one
  /// column per input column (pandas returns a Series indexed by column name).
  DataFrame sum() const;
  DataFrame mean() const;
  DataFrame count() const;
  DataFrame min() const;
  DataFrame max() const;
  DataFrame std(std::int64_t ddof = 1) const;
  DataFrame var(std::int64_t ddof = 1) const;
  /// pandas' describe(): count, mean, std, min, 25%, 50%, 75%, max of every
  /// int64 and float64 column, as float64 columns after an "index" column of
  /// those names. Quantiles are approximate on big partitions (Series::quantile).
  DataFrame describe() const;
  /// The number of rows (lazy).
  Scalar len() const;

  // ---- shuffles (shuffle.hpp, merge.hpp): rows move between partitions ----
  // Each is a task graph (split every partition into pieces, then concatenate
  // the pieces of each output partition): no task ever holds all the data.
  /// Rows with equal `on` values brought into one partition (hash
  /// partitioning) in `npartitions` partitions (0: as many as now). Rows
  /// keep their relative order within an output partition.
  DataFrame shuffle(const std::vector<std::string>& on, std::int64_t npartitions = 0) const;
  /// Sorted by `by` (stable; nulls last, as pandas' na_position="last"):
  /// partitions are value ranges of by[0] cut at quantiles sampled from
  /// every partition (computed in the graph), each then sorted, so the
  /// concatenated result is sorted. `ascending`: one flag per column, or
  /// empty (all ascending). Divisions, as Dask's, are of the index: sorting
  /// by the index column ascending gives known divisions (the frame's own
  /// when known: each partition is only sorted; else computed now, as
  /// set_index does); sorting by another column leaves them unknown.
  /// `options`: where divisions computed now run (a sort by the index).
  DataFrame sort_values(const std::vector<std::string>& by, const std::vector<bool>& ascending = {},
                        std::int64_t npartitions = 0, const ComputeOptions& options = {}) const;
  DataFrame sort_values(std::initializer_list<std::string> by, std::initializer_list<bool> ascending = {}) const {
    return sort_values(std::vector<std::string>(by), std::vector<bool>(ascending));
  }
  DataFrame sort_values(const std::string& by, bool ascending = true) const;
  /// `column` as the index, as Dask's set_index: the divisions are computed
  /// now from quantiles sampled from every partition (min, npartitions - 1
  /// cut points, max; repeated values merged, so there may be fewer
  /// partitions), rows move to the partition whose range holds their value
  /// (nulls to the last), and each partition is sorted by the column, which
  /// leads the columns. The result has known divisions. A column without a
  /// value gives unknown divisions. `options`: where the sample runs.
  DataFrame set_index(const std::string& column, std::int64_t npartitions = 0,
                      const ComputeOptions& options = {}) const;
  /// As above with the divisions given (increasing, at least two; nothing is
  /// computed now). Values outside [d[0], d[n]] go to the first or last
  /// partition, as Dask's.
  DataFrame set_index(const std::string& column, const std::vector<Value>& divisions) const;
  /// pandas' df.loc[key]: the rows whose index equals `key` (a frame, as
  /// Dask's). With known divisions only the partitions that can hold the key
  /// are read; else every partition is filtered. ValueError without an index.
  DataFrame loc(const Value& key) const;
  /// df.loc[start:stop]: the rows with start <= index <= stop (none: open
  /// end), as pandas' label slices; with known divisions only the partitions
  /// whose ranges meet [start, stop] are read, and the result keeps divisions.
  DataFrame loc(const Value& start, const Value& stop) const;
  /// pandas' drop_duplicates: one row per distinct `subset` (default: all
  /// columns); keep "first", "last" or "none" (pandas' keep=False). Local
  /// duplicates go first, then a hash shuffle on `subset`; the result is in
  /// hash-partition order, not the input's.
  DataFrame drop_duplicates(const std::vector<std::string>& subset = {}, const std::string& keep = "first",
                            std::int64_t npartitions = 0) const;
  /// pandas' merge (see merge.hpp): self is the left frame.
  DataFrame merge(const DataFrame& right, const MergeOptions& options) const;

  // ---- partitions (partitioning.hpp) ----
  /// `fn(partition, args...)` for each partition, as Dask's map_partitions:
  /// `fn` names a registered function (TESSERA_FUNCTION) taking and returning
  /// a Table, so that any worker can run it (KeyError naming the nearest
  /// registered names otherwise). `meta`: the result's columns; without it
  /// `fn` is called now on an empty partition to learn them. A partition
  /// whose result has other columns fails with an error naming it.
  DataFrame map_partitions(const std::string& fn, std::optional<Schema> meta = std::nullopt,
                           const ValueList& args = {}) const;
  /// The same rows in `npartitions` partitions, in order: fewer by
  /// concatenating neighbours, more by splitting each partition into
  /// near-equal slices. No shuffle.
  DataFrame repartition(std::int64_t npartitions) const;
  /// Computes every partition now and returns a frame whose graph is only
  /// the results, with this frame's keys and metadata (so later operations do
  /// not recompute anything). On a cluster executor (a Client, see
  /// persist.hpp) the partitions stay on the workers: the frame's layer holds
  /// them as futures, and dropping the last frame or graph that uses it
  /// releases them. Elsewhere ("sync", "threads") the values sit in the
  /// graph. Blocks until every partition is computed; a failed partition
  /// throws its task's error.
  DataFrame persist(const ComputeOptions& options = {}) const;
  /// This frame's metadata over `held`, a layer that defines (or names as
  /// external, persisted) every key of this frame: what persist builds.
  DataFrame with_layer(LayerPtr held) const;

  // ---- results ----
  /// All partitions, concatenated.
  Table compute(const ComputeOptions& options = {}) const;
  /// The first n rows, computing partition 0 first and then only as many
  /// further partitions as needed.
  Table head(std::int64_t n = 5, const ComputeOptions& options = {}) const;
  /// The number of rows (computes).
  std::int64_t length(const ComputeOptions& options = {}) const;
  /// The structure, as a dask DataFrame's repr: columns, dtypes, npartitions.
  std::string repr() const;

  // ---- plumbing for Series, GroupBy and the sources ----
  /// A frame whose partitions are `fn(leading..., partition i)`.
  DataFrame partitionwise(const std::string& prefix, const std::string& fn, const ValueList& leading,
                          Schema schema, std::optional<std::string> index) const;
  /// When this frame is a boolean filter of another: that frame and the mask.
  struct FilterOrigin;
  const std::shared_ptr<const FilterOrigin>& filter_origin() const noexcept { return origin_; }
  /// A group-by reduction of this frame: chunk per partition -> tree of
  /// combines -> one finalize task (a one-partition frame). `order` and
  /// `mode` are agg_finalize's (see aggregation_kernels.cpp).
  DataFrame aggregate(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                      std::int64_t order, Schema schema, std::optional<std::string> index,
                      std::size_t split_every = 8) const;
  DataFrame aggregate_mode(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                           std::int64_t order, std::int64_t mode, Schema schema, std::optional<std::string> index,
                           std::size_t split_every = 8) const;
  /// As aggregate_mode, with the results in `split_out` partitions: each
  /// chunk's partial is hash-split on `split_on` (a prefix of `keys`), and
  /// each part has its own tree of combines and finalize (groupby_shuffle.cpp).
  DataFrame aggregate_split(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                            std::int64_t order, std::int64_t mode, Schema schema, std::optional<std::string> index,
                            std::size_t split_every, std::int64_t split_out,
                            const std::vector<std::string>& split_on) const;
  /// As aggregate, finalized into one value (mode 1: the first aggregation; 2: the number of groups).
  Scalar aggregate_scalar(const std::string& prefix, const std::vector<std::string>& keys, const Value& aggs,
                          std::int64_t mode, std::size_t split_every = 8) const;

 private:
  DataFrame whole_frame_reduction(const std::string& func, std::int64_t ddof) const;
  /// loc: rows with start <= index <= stop (== start when `point`).
  DataFrame index_rows(const Value& start, const Value& stop, bool point) const;
  std::pair<Key, LayerPtr> aggregate_tree(const std::string& prefix, const std::vector<std::string>& keys,
                                          const Value& aggs, std::size_t split_every) const;

  std::string name_;
  LayerPtr layer_;
  std::int64_t npartitions_;
  Schema schema_;
  std::optional<std::string> index_;
  std::vector<std::string> group_keys_;
  std::shared_ptr<const FilterOrigin> origin_;
  std::vector<Value> divisions_;  // empty: unknown
};

struct DataFrame::FilterOrigin {
  DataFrame base;
  Value mask;  // an expression over base's columns
};

/// Computes several frames in one graph (shared inputs, a CSV read for
/// example, run once); results in order.
std::vector<Table> compute(const std::vector<DataFrame>& frames, const ComputeOptions& options = {});

/// A frame of `table`'s rows in `npartitions` near-equal partitions
/// (literals in the graph). An empty table gives one empty partition.
DataFrame from_table(const Table& table, std::int64_t npartitions = 1);
/// from_table(Table(columns), npartitions).
DataFrame from_columns(std::vector<Column> columns, std::int64_t npartitions = 1);

}  // namespace tessera::dataframe

#include "collections/dataframe/series.hpp"
#include "collections/dataframe/groupby.hpp"
#include "collections/dataframe/merge.hpp"
#include "collections/dataframe/divisions.hpp"
#include "collections/dataframe/partitioning.hpp"
#include "collections/dataframe/io.hpp"
#include "collections/dataframe/read_csv.hpp"
#include "collections/dataframe/table_printer.hpp"

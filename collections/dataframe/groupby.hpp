#pragma once
// GroupBy: df.groupby(keys) and df.groupby(keys)[column], as pandas. Every
// aggregation is a tree reduction (aggregation.hpp) into a one-partition
// frame sorted by key, the key as its index (one key) or as leading
// columns (several keys). Rows with a null key are dropped.
// Include "collections/dataframe/dataframe.hpp".
#include <string>
#include <utility>
#include <vector>

#include "collections/dataframe/dataframe.hpp"

namespace tessera::dataframe {

/// pandas' named aggregation: out=(column, func).
struct NamedAgg {
  // A constructor (not an aggregate), so that agg({{"x", "mean"}}) is the {column, func} form.
  NamedAgg(std::string out_, std::string column_, std::string func_)
      : out(std::move(out_)), column(std::move(column_)), func(std::move(func_)) {}
  std::string out;
  std::string column;
  std::string func;
};

class SeriesGroupBy {
 public:
  SeriesGroupBy(DataFrame frame, std::vector<std::string> keys, std::string column, std::size_t split_every,
                std::int64_t split_out = 1);
  Series sum() const;
  Series mean() const;
  Series count() const;
  Series size() const;
  Series min() const;
  Series max() const;
  Series std(std::int64_t ddof = 1) const;
  Series var(std::int64_t ddof = 1) const;
  Series first() const;
  Series last() const;
  /// The number of distinct non-null values per group.
  Series nunique() const;
  /// One aggregation by name ("sum", "mean", ...).
  Series agg(const std::string& func, std::int64_t ddof = 1) const;
  /// Several: one column per function, named after it.
  DataFrame agg(const std::vector<std::string>& funcs) const;

 private:
  DataFrame frame_;
  std::vector<std::string> keys_;
  std::string column_;
  std::size_t split_every_;
  std::int64_t split_out_ = 1;
};

class GroupBy {
 public:
  GroupBy(DataFrame frame, std::vector<std::string> keys, std::size_t split_every = 8);

  SeriesGroupBy operator[](const std::string& column) const;
  /// {column, func} pairs, as agg({"x": "mean", "y": "max"}): columns named after the input column.
  DataFrame agg(const std::vector<std::pair<std::string, std::string>>& column_funcs) const;
  /// Named aggregations, as agg(x_mean=("x", "mean")).
  DataFrame agg(const std::vector<NamedAgg>& named) const;
  /// Every non-key column the function applies to.
  DataFrame sum() const;
  DataFrame mean() const;
  DataFrame count() const;
  DataFrame min() const;
  DataFrame max() const;
  DataFrame first() const;
  DataFrame last() const;
  DataFrame std(std::int64_t ddof = 1) const;
  DataFrame var(std::int64_t ddof = 1) const;
  /// Rows per group, a Series named "size".
  Series size() const;

  const std::vector<std::string>& keys() const noexcept { return keys_; }

  /// The same group-by whose results come in `n` partitions (Dask's
  /// split_out, for many groups): partials are hash-partitioned by key after
  /// the chunk step and each part is reduced on its own, so no task holds
  /// every group. Each partition is sorted by key; the partitions are in
  /// hash order (sort_values for one order).
  GroupBy split_out(std::int64_t n) const;
  /// `fn(group)` for every group, concatenated (pandas'
  /// groupby(..., group_keys=False).apply(fn)): a shuffle on the keys brings
  /// each group into one partition, where groups are taken in key order.
  /// `fn` names a registered function Table -> Table (see
  /// DataFrame::map_partitions); `meta` its columns, or learnt by calling it
  /// on an empty group. Rows with a null key are dropped.
  DataFrame apply(const std::string& fn, std::optional<Schema> meta = std::nullopt) const;

 private:
  DataFrame all_columns(const std::string& func, std::int64_t ddof) const;

  DataFrame frame_;
  std::vector<std::string> keys_;
  std::size_t split_every_;
  std::int64_t split_out_ = 1;
};

}  // namespace tessera::dataframe

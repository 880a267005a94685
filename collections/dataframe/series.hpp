#pragma once
// Series: one column of a DataFrame, or an expression over its columns
// (see expression.hpp). Include "collections/dataframe/dataframe.hpp".
#include <cstdint>
#include <string>

#include "collections/dataframe/dataframe.hpp"

namespace tessera::dataframe {

class Series {
 public:
  /// The expression `expr` over `frame`'s partitions, named `name`.
  Series(DataFrame frame, Value expr, std::string name);

  const DataFrame& frame() const noexcept { return frame_; }
  const Value& expr() const noexcept { return expr_; }
  const std::string& name() const noexcept { return name_; }
  ColumnType dtype() const noexcept { return type_; }
  std::int64_t npartitions() const noexcept { return frame_.npartitions(); }

  /// The same values under another name.
  Series rename(const std::string& name) const;
  /// A one-column frame (with the frame's index column, if it has one).
  DataFrame to_frame() const;

  // ---- element-wise ----
  Series isna() const;
  Series notna() const;
  Series fillna(const Value& value) const;
  Series astype(const std::string& dtype) const;
  Series abs() const;

  class StrAccessor;
  class DtAccessor;
  StrAccessor str() const;
  DtAccessor dt() const;

  // ---- reductions ----
  Scalar sum(std::size_t split_every = 8) const;
  Scalar mean(std::size_t split_every = 8) const;
  Scalar count(std::size_t split_every = 8) const;
  Scalar min(std::size_t split_every = 8) const;
  Scalar max(std::size_t split_every = 8) const;
  Scalar std(std::int64_t ddof = 1, std::size_t split_every = 8) const;
  Scalar var(std::int64_t ddof = 1, std::size_t split_every = 8) const;
  /// The number of distinct non-null values.
  Scalar nunique(std::size_t split_every = 8) const;
  /// The q-quantile (0 <= q <= 1) by linear interpolation, as pandas'
  /// quantile; approximate on big partitions (see reductions.cpp: exact while
  /// each partition has at most 1000 non-null values). A float, or none when
  /// there are no values.
  Scalar quantile(double q) const;
  /// Several at once: a list of floats.
  Scalar quantile(const std::vector<double>& qs) const;
  /// Counts of each distinct value, largest first (ties: by value), nulls
  /// dropped; a Series named "count" indexed by the values.
  Series value_counts(std::size_t split_every = 8) const;

  /// The values (with the index column, if the frame has one).
  Table compute(const ComputeOptions& options = {}) const;
  Table head(std::int64_t n = 5, const ComputeOptions& options = {}) const;

  /// A unary or binary expression node over this series (and `other`).
  Series apply_op(const std::string& op, const Value& other_expr = Value()) const;
  Series apply_op(const std::string& op, const Series& other) const;

 private:
  DataFrame frame_;
  Value expr_;
  std::string name_;
  ColumnType type_;
};

class Series::StrAccessor {
 public:
  explicit StrAccessor(const Series& s) : s_(s) {}
  /// ASCII case mapping (other bytes are kept).
  Series lower() const;
  Series upper() const;
  /// Length in characters (UTF-8 code points).
  Series len() const;
  /// Plain substring test (pandas' regex=False).
  Series contains(const std::string& pattern) const;
  Series startswith(const std::string& prefix) const;
  Series endswith(const std::string& suffix) const;

 private:
  Series s_;
};

class Series::DtAccessor {
 public:
  explicit DtAccessor(const Series& s) : s_(s) {}
  Series year() const;
  Series month() const;
  Series day() const;
  Series hour() const;
  Series minute() const;
  Series second() const;
  /// Monday = 0 ... Sunday = 6.
  Series dayofweek() const;

 private:
  Series s_;
};

// Arithmetic and comparisons with another Series of the same frame or a scalar.
#define TESSERA_SERIES_BINARY(OP, NAME)                                          \
  Series operator OP(const Series& a, const Series& b);                          \
  Series operator OP(const Series& a, const Value& b);                           \
  Series operator OP(const Value& a, const Series& b);
TESSERA_SERIES_BINARY(+, add)
TESSERA_SERIES_BINARY(-, sub)
TESSERA_SERIES_BINARY(*, mul)
TESSERA_SERIES_BINARY(/, div)
TESSERA_SERIES_BINARY(%, mod)
TESSERA_SERIES_BINARY(==, eq)
TESSERA_SERIES_BINARY(!=, ne)
TESSERA_SERIES_BINARY(<, lt)
TESSERA_SERIES_BINARY(<=, le)
TESSERA_SERIES_BINARY(>, gt)
TESSERA_SERIES_BINARY(>=, ge)
TESSERA_SERIES_BINARY(&, and)
TESSERA_SERIES_BINARY(|, or)
TESSERA_SERIES_BINARY(^, xor)
#undef TESSERA_SERIES_BINARY
/// Floor division (Python's //).
Series floordiv(const Series& a, const Series& b);
Series floordiv(const Series& a, const Value& b);
Series operator-(const Series& a);
/// Logical not of a bool series (pandas' ~).
Series operator~(const Series& a);

}  // namespace tessera::dataframe

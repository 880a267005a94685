#pragma once
// Row and column operations on Tables (one partition): take rows by index,
// keep rows by a boolean mask, slice, concatenate, select and rename
// columns. Pure functions over immutable inputs; safe from any thread.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/value/table.hpp"

namespace tessera::dataframe {

/// Rows `rows` of `c`, in that order; index -1 gives a null.
Column take(const Column& c, std::span<const std::int64_t> rows);
/// The rows of `c` where `mask` (a bool column) is true; a null mask entry drops the row.
Column filter(const Column& c, const Column& mask);
/// Rows [begin, end) of `c` (copied).
Column slice(const Column& c, std::int64_t begin, std::int64_t end);
/// The columns concatenated; all must have the same type (TypeError otherwise).
Column concat(const std::vector<const Column*>& parts, const std::string& name);

Table take(const Table& t, std::span<const std::int64_t> rows);
Table filter(const Table& t, const Column& mask);
Table slice(const Table& t, std::int64_t begin, std::int64_t end);
/// Tables with the same column names and types, one after the other. An
/// empty list is an error; tables with no rows are fine.
Table concat(const std::vector<Table>& parts);
/// The named columns, in that order (KeyError naming a missing one).
Table select(const Table& t, const std::vector<std::string>& names);
/// `c` renamed.
Column renamed(Column c, std::string name);
/// `t` with `c` added, or replacing the column of the same name in place.
Table with_column(const Table& t, Column c);
/// A table with the same columns and no rows.
Table empty_like(const Table& t);

}  // namespace tessera::dataframe

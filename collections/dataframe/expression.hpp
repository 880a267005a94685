#pragma once
// Column expressions: what a Series is made of. An expression is a small
// tree held in a Value (so it travels inside tasks and every worker can run
// it): ["col", name] | ["lit", value] | [op, operand...] (+ literal extras).
// A whole chain like (df.x * 2 > df.y) & df.name.str.startswith("A") is
// evaluated inside one task, over the partition's columns, without a task
// per operator.
//
// Ops: add sub mul div floordiv mod (numbers; div is always float64);
// eq ne lt le gt ge (numbers with numbers, strings with strings, timestamps
// with timestamps); and or xor not (bools); neg abs isna notna;
// fillna(x, lit); astype(x, type); str_lower str_upper str_len
// str_contains str_startswith str_endswith (lit); dt_year dt_month dt_day
// dt_hour dt_minute dt_second dt_dayofweek.
// Nulls: arithmetic with a null is null; a comparison with a null is false
// (ne: true), as pandas with NaN; and/or read a null as false.
#include <string>
#include <vector>

#include "collections/dataframe/schema.hpp"
#include "runtime/value/value.hpp"

namespace tessera::dataframe::expr {

Value col(const std::string& name);
Value lit(const Value& v);
Value op(const std::string& name, ValueList operands);

/// The result type, from the operand types alone; TypeError for a bad combination.
ColumnType result_type(const Value& e, const Schema& schema);
/// Evaluates `e` over the rows of `t`; the column is named `name`.
Column evaluate(const Value& e, const Table& t, const std::string& name);
/// The column names `e` reads.
void referenced_columns(const Value& e, std::vector<std::string>& out);
/// ["col", name] -> name; otherwise "".
std::string column_name(const Value& e);

}  // namespace tessera::dataframe::expr

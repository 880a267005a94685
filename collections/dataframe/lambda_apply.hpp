#pragma once
// Lambdas over a DataFrame's rows and a Series' values, as Dask writes them:
//   df.x.map(lambda v: v * 2 if v > 0 else 0)
//   df.apply(lambda row: row["value"] / row["age"], axis=1)
// The lambda is an expression tree of runtime/expr/lambda_expr.hpp (the REPL
// compiles a lambda into one). It becomes one node of the frame's column
// expressions (expression.hpp),
//   ["lambda", {"tree": t, "type": dtype code, "names": [...]}, operand...]
// whose operands are column expressions: evaluated in the partition's task
// on whatever worker runs it, one call of the tree per row. So the result is
// a Series of the SAME frame: df.assign(z=df.apply(...)), df[df.x.map(...)]
// and arithmetic with other columns work, and nothing is registered per lambda.
//
// Values: a null cell reads as None, a timestamp as its ISO text; a None
// result is a null. The result's dtype is given (meta, as Dask's) or
// inferred as Dask infers meta: by evaluating the tree once on a sample of
// each input type (1, 1.0, True, "foo"); None there keeps a map's input
// type; if the call fails, or gives a list or dict (or None for apply),
// the error asks for meta. A row whose result does not fit the dtype
// fails its task with an error naming the row, the value and the dtype.
// Thread-safety: pure functions.
#include <optional>
#include <string>

#include "collections/dataframe/series.hpp"

namespace tessera::dataframe {

/// series.map(tree): tree(value) for each value, named like the series.
Series map_values(const Series& s, const Value& tree, std::optional<ColumnType> dtype = std::nullopt);

/// df.apply(tree, axis=1): tree(row) for each row, the row a dict of every
/// column (the index column too) to its value. Named `name`.
Series apply_rows(const DataFrame& df, const Value& tree, std::optional<ColumnType> dtype = std::nullopt,
                  const std::string& name = "apply");

/// The "lambda" node for `tree` over column expressions `operands`; `names`:
/// none for map (one operand, its value is the argument), else the row's
/// keys (one per operand). `dtype` none: inferred from a sample (above).
Value lambda_node(const Value& tree, const std::string& what, const Value& names, ValueList operands,
                  std::optional<ColumnType> dtype, const Schema& schema);

/// For expression.cpp: the "lambda" node's result type and its evaluation.
ColumnType lambda_result_type(const Value& node);
Column evaluate_lambda(const Value& node, const Table& t, const std::string& name);

/// "int64", "float64", "bool", "object"/"str"/"string", "datetime64[ns]";
/// numpy's short codes too ("i8", "f8", "b", "O"). TypeError otherwise.
ColumnType meta_dtype(const std::string& name);

}  // namespace tessera::dataframe

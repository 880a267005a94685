// series.map and df.apply with lambdas: the Series whose expression is a
// "lambda" node (lambda_apply.hpp). Apart from lambda_apply.cpp, whose
// evaluation the CSV fuzz target links without the collection's API.
#include "collections/dataframe/dataframe.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/lambda_apply.hpp"

namespace tessera::dataframe {

Series map_values(const Series& s, const Value& tree, std::optional<ColumnType> dtype) {
  Value node = lambda_node(tree, "Series.map", Value(), ValueList{s.expr()}, dtype, s.frame().schema());
  return Series(s.frame(), std::move(node), s.name());
}

Series apply_rows(const DataFrame& df, const Value& tree, std::optional<ColumnType> dtype, const std::string& name) {
  ValueList names, operands;
  for (const auto& c : df.schema()) {
    names.emplace_back(c.name);
    operands.push_back(expr::col(c.name));
  }
  Value node = lambda_node(tree, "DataFrame.apply", Value(std::move(names)), std::move(operands), dtype, df.schema());
  return Series(df, std::move(node), name);
}

}  // namespace tessera::dataframe

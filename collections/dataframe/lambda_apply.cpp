#include "collections/dataframe/lambda_apply.hpp"

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/csv_spec.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/text_values.hpp"
#include "runtime/expr/lambda_expr.hpp"
#include "runtime/util/error.hpp"
#include "runtime/value/column_type_of.hpp"

namespace tessera::dataframe {
namespace {

using I64 = std::int64_t;

std::string tname(ColumnType t) { return std::string(column_type_name(t)); }

/// The node's settings: {"tree": t, "type": code, "names": [...], "what": "map"|"apply"}.
const ValueDict& settings(const Value& node) {
  const auto& p = node.as_list();
  if (p.size() < 2 || p[1].kind() != ValueKind::dict) throw ValueError("dataframe: a malformed lambda node");
  return p[1].as_dict();
}

Value cell(const Column& c, I64 i) {
  if (!c.is_valid(i)) return Value();
  switch (c.type) {
    case ColumnType::int64: return Value(c.data->as<I64>()[i]);
    case ColumnType::float64: return Value(c.data->as<double>()[i]);
    case ColumnType::boolean: return Value(c.data->as<std::uint8_t>()[i] != 0);
    case ColumnType::string: return Value(std::string(c.string_at(i)));
    case ColumnType::timestamp: return Value(format_timestamp(c.data->as<I64>()[i]));
  }
  return Value();
}

/// What Dask's meta_nonempty would put in a column of type t.
Value sample(ColumnType t) {
  switch (t) {
    case ColumnType::int64: return Value(1);
    case ColumnType::float64: return Value(1.0);
    case ColumnType::boolean: return Value(true);
    case ColumnType::string: return Value("foo");
    case ColumnType::timestamp: return Value("2000-01-01 00:00:00");
  }
  return Value();
}

ColumnType type_of_result(const Value& v, const std::string& what) {
  if (auto t = column_type_of(v)) return *t;
  throw TypeError(what + ": the lambda gives " + v.repr(80) +
                  " on a sample row, which no column type holds here; give meta='int64', 'float64', 'bool' or "
                  "'object'");
}

void append(ColumnBuilder& b, const Value& v, I64 row, const std::string& what) {
  auto misfit = [&]() {
    throw TypeError(what + ": the lambda returned " + v.repr(80) + " for row " + std::to_string(row) +
                    " of the partition, which does not fit the result's dtype " + tname(b.type()) +
                    " (inferred from a sample row unless meta gave it): give meta='" +
                    (v.kind() == ValueKind::float64 ? "float64" : "object") + "'");
  };
  if (v.is_none()) return b.append_null();
  switch (b.type()) {
    case ColumnType::int64:
      if (v.kind() == ValueKind::int64) return b.append_int(v.as_int());
      if (v.kind() == ValueKind::boolean) return b.append_int(v.as_bool() ? 1 : 0);
      return misfit();
    case ColumnType::float64:
      if (v.kind() == ValueKind::float64) return b.append_float(v.as_float());
      if (v.kind() == ValueKind::int64) return b.append_float(static_cast<double>(v.as_int()));
      if (v.kind() == ValueKind::boolean) return b.append_float(v.as_bool() ? 1.0 : 0.0);
      return misfit();
    case ColumnType::boolean:
      if (v.kind() == ValueKind::boolean) return b.append_bool(v.as_bool());
      return misfit();
    case ColumnType::string:
      if (v.kind() == ValueKind::string) return b.append_string(v.as_string());
      return misfit();
    case ColumnType::timestamp: {
      std::int64_t ns = 0;
      if (v.kind() == ValueKind::string && parse_timestamp(v.as_string(), ns)) return b.append_int(ns);
      return misfit();
    }
  }
}

}  // namespace

Value lambda_node(const Value& tree, const std::string& what, const Value& names, ValueList operands,
                  std::optional<ColumnType> dtype, const Schema& schema) {
  if (!dtype) {
    // Dask's meta inference: the tree on a sample of each input type.
    Value arg;
    if (names.is_none()) {
      arg = sample(expr::result_type(operands.at(0), schema));
    } else {
      ValueDict row;
      for (std::size_t i = 0; i < operands.size(); ++i)
        row[names.as_list()[i].as_string()] = sample(expr::result_type(operands[i], schema));
      arg = Value(std::move(row));
    }
    Value result;
    try {
      result = ::tessera::expr::evaluate(tree, std::span<const Value>(&arg, 1));
    } catch (const std::exception& e) {
      throw ValueError(what + ": could not infer the result's dtype by calling the lambda on a sample " +
                       (names.is_none() ? "value " : "row ") + arg.repr(120) + " (" + e.what() +
                       "); give it as meta, e.g. meta='float64'");
    }
    // None on the sample (lambda v: None if v < 0 else v): a null of the input's type, for map.
    if (result.is_none() && names.is_none()) dtype = expr::result_type(operands.at(0), schema);
    else dtype = type_of_result(result, what);
  }
  ValueDict s{{"tree", tree}, {"type", Value(static_cast<I64>(*dtype))}, {"names", names}, {"what", Value(what)}};
  operands.insert(operands.begin(), Value(std::move(s)));
  return expr::op("lambda", std::move(operands));
}


ColumnType meta_dtype(const std::string& name) {
  if (name == "i8") return ColumnType::int64;
  if (name == "f8") return ColumnType::float64;
  if (name == "b" || name == "?") return ColumnType::boolean;
  if (name == "O") return ColumnType::string;
  if (name == "M8[ns]") return ColumnType::timestamp;
  try {
    return parse_column_type(name);
  } catch (const ValueError& e) {
    throw TypeError(std::string("meta: ") + e.what());
  }
}

ColumnType lambda_result_type(const Value& node) {
  return static_cast<ColumnType>(settings(node).at("type").as_int());
}

Column evaluate_lambda(const Value& node, const Table& t, const std::string& name) {
  const auto& s = settings(node);
  const Value& tree = s.at("tree");
  const Value& names = s.at("names");
  const std::string& what = s.at("what").as_string();
  const auto& p = node.as_list();
  std::vector<Column> inputs;
  for (std::size_t i = 2; i < p.size(); ++i) inputs.push_back(expr::evaluate(p[i], t, ""));
  ColumnBuilder b(name, lambda_result_type(node));
  const I64 n = t.num_rows();
  b.reserve(static_cast<std::size_t>(n));
  for (I64 i = 0; i < n; ++i) {
    Value arg;
    if (names.is_none()) {
      arg = cell(inputs.at(0), i);
    } else {
      ValueDict row;
      for (std::size_t k = 0; k < inputs.size(); ++k) row[names.as_list()[k].as_string()] = cell(inputs[k], i);
      arg = Value(std::move(row));
    }
    Value r;
    try {
      r = ::tessera::expr::evaluate(tree, std::span<const Value>(&arg, 1));
    } catch (const Error& e) {
      throw TypeError(what + ": the lambda failed on row " + std::to_string(i) + " of the partition, " +
                      arg.repr(200) + ": " + e.what());
    }
    append(b, r, i, what);
  }
  return b.finish();
}

}  // namespace tessera::dataframe

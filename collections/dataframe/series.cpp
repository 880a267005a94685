#include "collections/dataframe/series.hpp"

#include "collections/dataframe/aggregation.hpp"
#include "collections/dataframe/csv_spec.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {

Series::Series(DataFrame frame, Value expr, std::string name)
    : frame_(std::move(frame)), expr_(std::move(expr)), name_(std::move(name)),
      type_(expr::result_type(expr_, frame_.schema())) {}

Series Series::rename(const std::string& name) const { return Series(frame_, expr_, name); }

DataFrame Series::to_frame() const {
  // The group keys of a group-by result, else the index, lead the values.
  std::vector<std::string> leading = frame_.group_keys();
  const auto& index = frame_.index();
  if (leading.empty() && index) leading.push_back(*index);
  Schema schema;
  ValueList lead;
  for (const auto& k : leading) {
    if (k == name_) continue;
    schema.push_back({k, type_of(frame_.schema(), k)});
    lead.emplace_back(k);
  }
  schema.push_back({name_, type_});
  bool keep_index = index && *index != name_;
  return frame_.partitionwise("series", "dataframe.series", {expr_, Value(name_), Value(lead)}, schema,
                              keep_index ? index : std::nullopt);
}

Series Series::apply_op(const std::string& op, const Value& other_expr) const {
  ValueList operands{expr_};
  if (!other_expr.is_none()) operands.push_back(other_expr);
  return Series(frame_, expr::op(op, std::move(operands)), name_);
}

Series Series::apply_op(const std::string& op, const Series& other) const {
  if (other.frame_.name() != frame_.name())
    throw ValueError("dataframe: cannot combine Series of different DataFrames ('" + frame_.name() + "' and '" +
                     other.frame_.name() + "'); build both from the same frame");
  return apply_op(op, other.expr_);
}

Series Series::isna() const { return apply_op("isna"); }
Series Series::notna() const { return apply_op("notna"); }
Series Series::abs() const { return apply_op("abs"); }
Series Series::fillna(const Value& value) const {
  return Series(frame_, expr::op("fillna", {expr_, value}), name_);
}
Series Series::astype(const std::string& dtype) const {
  return Series(frame_, expr::op("astype", {expr_, Value(static_cast<std::int64_t>(parse_column_type(dtype)))}), name_);
}

Series::StrAccessor Series::str() const {
  if (type_ != ColumnType::string)
    throw TypeError("dataframe: .str needs a string Series, '" + name_ + "' is " + std::string(column_type_name(type_)));
  return StrAccessor(*this);
}
Series::DtAccessor Series::dt() const {
  if (type_ != ColumnType::timestamp)
    throw TypeError("dataframe: .dt needs a datetime64[ns] Series, '" + name_ + "' is " +
                    std::string(column_type_name(type_)));
  return DtAccessor(*this);
}

Series Series::StrAccessor::lower() const { return s_.apply_op("str_lower"); }
Series Series::StrAccessor::upper() const { return s_.apply_op("str_upper"); }
Series Series::StrAccessor::len() const { return s_.apply_op("str_len"); }
Series Series::StrAccessor::contains(const std::string& p) const {
  return Series(s_.frame(), expr::op("str_contains", {s_.expr(), Value(p)}), s_.name());
}
Series Series::StrAccessor::startswith(const std::string& p) const {
  return Series(s_.frame(), expr::op("str_startswith", {s_.expr(), Value(p)}), s_.name());
}
Series Series::StrAccessor::endswith(const std::string& p) const {
  return Series(s_.frame(), expr::op("str_endswith", {s_.expr(), Value(p)}), s_.name());
}
Series Series::DtAccessor::year() const { return s_.apply_op("dt_year"); }
Series Series::DtAccessor::month() const { return s_.apply_op("dt_month"); }
Series Series::DtAccessor::day() const { return s_.apply_op("dt_day"); }
Series Series::DtAccessor::hour() const { return s_.apply_op("dt_hour"); }
Series Series::DtAccessor::minute() const { return s_.apply_op("dt_minute"); }
Series Series::DtAccessor::second() const { return s_.apply_op("dt_second"); }
Series Series::DtAccessor::dayofweek() const { return s_.apply_op("dt_dayofweek"); }

// ---- reductions: one group, the series' expression as the input ----
namespace {
Scalar reduce(const Series& s, const std::string& func, std::int64_t ddof, std::size_t split_every) {
  (void)aggregation_type(func, s.dtype());  // a TypeError now, not at compute time
  std::vector<AggSpec> aggs{{s.name(), s.expr(), func, ddof}};
  return s.frame().aggregate_scalar(func, {}, aggs_to_value(aggs), 1, split_every);
}

// The series as a frame whose column `name()` can be a group key.
DataFrame keyable(const Series& s) {
  if (expr::column_name(s.expr()) == s.name()) return s.frame();
  return s.to_frame();
}
}  // namespace

Scalar Series::sum(std::size_t se) const { return reduce(*this, "sum", 1, se); }
Scalar Series::mean(std::size_t se) const { return reduce(*this, "mean", 1, se); }
Scalar Series::count(std::size_t se) const { return reduce(*this, "count", 1, se); }
Scalar Series::min(std::size_t se) const { return reduce(*this, "min", 1, se); }
Scalar Series::max(std::size_t se) const { return reduce(*this, "max", 1, se); }
Scalar Series::std(std::int64_t ddof, std::size_t se) const { return reduce(*this, "std", ddof, se); }
Scalar Series::var(std::int64_t ddof, std::size_t se) const { return reduce(*this, "var", ddof, se); }

Scalar Series::nunique(std::size_t se) const {
  std::vector<AggSpec> aggs{{"__size", expr::lit(Value(0)), "size", 1}};
  return keyable(*this).aggregate_scalar("nunique", {name_}, aggs_to_value(aggs), 2, se);
}

Series Series::value_counts(std::size_t se) const {
  std::vector<AggSpec> aggs{{"count", expr::lit(Value(0)), "size", 1}};
  Schema schema{{name_, type_}, {"count", ColumnType::int64}};
  DataFrame counts = keyable(*this).aggregate("value_counts", {name_}, aggs_to_value(aggs),
                                              static_cast<std::int64_t>(GroupOrder::by_count_desc), schema, name_, se);
  return counts["count"];
}

Table Series::compute(const ComputeOptions& options) const { return to_frame().compute(options); }
Table Series::head(std::int64_t n, const ComputeOptions& options) const { return to_frame().head(n, options); }

// ---- operators ----
#define TESSERA_SERIES_BINARY(OP, NAME)                                                                  \
  Series operator OP(const Series& a, const Series& b) { return a.apply_op(#NAME, b); }                  \
  Series operator OP(const Series& a, const Value& b) { return a.apply_op(#NAME, expr::lit(b)); }        \
  Series operator OP(const Value& a, const Series& b) {                                                  \
    return Series(b.frame(), expr::op(#NAME, {expr::lit(a), b.expr()}), b.name());                       \
  }
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

Series floordiv(const Series& a, const Series& b) { return a.apply_op("floordiv", b); }
Series floordiv(const Series& a, const Value& b) { return a.apply_op("floordiv", expr::lit(b)); }
Series operator-(const Series& a) { return a.apply_op("neg"); }
Series operator~(const Series& a) { return a.apply_op("not"); }

}  // namespace tessera::dataframe

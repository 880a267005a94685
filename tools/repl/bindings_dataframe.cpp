// `dataframe` (alias `dd`): dask.dataframe's verbs over tessera::dataframe.
#include "collections/dataframe/lambda_apply.hpp"
#include "collections/dataframe/read_csv.hpp"
#include "tools/repl/collection_objects.hpp"

namespace tessera::repl {
namespace {

namespace dd = tessera::dataframe;

RValue wrap(dd::DataFrame d) { return RValue(std::make_shared<DataFrameObject>(std::move(d))); }
RValue wrap(dd::Series s) { return RValue(std::make_shared<SeriesObject>(std::move(s))); }
RValue wrap(dd::Scalar s) { return RValue(std::make_shared<ScalarObject>(std::move(s))); }
RValue wrap(dd::GroupBy g) { return RValue(std::make_shared<GroupByObject>(std::move(g))); }

const dd::DataFrame& df_of(const RValue& v) { return v.as<DataFrameObject>()->df; }
const dd::Series& series_of(const RValue& v) { return v.as<SeriesObject>()->s; }

std::vector<std::pair<std::string, std::string>> pairs_of(const Bound& a, const std::string& name) {
  const auto& v = a.value(name);
  if (v.kind() != ValueKind::dict) a.type_error(name, "a dict of str to str");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, x] : v.as_dict()) {
    if (x.kind() != ValueKind::string) a.type_error(name, "a dict of str to str");
    out.emplace_back(k, x.as_string());
  }
  return out;
}

/// groupby's `by`: a column name, a list of names, or a Series of the frame (its name).
std::vector<std::string> keys_of(const Bound& a) {
  const auto& by = a["by"];
  if (auto* s = by.as<SeriesObject>()) return {s->s.name()};
  if (auto* l = by.as<ListObject>()) {
    std::vector<std::string> out;
    for (const auto& x : l->items) {
      if (auto* s = x.as<SeriesObject>()) out.push_back(s->s.name());
      else out.push_back(plain(x, "a groupby key").as_string());
    }
    return out;
  }
  return a.strings("by");
}

/// A lambda argument, compiled: TypeError naming the verb otherwise.
Value lambda_tree(Interpreter& in, const Bound& a, const std::string& name, std::size_t params) {
  auto* l = a[name].as<LambdaObject>();
  if (!l) a.type_error(name, "a lambda (it runs on the workers)");
  if (l->params().size() != params)
    throw TypeError(a.function() + ": the lambda must take " + std::to_string(params) + " argument, not " +
                    std::to_string(l->params().size()));
  return in.compile_lambda(*l);
}

/// Dask's meta for a series: None (inferred), a dtype ('float64', 'f8'), or (name, dtype).
std::pair<std::optional<std::string>, std::optional<ColumnType>> meta_of(const Bound& a) {
  if (!a.given("meta")) return {};
  const Value& m = a.value("meta");
  if (m.kind() == ValueKind::string) return {std::nullopt, dd::meta_dtype(m.as_string())};
  if (m.kind() == ValueKind::list && m.as_list().size() == 2 && m.as_list()[0].kind() == ValueKind::string &&
      m.as_list()[1].kind() == ValueKind::string)
    return {m.as_list()[0].as_string(), dd::meta_dtype(m.as_list()[1].as_string())};
  a.type_error("meta", "a dtype ('float64') or a (name, dtype) tuple");
}

TypeInfo make_dataframe_type() {
  TypeInfo t{"dask.dataframe.DataFrame", "a partitioned table (lazy; .compute() gives a pandas-like table)", {}};
  add_graph_methods(
      t, [](const RValue& v) { return std::make_pair(df_of(v).layer(), df_of(v).keys()); },
      [](const RValue& v, LayerPtr layer) -> RValue {
        const auto& d = df_of(v);
        return wrap(dd::DataFrame(d.name(), std::move(layer), d.npartitions(), d.schema(), d.index()));
      });
  t.add(Method("columns", "the column names", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    ValueList out;
    for (const auto& c : df_of(s).columns()) out.emplace_back(c);
    return Value(std::move(out));
  }, true));
  t.add(Method("dtypes", "the column types, as pandas names them", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    ValueDict out;
    for (const auto& c : df_of(s).schema()) out[c.name] = Value(std::string(column_type_name(c.type)));
    return Value(std::move(out));
  }, true));
  t.add(Method("npartitions", "the number of partitions", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(df_of(s).npartitions());
  }, true));
  t.add(Method("head(n=5)", "the first n rows (computes the first partitions only)",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue { return Value(df_of(s).head(a.integer("n"))); }));
  t.add(Method("assign(**columns)", "new or replaced columns: assign(z=df.x + df.y)",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue {
                 std::vector<std::pair<std::string, dd::Series>> cols;
                 for (const auto& [k, v] : a.extra_keywords()) {
                   auto* se = v.as<SeriesObject>();
                   if (!se) throw TypeError("assign(" + k + "=...): the value must be a Series of this frame, not " + type_name(v));
                   cols.emplace_back(k, se->s);
                 }
                 return wrap(df_of(s).assign(cols));
               }));
  t.add(Method("rename(columns)", "columns renamed: rename(columns={'a': 'b'})", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(df_of(s).rename(pairs_of(a, "columns")));
  }));
  t.add(Method("drop(columns)", "without those columns", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(df_of(s).drop(a.strings("columns")));
  }));
  t.add(Method("astype(dtype)", "columns converted: astype({'x': 'float64'})", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(df_of(s).astype(pairs_of(a, "dtype")));
  }));
  t.add(Method("fillna(value)", "nulls replaced by value", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(df_of(s).fillna(a.value("value")));
  }));
  t.add(Method("dropna(subset=None)", "rows without nulls (in subset)", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(df_of(s).dropna(a.given("subset") ? a.strings("subset") : std::vector<std::string>{}));
  }));
  t.add(Method("isna()", "true where a value is null", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return wrap(df_of(s).isna());
  }));
  t.add(Method("apply(func, axis=0, meta=None)",
               "func(row) for each row (axis=1; row is a dict of the columns): a Series of this frame, so "
               "assign(z=df.apply(...)) works; the lambda runs on the workers; meta: dtype or (name, dtype)",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 if (a.integer("axis") != 1)
                   throw ValueError("NotImplementedError: apply: only axis=1 (one call per row) is supported, as in "
                                    "dask.dataframe; for columns use the column's methods or map");
                 Value tree = lambda_tree(in, a, "func", 1);
                 auto [name, dtype] = meta_of(a);
                 return wrap(dd::apply_rows(df_of(s), tree, dtype, name.value_or("apply")));
               }));
  t.add(Method("groupby(by)", "groups by a column (name, list of names, or df.column)",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue { return wrap(df_of(s).groupby(keys_of(a))); }));
  struct R {
    const char* name;
    dd::DataFrame (dd::DataFrame::*fn)() const;
  };
  for (R r : {R{"sum", &dd::DataFrame::sum}, R{"mean", &dd::DataFrame::mean}, R{"count", &dd::DataFrame::count},
              R{"min", &dd::DataFrame::min}, R{"max", &dd::DataFrame::max}}) {
    std::string n = r.name;
    t.add(Method(n + "()", "the " + n + " of each column", [r](Interpreter&, const RValue& s, Bound&) -> RValue {
      return wrap((df_of(s).*r.fn)());
    }));
  }
  t.add(Method("std(ddof=1)", "the standard deviation of each column", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(df_of(s).std(a.integer("ddof")));
  }));
  t.add(Method("var(ddof=1)", "the variance of each column", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(df_of(s).var(a.integer("ddof")));
  }));
  return t;
}

void add_series_reductions(TypeInfo& t) {
  struct R {
    const char* name;
    dd::Scalar (dd::Series::*fn)(std::size_t) const;
  };
  for (R r : {R{"sum", &dd::Series::sum}, R{"mean", &dd::Series::mean}, R{"count", &dd::Series::count},
              R{"min", &dd::Series::min}, R{"max", &dd::Series::max}, R{"nunique", &dd::Series::nunique}}) {
    std::string n = r.name;
    t.add(Method(n + "(split_every=8)", "the " + n + " (a Scalar)", [r](Interpreter&, const RValue& s, Bound& a) -> RValue {
      return wrap((series_of(s).*r.fn)(static_cast<std::size_t>(a.integer("split_every"))));
    }));
  }
  t.add(Method("std(ddof=1, split_every=8)", "the standard deviation (a Scalar)", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(series_of(s).std(a.integer("ddof"), static_cast<std::size_t>(a.integer("split_every"))));
  }));
  t.add(Method("var(ddof=1, split_every=8)", "the variance (a Scalar)", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(series_of(s).var(a.integer("ddof"), static_cast<std::size_t>(a.integer("split_every"))));
  }));
  t.add(Method("value_counts(split_every=8)", "how often each value occurs", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(series_of(s).value_counts(static_cast<std::size_t>(a.integer("split_every"))));
  }));
}

TypeInfo make_series_type() {
  TypeInfo t{"dask.dataframe.Series", "one column of a DataFrame, or an expression of columns (lazy)", {}};
  add_graph_methods(
      t, [](const RValue& v) {
        auto f = series_of(v).to_frame();
        return std::make_pair(f.layer(), f.keys());
      },
      nullptr);
  t.add(Method("name", "the series' name", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(series_of(s).name());
  }, true));
  t.add(Method("dtype", "the element type", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(std::string(column_type_name(series_of(s).dtype())));
  }, true));
  t.add(Method("npartitions", "the number of partitions", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(series_of(s).npartitions());
  }, true));
  t.add(Method("head(n=5)", "the first n values", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return Value(series_of(s).head(a.integer("n")));
  }));
  t.add(Method("isna()", "true where null", [](Interpreter&, const RValue& s, Bound&) -> RValue { return wrap(series_of(s).isna()); }));
  t.add(Method("notna()", "true where not null", [](Interpreter&, const RValue& s, Bound&) -> RValue { return wrap(series_of(s).notna()); }));
  t.add(Method("abs()", "absolute values", [](Interpreter&, const RValue& s, Bound&) -> RValue { return wrap(series_of(s).abs()); }));
  t.add(Method("fillna(value)", "nulls replaced", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(series_of(s).fillna(a.value("value")));
  }));
  t.add(Method("astype(dtype)", "converted to dtype", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(series_of(s).astype(a.string("dtype")));
  }));
  t.add(Method("rename(name)", "renamed", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(series_of(s).rename(a.string("name")));
  }));
  t.add(Method("map(arg, meta=None)",
               "arg(value) for each value (a lambda; it runs on the workers; None reads and writes a null); "
               "meta: dtype or (name, dtype), else inferred from a sample value",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 Value tree = lambda_tree(in, a, "arg", 1);
                 auto [name, dtype] = meta_of(a);
                 auto out = dd::map_values(series_of(s), tree, dtype);
                 return wrap(name ? out.rename(*name) : out);
               }));
  t.add(Method("to_frame()", "a one-column DataFrame", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return wrap(series_of(s).to_frame());
  }));
  t.add(Method("str", "string methods: lower(), upper(), len(), contains(pat), startswith(s), endswith(s)",
               [](Interpreter&, const RValue& s, Bound&) -> RValue {
                 return RValue(std::make_shared<AccessorObject>(series_of(s), false));
               }, true));
  t.add(Method("dt", "date parts: year, month, day, hour, minute, second, dayofweek",
               [](Interpreter&, const RValue& s, Bound&) -> RValue {
                 return RValue(std::make_shared<AccessorObject>(series_of(s), true));
               }, true));
  add_series_reductions(t);
  return t;
}

TypeInfo make_scalar_type() {
  TypeInfo t{"dask.dataframe.Scalar", "one value computed from a frame or a series", {}};
  add_graph_methods(
      t,
      [](const RValue& v) {
        const auto& s = v.as<ScalarObject>()->s;
        return std::make_pair(s.layer(), std::vector<Key>{s.key()});
      },
      [](const RValue& v, LayerPtr layer) -> RValue { return wrap(dd::Scalar(v.as<ScalarObject>()->s.key(), std::move(layer))); });
  return t;
}

TypeInfo make_groupby_type() {
  TypeInfo t{"dask.dataframe.GroupBy", "a frame grouped by key columns: aggregate it (gb.sum(), gb.col.mean())", {}};
  struct R {
    const char* name;
    dd::DataFrame (dd::GroupBy::*fn)() const;
  };
  for (R r : {R{"sum", &dd::GroupBy::sum}, R{"mean", &dd::GroupBy::mean}, R{"count", &dd::GroupBy::count},
              R{"min", &dd::GroupBy::min}, R{"max", &dd::GroupBy::max}, R{"first", &dd::GroupBy::first},
              R{"last", &dd::GroupBy::last}}) {
    std::string n = r.name;
    t.add(Method(n + "()", "the " + n + " of each column per group", [r](Interpreter&, const RValue& s, Bound&) -> RValue {
      return wrap((s.as<GroupByObject>()->g.*r.fn)());
    }));
  }
  t.add(Method("std(ddof=1)", "per group", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(s.as<GroupByObject>()->g.std(a.integer("ddof")));
  }));
  t.add(Method("var(ddof=1)", "per group", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(s.as<GroupByObject>()->g.var(a.integer("ddof")));
  }));
  t.add(Method("size()", "rows per group", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return wrap(s.as<GroupByObject>()->g.size());
  }));
  t.add(Method("agg(spec)", "aggregations: {'col': 'func', ...}", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(s.as<GroupByObject>()->g.agg(pairs_of(a, "spec")));
  }));
  return t;
}

TypeInfo make_series_groupby_type() {
  TypeInfo t{"dask.dataframe.SeriesGroupBy", "one column of a grouped frame: aggregate it", {}};
  struct R {
    const char* name;
    dd::Series (dd::SeriesGroupBy::*fn)() const;
  };
  for (R r : {R{"sum", &dd::SeriesGroupBy::sum}, R{"mean", &dd::SeriesGroupBy::mean}, R{"count", &dd::SeriesGroupBy::count},
              R{"size", &dd::SeriesGroupBy::size}, R{"min", &dd::SeriesGroupBy::min}, R{"max", &dd::SeriesGroupBy::max},
              R{"first", &dd::SeriesGroupBy::first}, R{"last", &dd::SeriesGroupBy::last},
              R{"nunique", &dd::SeriesGroupBy::nunique}}) {
    std::string n = r.name;
    t.add(Method(n + "()", "the " + n + " per group", [r](Interpreter&, const RValue& s, Bound&) -> RValue {
      return wrap((s.as<SeriesGroupByObject>()->g.*r.fn)());
    }));
  }
  t.add(Method("std(ddof=1)", "per group", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(s.as<SeriesGroupByObject>()->g.std(a.integer("ddof")));
  }));
  t.add(Method("var(ddof=1)", "per group", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(s.as<SeriesGroupByObject>()->g.var(a.integer("ddof")));
  }));
  t.add(Method("agg(func)", "one aggregation by name ('sum', 'mean', ...), or a list of them",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue {
                 const auto& g = s.as<SeriesGroupByObject>()->g;
                 const auto& f = a.value("func");
                 if (f.kind() == ValueKind::string) return wrap(g.agg(f.as_string()));
                 return wrap(g.agg(a.strings("func")));
               }));
  return t;
}

TypeInfo make_accessor_type(bool dt) {
  TypeInfo t{dt ? "dask.dataframe.DatetimeAccessor" : "dask.dataframe.StringAccessor",
             dt ? "date parts of a datetime series" : "string methods of a string series", {}};
  auto acc = [](const RValue& v) -> const AccessorObject& { return *v.as<AccessorObject>(); };
  if (dt) {
    struct P {
      const char* name;
      dd::Series (dd::Series::DtAccessor::*fn)() const;
    };
    for (P p : {P{"year", &dd::Series::DtAccessor::year}, P{"month", &dd::Series::DtAccessor::month}, P{"day", &dd::Series::DtAccessor::day},
                P{"hour", &dd::Series::DtAccessor::hour}, P{"minute", &dd::Series::DtAccessor::minute},
                P{"second", &dd::Series::DtAccessor::second}, P{"dayofweek", &dd::Series::DtAccessor::dayofweek}}) {
      t.add(Method(p.name, std::string("the ") + p.name, [p, acc](Interpreter&, const RValue& s, Bound&) -> RValue {
        return wrap((acc(s).s.dt().*p.fn)());
      }, true));
    }
    return t;
  }
  t.add(Method("lower()", "lower case", [acc](Interpreter&, const RValue& s, Bound&) -> RValue { return wrap(acc(s).s.str().lower()); }));
  t.add(Method("upper()", "upper case", [acc](Interpreter&, const RValue& s, Bound&) -> RValue { return wrap(acc(s).s.str().upper()); }));
  t.add(Method("len()", "lengths", [acc](Interpreter&, const RValue& s, Bound&) -> RValue { return wrap(acc(s).s.str().len()); }));
  t.add(Method("contains(pat)", "true where pat occurs", [acc](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(acc(s).s.str().contains(a.string("pat")));
  }));
  t.add(Method("startswith(prefix)", "true where it starts with prefix", [acc](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(acc(s).s.str().startswith(a.string("prefix")));
  }));
  t.add(Method("endswith(suffix)", "true where it ends with suffix", [acc](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap(acc(s).s.str().endswith(a.string("suffix")));
  }));
  return t;
}

std::optional<RValue> series_binary(const dd::Series& s, const std::string& op, const RValue& other, bool reflected) {
  using F = dd::Series (*)(const dd::Series&, const dd::Series&);
  using FV = dd::Series (*)(const dd::Series&, const Value&);
  using VF = dd::Series (*)(const Value&, const dd::Series&);
  struct Ops {
    F ss;
    FV sv;
    VF vs;
  };
#define TESSERA_REPL_OP(sym) Ops{[](const dd::Series& a, const dd::Series& b) { return a sym b; }, \
                                 [](const dd::Series& a, const Value& b) { return a sym b; },      \
                                 [](const Value& a, const dd::Series& b) { return a sym b; }}
  static const std::map<std::string, Ops> ops = {
      {"+", TESSERA_REPL_OP(+)},   {"-", TESSERA_REPL_OP(-)},  {"*", TESSERA_REPL_OP(*)},   {"/", TESSERA_REPL_OP(/)},
      {"%", TESSERA_REPL_OP(%)},   {"==", TESSERA_REPL_OP(==)}, {"!=", TESSERA_REPL_OP(!=)}, {"<", TESSERA_REPL_OP(<)},
      {"<=", TESSERA_REPL_OP(<=)}, {">", TESSERA_REPL_OP(>)},  {">=", TESSERA_REPL_OP(>=)}, {"&", TESSERA_REPL_OP(&)},
      {"|", TESSERA_REPL_OP(|)},   {"^", TESSERA_REPL_OP(^)}};
#undef TESSERA_REPL_OP
  if (op == "//") {
    if (auto* o = other.as<SeriesObject>()) {
      if (reflected) return wrap(dd::floordiv(o->s, s));
      return wrap(dd::floordiv(s, o->s));
    }
    if (!other.obj && !reflected) return wrap(dd::floordiv(s, other.value));
    return std::nullopt;
  }
  auto it = ops.find(op);
  if (it == ops.end()) return std::nullopt;
  if (auto* o = other.as<SeriesObject>()) return wrap(reflected ? it->second.ss(o->s, s) : it->second.ss(s, o->s));
  if (other.obj) return std::nullopt;
  return wrap(reflected ? it->second.vs(other.value, s) : it->second.sv(s, other.value));
}

}  // namespace

const TypeInfo& dataframe_type() {
  static const TypeInfo t = make_dataframe_type();
  return t;
}
const TypeInfo& series_type() {
  static const TypeInfo t = make_series_type();
  return t;
}
const TypeInfo& scalar_type() {
  static const TypeInfo t = make_scalar_type();
  return t;
}
const TypeInfo& groupby_type() {
  static const TypeInfo t = make_groupby_type();
  return t;
}
const TypeInfo& series_groupby_type() {
  static const TypeInfo t = make_series_groupby_type();
  return t;
}
const TypeInfo& str_accessor_type() {
  static const TypeInfo t = make_accessor_type(false);
  return t;
}
const TypeInfo& dt_accessor_type() {
  static const TypeInfo t = make_accessor_type(true);
  return t;
}

std::string DataFrameObject::repr() const { return df.repr(); }

std::optional<RValue> DataFrameObject::attribute(const std::string& name) const {
  for (const auto& c : df.columns())
    if (c == name) return wrap(df[name]);
  return std::nullopt;
}

std::vector<std::string> DataFrameObject::attribute_names() const { return df.columns(); }

std::optional<RValue> DataFrameObject::getitem(Interpreter&, const Subscript& s) const {
  if (s.tuple || s.items[0].kind != IndexItem::Kind::value)
    throw TypeError("a DataFrame index is a column name, a list of names, or a boolean Series: df['x'], df[['x', 'y']], "
                    "df[df.x > 0]");
  const RValue& k = s.items[0].value;
  if (auto* mask = k.as<SeriesObject>()) return wrap(df[mask->s]);
  if (!k.obj && k.value.kind() == ValueKind::string) return wrap(df[k.value.as_string()]);
  if (!k.obj && k.value.kind() == ValueKind::list) {
    std::vector<std::string> cols;
    for (const auto& c : k.value.as_list()) {
      if (c.kind() != ValueKind::string) throw TypeError("df[[...]]: column names must be strings");
      cols.push_back(c.as_string());
    }
    return wrap(df[cols]);
  }
  throw TypeError("a DataFrame index is a column name, a list of names, or a boolean Series, not " + type_name(k));
}

std::string SeriesObject::repr() const {
  return "Tessera Series Structure (npartitions=" + std::to_string(s.npartitions()) + "):\nName: " + s.name() +
         ", dtype: " + std::string(column_type_name(s.dtype()));
}

std::optional<RValue> SeriesObject::binary(Interpreter&, const std::string& op, const RValue& other, bool reflected) const {
  return series_binary(s, op, other, reflected);
}

std::optional<RValue> SeriesObject::unary(Interpreter&, const std::string& op) const {
  if (op == "-") return wrap(-s);
  if (op == "~") return wrap(~s);
  return std::nullopt;
}

std::string ScalarObject::repr() const { return "dd.Scalar<" + s.key().str() + ">"; }

std::string GroupByObject::repr() const {
  std::string keys;
  for (const auto& k : g.keys()) keys += (keys.empty() ? "" : ", ") + k;
  return "<dask.dataframe.GroupBy by " + keys + ">";
}

std::optional<RValue> GroupByObject::attribute(const std::string& name) const {
  try {
    return RValue(std::make_shared<SeriesGroupByObject>(g[name], name));
  } catch (const KeyError&) {
    return std::nullopt;
  }
}

std::vector<std::string> GroupByObject::attribute_names() const { return {}; }

std::optional<RValue> GroupByObject::getitem(Interpreter&, const Subscript& s) const {
  if (s.tuple || s.items[0].kind != IndexItem::Kind::value || s.items[0].value.obj ||
      s.items[0].value.value.kind() != ValueKind::string)
    throw TypeError("a GroupBy index is one column name: gb['x']");
  const auto& name = s.items[0].value.value.as_string();
  return RValue(std::make_shared<SeriesGroupByObject>(g[name], name));
}

RValue make_dataframe_namespace(Interpreter&) {
  auto ns = std::make_shared<Namespace>("dataframe", "dask.dataframe: partitioned tables (alias dd)");
  ns->def("read_csv(urlpath, sep=',', header=True, names=None, usecols=None, dtype=None, parse_dates=None, "
          "na_values=None, blocksize=64000000)",
          "the rows of the CSV files matching a path or glob (or a list of them), blocksize bytes per partition",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            dd::ReadCsvOptions o;
            std::string sep = a.string("sep");
            if (sep.size() != 1) a.type_error("sep", "one character");
            o.sep = sep[0];
            o.header = a.boolean("header");
            if (a.given("names")) o.names = a.strings("names");
            if (a.given("usecols")) o.usecols = a.strings("usecols");
            if (a.given("dtype")) o.dtype = pairs_of(a, "dtype");
            if (a.given("parse_dates")) o.parse_dates = a.strings("parse_dates");
            if (a.given("na_values")) o.na_values = a.strings("na_values");
            o.blocksize = a.opt_integer("blocksize").value_or(0);
            const auto& p = a["urlpath"];
            if (!p.obj && p.value.kind() == ValueKind::string) return wrap(dd::read_csv(p.value.as_string(), o));
            return wrap(dd::read_csv(a.strings("urlpath"), o));
          });
  ns->def("from_dict(data, npartitions=1)", "a frame of {column: [values]} (ints, floats, bools or strings)",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            const auto& d = a.value("data");
            if (d.kind() != ValueKind::dict) a.type_error("data", "a dict of lists");
            std::vector<Column> cols;
            for (const auto& [name, v] : d.as_dict()) {
              if (v.kind() != ValueKind::list) a.type_error("data", "a dict of lists");
              const auto& xs = v.as_list();
              bool ints = true, floats = true, bools = true, strs = true;
              for (const auto& x : xs) {
                ints = ints && x.kind() == ValueKind::int64;
                floats = floats && (x.kind() == ValueKind::int64 || x.kind() == ValueKind::float64);
                bools = bools && x.kind() == ValueKind::boolean;
                strs = strs && x.kind() == ValueKind::string;
              }
              if (ints) {
                std::vector<std::int64_t> c;
                for (const auto& x : xs) c.push_back(x.as_int());
                cols.push_back(Column::from_int64(name, c));
              } else if (floats) {
                std::vector<double> c;
                for (const auto& x : xs) c.push_back(x.as_float());
                cols.push_back(Column::from_float64(name, c));
              } else if (bools) {
                std::vector<bool> c;
                for (const auto& x : xs) c.push_back(x.as_bool());
                cols.push_back(Column::from_bool(name, c));
              } else if (strs) {
                std::vector<std::string> c;
                for (const auto& x : xs) c.push_back(x.as_string());
                cols.push_back(Column::from_strings(name, c));
              } else {
                throw TypeError("from_dict: column '" + name + "' mixes types (use all ints, floats, bools or strings)");
              }
            }
            return wrap(dd::from_columns(std::move(cols), a.integer("npartitions")));
          });
  return RValue(ns);
}

}  // namespace tessera::repl

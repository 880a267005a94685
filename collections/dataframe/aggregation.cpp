#include "collections/dataframe/aggregation.hpp"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/expression.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using I64 = std::int64_t;

enum class State { sum_int, sum_float, count, size, min, max, first, last, moments };

// The state columns of one aggregation (moments takes three: n, mean, m2).
std::vector<State> states_of(const std::string& func, ColumnType in) {
  auto numeric = in == ColumnType::int64 || in == ColumnType::float64 || in == ColumnType::boolean;
  auto need_numeric = [&] {
    if (!numeric)
      throw TypeError("groupby: '" + func + "' needs a numeric column, got " + std::string(column_type_name(in)));
  };
  if (func == "sum") return need_numeric(), std::vector{in == ColumnType::float64 ? State::sum_float : State::sum_int};
  if (func == "count") return {State::count};
  if (func == "size") return {State::size};
  if (func == "mean") return need_numeric(), std::vector{State::sum_float, State::count};
  if (func == "var" || func == "std") return need_numeric(), std::vector{State::moments};
  if (func == "min") return {State::min};
  if (func == "max") return {State::max};
  if (func == "first") return {State::first};
  if (func == "last") return {State::last};
  std::string known;
  for (const auto& n : aggregation_names()) known += (known.empty() ? "" : ", ") + n;
  throw ValueError("groupby: unknown aggregation '" + func + "' (known: " + known + ")");
}

std::string state_name(std::size_t agg, std::size_t state, int part = 0) {
  return "__" + std::to_string(agg) + "_" + std::to_string(state) + (part ? "_" + std::to_string(part) : "");
}

// ---- grouping rows ----
struct Groups {
  std::vector<std::int32_t> ids;  // per row; -1: in no group
  std::vector<I64> first_row;     // per group: a row that holds its key
  I64 count() const { return static_cast<I64>(first_row.size()); }
};

template <class K, class Get>
void assign_groups(Groups& g, I64 n, const std::vector<std::uint8_t>& ok, Get get) {
  absl::flat_hash_map<K, std::int32_t> map;
  for (I64 i = 0; i < n; ++i) {
    if (!ok.empty() && !ok[static_cast<std::size_t>(i)]) { g.ids[static_cast<std::size_t>(i)] = -1; continue; }
    auto [it, inserted] = map.try_emplace(get(i), static_cast<std::int32_t>(g.first_row.size()));
    if (inserted) g.first_row.push_back(i);
    g.ids[static_cast<std::size_t>(i)] = it->second;
  }
}

void encode_key(std::string& out, const Column& c, I64 i) {
  switch (c.type) {
    case ColumnType::string: {
      auto s = c.string_at(i);
      auto len = static_cast<std::uint32_t>(s.size());
      out.append(reinterpret_cast<const char*>(&len), sizeof len).append(s);
      break;
    }
    case ColumnType::boolean: out.push_back(static_cast<char>(c.data->as<std::uint8_t>()[i])); break;
    case ColumnType::float64: {
      double d = c.data->as<double>()[i];
      if (d == 0) d = 0;  // -0.0 and 0.0 are one group
      out.append(reinterpret_cast<const char*>(&d), sizeof d);
      break;
    }
    default: out.append(reinterpret_cast<const char*>(&c.data->as<I64>()[i]), sizeof(I64));
  }
}

// `keep`: optional per-row filter (1 = keep). Rows with a null key are dropped.
Groups group_rows(const Table& t, const std::vector<std::string>& keys, const std::vector<std::uint8_t>& keep) {
  const I64 n = t.num_rows();
  Groups g;
  g.ids.assign(static_cast<std::size_t>(n), 0);
  if (keys.empty()) {  // one group, present even without rows
    for (I64 i = 0; i < n; ++i)
      if (!keep.empty() && !keep[static_cast<std::size_t>(i)]) g.ids[static_cast<std::size_t>(i)] = -1;
    g.first_row.push_back(-1);
    return g;
  }
  std::vector<const Column*> cols;
  for (const auto& k : keys) cols.push_back(&t.column(k));
  std::vector<std::uint8_t> ok = keep;
  for (const auto* c : cols) {
    if (!c->validity) continue;
    if (ok.empty()) ok.assign(static_cast<std::size_t>(n), 1);
    for (I64 i = 0; i < n; ++i)
      if (!c->is_valid(i)) ok[static_cast<std::size_t>(i)] = 0;
  }
  if (cols.size() == 1) {
    const Column& c = *cols[0];
    switch (c.type) {
      case ColumnType::string:
        assign_groups<std::string_view>(g, n, ok, [&c](I64 i) { return c.string_at(i); });
        return g;
      case ColumnType::int64:
      case ColumnType::timestamp: {
        const I64* d = c.data->as<I64>().data();
        assign_groups<I64>(g, n, ok, [d](I64 i) { return d[i]; });
        return g;
      }
      case ColumnType::boolean: {
        const std::uint8_t* d = c.data->as<std::uint8_t>().data();
        assign_groups<I64>(g, n, ok, [d](I64 i) { return static_cast<I64>(d[i]); });
        return g;
      }
      case ColumnType::float64: break;  // through the encoded path (-0.0 == 0.0)
    }
  }
  std::string buf;
  std::vector<std::string> encoded(static_cast<std::size_t>(n));
  for (I64 i = 0; i < n; ++i) {
    buf.clear();
    for (const auto* c : cols) encode_key(buf, *c, i);
    encoded[static_cast<std::size_t>(i)] = buf;
  }
  assign_groups<std::string_view>(g, n, ok, [&encoded](I64 i) { return std::string_view(encoded[static_cast<std::size_t>(i)]); });
  return g;
}

// ---- one state over one input column ----
template <class F>
void for_valid_rows(const Groups& g, const Column& v, F&& f) {
  const I64 n = v.length;
  for (I64 i = 0; i < n; ++i) {
    auto id = g.ids[static_cast<std::size_t>(i)];
    if (id >= 0 && v.is_valid(i)) f(id, i);
  }
}

double as_double(const Column& v, I64 i) {
  switch (v.type) {
    case ColumnType::float64: return v.data->as<double>()[i];
    case ColumnType::boolean: return v.data->as<std::uint8_t>()[i];
    default: return static_cast<double>(v.data->as<I64>()[i]);
  }
}
I64 as_int(const Column& v, I64 i) {
  return v.type == ColumnType::boolean ? v.data->as<std::uint8_t>()[i] : v.data->as<I64>()[i];
}

// <0, 0, >0 comparing rows i and j of one column (both valid).
int compare_rows(const Column& v, I64 i, I64 j) {
  switch (v.type) {
    case ColumnType::string: return v.string_at(i).compare(v.string_at(j));
    case ColumnType::float64: {
      double a = v.data->as<double>()[i], b = v.data->as<double>()[j];
      return a < b ? -1 : a > b ? 1 : 0;
    }
    default: {
      I64 a = as_int(v, i), b = as_int(v, j);
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
}

// int64 sums wrap around on overflow, as numpy's (signed overflow would be undefined).
inline I64 wrapping_add(I64 a, I64 b) noexcept {
  return static_cast<I64>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

Column int_column(const std::string& name, const std::vector<I64>& v) { return Column::from_int64(name, v); }

Column reduce_state(State s, const Groups& g, const Column& v, const std::string& name, bool combining) {
  const auto ng = static_cast<std::size_t>(g.count());
  switch (s) {
    case State::sum_int: {
      std::vector<I64> acc(ng, 0);
      if (v.type == ColumnType::int64 && !v.validity) {
        const I64* d = v.data->as<I64>().data();
        for (I64 i = 0; i < v.length; ++i) {
          auto id = g.ids[static_cast<std::size_t>(i)];
          if (id >= 0) acc[static_cast<std::size_t>(id)] = wrapping_add(acc[static_cast<std::size_t>(id)], d[i]);
        }
      } else {
        for_valid_rows(g, v, [&](std::int32_t id, I64 i) {
          acc[static_cast<std::size_t>(id)] = wrapping_add(acc[static_cast<std::size_t>(id)], as_int(v, i));
        });
      }
      return int_column(name, acc);
    }
    case State::sum_float: {
      std::vector<double> acc(ng, 0.0);
      if (v.type == ColumnType::float64 && !v.validity) {
        const double* d = v.data->as<double>().data();
        for (I64 i = 0; i < v.length; ++i) {
          auto id = g.ids[static_cast<std::size_t>(i)];
          if (id >= 0) acc[static_cast<std::size_t>(id)] += d[i];
        }
      } else {
        for_valid_rows(g, v, [&](std::int32_t id, I64 i) { acc[static_cast<std::size_t>(id)] += as_double(v, i); });
      }
      return Column::from_float64(name, acc);
    }
    case State::count:
    case State::size: {
      std::vector<I64> acc(ng, 0);
      if (combining) {  // partial counts are summed
        for_valid_rows(g, v, [&](std::int32_t id, I64 i) { acc[static_cast<std::size_t>(id)] += as_int(v, i); });
      } else {
        for (I64 i = 0; i < v.length; ++i) {
          auto id = g.ids[static_cast<std::size_t>(i)];
          if (id >= 0 && (s == State::size || v.is_valid(i))) ++acc[static_cast<std::size_t>(id)];
        }
      }
      return int_column(name, acc);
    }
    case State::min:
    case State::max:
    case State::first:
    case State::last: {
      std::vector<I64> best(ng, -1);
      const int sign = s == State::min ? -1 : 1;
      for_valid_rows(g, v, [&](std::int32_t id, I64 i) {
        I64& b = best[static_cast<std::size_t>(id)];
        if (b < 0 || s == State::last) b = i;
        else if ((s == State::min || s == State::max) && compare_rows(v, i, b) * sign > 0) b = i;
      });
      return renamed(take(v, best), name);
    }
    case State::moments: break;
  }
  throw ValueError("groupby: internal error (moments state reduced as one column)");
}

// Welford per group over the input, or Chan's merge over (n, mean, m2) partials.
std::vector<Column> moments(const Groups& g, const std::vector<const Column*>& in, std::size_t agg, std::size_t st,
                            bool combining) {
  const auto ng = static_cast<std::size_t>(g.count());
  std::vector<double> n(ng, 0), mean(ng, 0), m2(ng, 0);
  if (!combining) {
    for_valid_rows(g, *in[0], [&](std::int32_t id, I64 i) {
      auto k = static_cast<std::size_t>(id);
      double x = as_double(*in[0], i);
      n[k] += 1;
      double d = x - mean[k];
      mean[k] += d / n[k];
      m2[k] += d * (x - mean[k]);
    });
  } else {
    const Column &pn = *in[0], &pm = *in[1], &pq = *in[2];
    for (I64 i = 0; i < pn.length; ++i) {
      auto id = g.ids[static_cast<std::size_t>(i)];
      if (id < 0) continue;
      auto k = static_cast<std::size_t>(id);
      double nb = pn.data->as<double>()[i];
      if (nb == 0) continue;
      double mb = pm.data->as<double>()[i], qb = pq.data->as<double>()[i];
      double na = n[k], tot = na + nb, delta = mb - mean[k];
      mean[k] += delta * nb / tot;
      m2[k] += qb + delta * delta * na * nb / tot;
      n[k] = tot;
    }
  }
  return {Column::from_float64(state_name(agg, st, 0), n), Column::from_float64(state_name(agg, st, 1), mean),
          Column::from_float64(state_name(agg, st, 2), m2)};
}

std::vector<Column> key_columns(const Table& t, const std::vector<std::string>& keys, const Groups& g) {
  std::vector<Column> out;
  for (const auto& k : keys) out.push_back(take(t.column(k), g.first_row));
  return out;
}

Table partial_from(const Table& source, const Groups& g, const std::vector<std::string>& keys,
                   const std::vector<AggSpec>& aggs, bool combining) {
  std::vector<Column> cols = key_columns(source, keys, g);
  for (std::size_t a = 0; a < aggs.size(); ++a) {
    Column input;
    if (!combining && aggs[a].func == "size") {
      // size counts rows: any column of the partition gives the row count.
      if (source.num_columns() > 0) input = source.columns()[0];
      input.validity = nullptr;
      input.type = ColumnType::int64;
    } else if (!combining) {
      input = expr::evaluate(aggs[a].input, source, aggs[a].out);
    }
    auto states = states_of(aggs[a].func, combining ? ColumnType::float64 : input.type);
    if (combining && (aggs[a].func == "sum"))  // the partial tells which sum it is
      states = {source.column(state_name(a, 0)).type == ColumnType::float64 ? State::sum_float : State::sum_int};
    for (std::size_t s = 0; s < states.size(); ++s) {
      if (states[s] == State::moments) {
        std::vector<const Column*> in;
        if (combining)
          for (int p = 0; p < 3; ++p) in.push_back(&source.column(state_name(a, s, p)));
        else
          in.push_back(&input);
        for (auto& c : moments(g, in, a, s, combining)) cols.push_back(std::move(c));
      } else {
        const Column& in = combining ? source.column(state_name(a, s)) : input;
        cols.push_back(reduce_state(states[s], g, in, state_name(a, s), combining));
      }
    }
  }
  return Table(std::move(cols));
}

}  // namespace

const std::vector<std::string>& aggregation_names() {
  static const std::vector<std::string> names = {"count", "first", "last", "max", "mean", "min", "size", "std", "sum", "var"};
  return names;
}

ColumnType aggregation_type(const std::string& func, ColumnType input) {
  auto states = states_of(func, input);
  if (func == "sum") return states[0] == State::sum_float ? ColumnType::float64 : ColumnType::int64;
  if (func == "count" || func == "size") return ColumnType::int64;
  if (func == "mean" || func == "var" || func == "std") return ColumnType::float64;
  return input;
}

Value aggs_to_value(const std::vector<AggSpec>& aggs) {
  ValueList out;
  for (const auto& a : aggs) out.emplace_back(ValueList{Value(a.out), a.input, Value(a.func), Value(a.ddof)});
  return Value(std::move(out));
}

std::vector<AggSpec> aggs_from_value(const Value& v) {
  std::vector<AggSpec> out;
  for (const auto& x : v.as_list()) {
    const auto& l = x.as_list();
    out.push_back({l.at(0).as_string(), l.at(1), l.at(2).as_string(), l.at(3).as_int()});
  }
  return out;
}

Table aggregate_chunk(const Table& t, const Value& mask, const std::vector<std::string>& keys,
                      const std::vector<AggSpec>& aggs) {
  std::vector<std::uint8_t> keep;
  if (!mask.is_none()) {
    Column m = expr::evaluate(mask, t, "mask");
    if (m.type != ColumnType::boolean) throw TypeError("groupby: the filter is not a bool expression");
    keep.resize(static_cast<std::size_t>(m.length));
    const auto* d = m.data->as<std::uint8_t>().data();
    for (I64 i = 0; i < m.length; ++i) keep[static_cast<std::size_t>(i)] = d[i] && m.is_valid(i);
  }
  Groups g = group_rows(t, keys, keep);
  return partial_from(t, g, keys, aggs, false);
}

Table aggregate_combine(const std::vector<Table>& partials, const std::vector<std::string>& keys,
                        const std::vector<AggSpec>& aggs) {
  Table all = concat(partials);
  Groups g = group_rows(all, keys, {});
  return partial_from(all, g, keys, aggs, true);
}

Table aggregate_finalize(const Table& partial, const std::vector<std::string>& keys, const std::vector<AggSpec>& aggs,
                         GroupOrder order) {
  const I64 n = partial.num_rows();
  std::vector<Column> cols;
  for (const auto& k : keys) cols.push_back(partial.column(k));
  for (std::size_t a = 0; a < aggs.size(); ++a) {
    const auto& f = aggs[a].func;
    if (f == "mean") {
      const Column &s = partial.column(state_name(a, 0)), &c = partial.column(state_name(a, 1));
      ColumnBuilder b(aggs[a].out, ColumnType::float64);
      for (I64 i = 0; i < n; ++i) {
        I64 cnt = c.data->as<I64>()[i];
        if (cnt == 0) b.append_null();
        else b.append_float(s.data->as<double>()[i] / static_cast<double>(cnt));
      }
      cols.push_back(b.finish());
    } else if (f == "var" || f == "std") {
      const Column &cn = partial.column(state_name(a, 0, 0)), &m2 = partial.column(state_name(a, 0, 2));
      ColumnBuilder b(aggs[a].out, ColumnType::float64);
      for (I64 i = 0; i < n; ++i) {
        double d = cn.data->as<double>()[i] - static_cast<double>(aggs[a].ddof);
        if (d <= 0) { b.append_null(); continue; }
        double var = m2.data->as<double>()[i] / d;
        b.append_float(f == "std" ? std::sqrt(var) : var);
      }
      cols.push_back(b.finish());
    } else {
      cols.push_back(renamed(partial.column(state_name(a, 0)), aggs[a].out));
    }
  }
  std::vector<I64> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), 0);
  std::vector<const Column*> key_cols;
  for (std::size_t k = 0; k < keys.size(); ++k) key_cols.push_back(&cols[k]);
  auto by_key = [&](I64 i, I64 j) {
    for (const auto* c : key_cols)
      if (int r = compare_rows(*c, i, j); r != 0) return r < 0;
    return false;
  };
  if (order == GroupOrder::by_count_desc && cols.size() > keys.size()) {
    const Column& cnt = cols[keys.size()];
    std::stable_sort(rows.begin(), rows.end(), [&](I64 i, I64 j) {
      I64 a = as_int(cnt, i), b = as_int(cnt, j);
      return a != b ? a > b : by_key(i, j);
    });
  } else {
    std::stable_sort(rows.begin(), rows.end(), by_key);
  }
  Table out(std::move(cols), keys.size() == 1 ? std::optional<std::string>(keys[0]) : std::nullopt);
  return take(out, rows);
}

}  // namespace tessera::dataframe

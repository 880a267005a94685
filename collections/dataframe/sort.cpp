// Sorting, duplicates and samples of one table (shuffle.hpp): the
// partition-local halves of sort_values, set_index, drop_duplicates and
// quantile.
#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/shuffle.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using I64 = std::int64_t;

// A null, or a float NaN, sorts as missing.
bool missing(const Column& c, I64 i) {
  if (!c.is_valid(i)) return true;
  return c.type == ColumnType::float64 && std::isnan(c.data->as<double>()[i]);
}

// <0, 0, >0 for two present values of columns of one type.
int compare_values(const Column& a, I64 i, const Column& b, I64 j) {
  switch (a.type) {
    case ColumnType::string: {
      int r = a.string_at(i).compare(b.string_at(j));
      return r < 0 ? -1 : r > 0 ? 1 : 0;
    }
    case ColumnType::float64: {
      double x = a.data->as<double>()[i], y = b.data->as<double>()[j];
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case ColumnType::boolean: {
      int x = a.data->as<std::uint8_t>()[i] != 0, y = b.data->as<std::uint8_t>()[j] != 0;
      return x - y;
    }
    default: {
      I64 x = a.data->as<I64>()[i], y = b.data->as<I64>()[j];
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

double numeric_at(const Column& c, I64 i) {
  switch (c.type) {
    case ColumnType::float64: return c.data->as<double>()[i];
    case ColumnType::boolean: return c.data->as<std::uint8_t>()[i] != 0 ? 1.0 : 0.0;
    default: return static_cast<double>(c.data->as<I64>()[i]);
  }
}

// The rows of the merged samples, sorted by value.
struct Merged {
  Table all;
  std::vector<I64> order;
  double total = 0;
};

Merged merge_samples(const std::vector<Table>& samples) {
  if (samples.empty()) throw ValueError("quantiles: no samples");
  Merged m{concat(samples), {}, 0};
  const Column& v = m.all.column("v");
  m.order.resize(static_cast<std::size_t>(v.length));
  std::iota(m.order.begin(), m.order.end(), 0);
  std::stable_sort(m.order.begin(), m.order.end(), [&](I64 i, I64 j) { return compare_values(v, i, v, j) < 0; });
  const auto w = m.all.column("w").data->as<double>();
  for (I64 i = 0; i < v.length; ++i) m.total += w[i];
  return m;
}

}  // namespace

Table sort_table(const Table& t, const std::vector<std::string>& by, const std::vector<bool>& ascending) {
  if (!ascending.empty() && ascending.size() != 1 && ascending.size() != by.size())
    throw ValueError("sort_values: " + std::to_string(ascending.size()) + " ascending flags for " +
                     std::to_string(by.size()) + " columns");
  std::vector<const Column*> cols;
  std::vector<int> sign;
  for (std::size_t k = 0; k < by.size(); ++k) {
    cols.push_back(&t.column(by[k]));
    bool asc = ascending.empty() ? true : ascending.size() == 1 ? ascending[0] : ascending[k];
    sign.push_back(asc ? 1 : -1);
  }
  std::vector<I64> rows(static_cast<std::size_t>(t.num_rows()));
  std::iota(rows.begin(), rows.end(), 0);
  std::stable_sort(rows.begin(), rows.end(), [&](I64 i, I64 j) {
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const Column& c = *cols[k];
      bool mi = missing(c, i), mj = missing(c, j);
      if (mi || mj) {
        if (mi && mj) continue;
        return mj;  // missing values last, whatever the direction
      }
      if (int r = compare_values(c, i, c, j); r != 0) return r * sign[k] < 0;
    }
    return false;
  });
  return take(t, rows);
}

Table drop_duplicate_rows(const Table& t, const std::vector<std::string>& subset, const std::string& keep) {
  if (keep != "first" && keep != "last" && keep != "none")
    throw ValueError("drop_duplicates: keep must be \"first\", \"last\" or \"none\", got \"" + keep + "\"");
  std::vector<std::string> cols = subset;
  if (cols.empty())
    for (const auto& c : t.columns()) cols.push_back(c.name);
  auto keys = encode_rows(t, cols);
  const I64 n = t.num_rows();
  std::vector<I64> rows;
  if (keep == "none") {
    absl::flat_hash_map<std::string_view, I64> count;
    for (const auto& k : keys) ++count[k];
    for (I64 i = 0; i < n; ++i)
      if (count[keys[static_cast<std::size_t>(i)]] == 1) rows.push_back(i);
  } else {
    absl::flat_hash_set<std::string_view> seen;
    if (keep == "first") {
      for (I64 i = 0; i < n; ++i)
        if (seen.insert(keys[static_cast<std::size_t>(i)]).second) rows.push_back(i);
    } else {
      for (I64 i = n - 1; i >= 0; --i)
        if (seen.insert(keys[static_cast<std::size_t>(i)]).second) rows.push_back(i);
      std::reverse(rows.begin(), rows.end());
    }
  }
  if (static_cast<I64>(rows.size()) == n) return t;
  return take(t, rows);
}

Table sample_points(const Table& t, const std::string& column, std::int64_t k) {
  if (k < 2) throw ValueError("sample_points: k must be at least 2");
  const Column& c = t.column(column);
  std::vector<I64> present;
  for (I64 i = 0; i < c.length; ++i)
    if (!missing(c, i)) present.push_back(i);
  std::stable_sort(present.begin(), present.end(), [&](I64 i, I64 j) { return compare_values(c, i, c, j) < 0; });
  const auto count = static_cast<I64>(present.size());
  std::vector<I64> rows;
  std::vector<double> weights;
  if (count <= k) {
    rows = present;
    weights.assign(present.size(), 1.0);
  } else {
    for (I64 m = 0; m < k; ++m) {
      auto pos = static_cast<std::size_t>(std::llround(static_cast<double>(m) * static_cast<double>(count - 1) /
                                                       static_cast<double>(k - 1)));
      rows.push_back(present[pos]);
      weights.push_back(static_cast<double>(count) / static_cast<double>(k));
    }
  }
  return Table({renamed(take(c, rows), "v"), Column::from_float64("w", weights)});
}

Table split_points(const std::vector<Table>& samples, std::int64_t n) {
  Merged m = merge_samples(samples);
  const Column& v = m.all.column("v");
  std::vector<I64> picked;
  if (!m.order.empty()) {
    const auto w = m.all.column("w").data->as<double>();
    double cum = 0;
    std::size_t at = 0;
    for (std::int64_t j = 1; j < n; ++j) {
      const double target = static_cast<double>(j) * m.total / static_cast<double>(n);
      while (at + 1 < m.order.size() && cum + w[m.order[at]] < target) cum += w[m.order[at++]];
      picked.push_back(m.order[at]);
    }
  }
  return Table({take(v, picked)});
}

Table division_points(const std::vector<Table>& samples, std::int64_t n) {
  Merged m = merge_samples(samples);
  const Column& v = m.all.column("v");
  if (m.order.empty()) return Table({take(v, std::vector<I64>{})});
  // The samples keep every partition's min and max: min, the cut points, max.
  Column cuts = split_points(samples, n).columns()[0];
  Column ends = take(v, std::vector<I64>{m.order.front(), m.order.back()});
  Column first = slice(ends, 0, 1), last = slice(ends, 1, 2);
  Column all = concat(std::vector<const Column*>{&first, &cuts, &last}, "v");
  std::vector<I64> kept{0};
  for (I64 i = 1; i < all.length; ++i)
    if (compare_values(all, kept.back(), all, i) != 0) kept.push_back(i);
  if (kept.size() == 1) kept.push_back(0);  // one value: divisions (v, v)
  return Table({take(all, kept)});
}

std::vector<Value> sample_quantiles(const std::vector<Table>& samples, const std::vector<double>& qs) {
  for (double q : qs)
    if (!(q >= 0 && q <= 1)) throw ValueError("quantile: q must be between 0 and 1, got " + std::to_string(q));
  Merged m = merge_samples(samples);
  const Column& v = m.all.column("v");
  if (v.type == ColumnType::string || v.type == ColumnType::timestamp)
    throw TypeError("quantile: needs a numeric column, got " + std::string(column_type_name(v.type)));
  std::vector<Value> out;
  if (m.order.empty()) {
    out.assign(qs.size(), Value());
    return out;
  }
  // Each point stands for w rows: it sits at the middle of their positions.
  const auto w = m.all.column("w").data->as<double>();
  std::vector<double> pos, val;
  double before = 0;
  for (I64 r : m.order) {
    pos.push_back(before + (w[r] - 1) / 2);
    val.push_back(numeric_at(v, r));
    before += w[r];
  }
  for (double q : qs) {
    const double target = q * (m.total - 1);
    auto it = std::upper_bound(pos.begin(), pos.end(), target);
    if (it == pos.begin()) { out.emplace_back(val.front()); continue; }
    if (it == pos.end()) { out.emplace_back(val.back()); continue; }
    auto hi = static_cast<std::size_t>(it - pos.begin()), lo = hi - 1;
    double frac = (target - pos[lo]) / (pos[hi] - pos[lo]);
    out.emplace_back(val[lo] + (val[hi] - val[lo]) * frac);
  }
  return out;
}

// Used by range_split (shuffle.cpp): the number of split points <= row i's value.
std::int64_t upper_bound_row(const Column& points, const Column& c, std::int64_t i) {
  I64 lo = 0, hi = points.length;
  while (lo < hi) {
    I64 mid = (lo + hi) / 2;
    if (compare_values(points, mid, c, i) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

bool is_missing(const Column& c, std::int64_t i) { return missing(c, i); }

}  // namespace tessera::dataframe

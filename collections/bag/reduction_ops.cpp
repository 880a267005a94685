// Reduction built-ins: a chunk step per partition, a combine step over a
// list of partials (used by tree_reduce for every level), and a finalize
// step with the reduction's parameters. Registered through bag_functions.cpp.
//
// Partials: count/sum: a number; min/max: none (empty) or the extreme;
// moments (mean, var, std): [n, mean, m2]; any/all: bool; frequencies:
// a FrequencyTable partial (frequency_table.hpp); distinct: sorted unique list;
// topk: [k, key function name or none, items largest first];
// fold: [combine function name, has value, value].
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "collections/bag/bag_functions.hpp"
#include "collections/bag/frequency_table.hpp"
#include "collections/bag/value_index.hpp"
#include "collections/bag/value_order.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

using Args = std::span<const Value>;

const ValueList& one_list(const char* name, Args a) {
  if (a.size() != 1) throw TypeError(std::string(name) + ": expected 1 argument, got " + std::to_string(a.size()));
  return a[0].as_list();
}

Value add(const Value& x, const Value& y) {
  if (x.kind() == ValueKind::int64 && y.kind() == ValueKind::int64) {
    std::int64_t r;
    if (__builtin_add_overflow(x.as_int(), y.as_int(), &r)) throw ValueError("sum: int64 overflow");
    return Value(r);
  }
  auto numeric = [](const Value& v) {
    return v.kind() == ValueKind::int64 || v.kind() == ValueKind::float64 || v.kind() == ValueKind::boolean;
  };
  if (!numeric(x) || !numeric(y))
    throw TypeError("sum: cannot add " + x.repr(100) + " and " + y.repr(100));
  auto f = [](const Value& v) { return v.kind() == ValueKind::boolean ? (v.as_bool() ? 1.0 : 0.0) : v.as_float(); };
  if (x.kind() != ValueKind::float64 && y.kind() != ValueKind::float64)
    return Value(static_cast<std::int64_t>(f(x) + f(y)));
  return Value(f(x) + f(y));
}

Value count_chunk(const FunctionResolver&, Args a) {
  return Value(static_cast<std::int64_t>(one_list("bag.count_chunk", a).size()));
}

Value sum_list(const FunctionResolver&, Args a) {
  Value s(std::int64_t{0});
  for (const auto& x : one_list("bag.sum", a)) s = add(s, x);
  return s;
}

// min/max partials are [] for empty partitions, else [extreme].
template <int Sign>
Value extreme_chunk(const FunctionResolver&, Args a) {
  Value best;
  bool have = false;
  for (const auto& x : one_list("bag.min/max_chunk", a))
    if (!have || compare_values(x, best) * Sign > 0) best = x, have = true;
  return have ? ValueList{best} : ValueList{};
}

template <int Sign>
Value extreme_combine(const FunctionResolver&, Args a) {
  Value best;
  bool have = false;
  for (const auto& p : one_list("bag.min/max_combine", a))
    for (const auto& x : p.as_list())
      if (!have || compare_values(x, best) * Sign > 0) best = x, have = true;
  return have ? ValueList{best} : ValueList{};
}

// (partial, "min" | "max")
Value extreme_finalize(const FunctionResolver&, Args a) {
  const auto& p = a[0].as_list();
  if (p.empty()) throw ValueError(a[1].as_string() + "() of an empty bag");
  return p[0];
}

Value moments(std::int64_t n, double mean, double m2) { return ValueList{Value(n), Value(mean), Value(m2)}; }

Value moments_chunk(const FunctionResolver&, Args a) {
  std::int64_t n = 0;
  double mean = 0, m2 = 0;
  for (const auto& x : one_list("bag.moments_chunk", a)) {
    double v = x.kind() == ValueKind::boolean ? (x.as_bool() ? 1.0 : 0.0) : x.as_float();
    ++n;
    double d = v - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (v - mean);
  }
  return moments(n, mean, m2);
}

// Chan et al.'s pairwise update of (n, mean, m2).
Value moments_combine(const FunctionResolver&, Args a) {
  std::int64_t n = 0;
  double mean = 0, m2 = 0;
  for (const auto& p : one_list("bag.moments_combine", a)) {
    const auto& q = p.as_list();
    std::int64_t nb = q[0].as_int();
    if (nb == 0) continue;
    double mb = q[1].as_float(), m2b = q[2].as_float();
    double d = mb - mean;
    std::int64_t nn = n + nb;
    mean += d * static_cast<double>(nb) / static_cast<double>(nn);
    m2 += m2b + d * d * static_cast<double>(n) * static_cast<double>(nb) / static_cast<double>(nn);
    n = nn;
  }
  return moments(n, mean, m2);
}

Value mean_finalize(const FunctionResolver&, Args a) {
  const auto& q = a[0].as_list();
  if (q[0].as_int() == 0) throw ValueError("mean() of an empty bag");
  return q[1];
}

// (moments, ddof, sqrt)
Value var_finalize(const FunctionResolver&, Args a) {
  const auto& q = a[0].as_list();
  std::int64_t n = q[0].as_int(), ddof = a[1].as_int();
  const char* what = a[2].as_bool() ? "std" : "var";
  if (n - ddof <= 0)
    throw ValueError(std::string(what) + "(ddof=" + std::to_string(ddof) + ") needs more than " +
                     std::to_string(ddof) + " elements, the bag has " + std::to_string(n));
  double v = q[2].as_float() / static_cast<double>(n - ddof);
  return Value(a[2].as_bool() ? std::sqrt(v) : v);
}

Value any_chunk(const FunctionResolver&, Args a) {
  for (const auto& x : one_list("bag.any_chunk", a))
    if (truthy(x)) return Value(true);
  return Value(false);
}

Value all_chunk(const FunctionResolver&, Args a) {
  for (const auto& x : one_list("bag.all_chunk", a))
    if (!truthy(x)) return Value(false);
  return Value(true);
}

Value frequencies_chunk(const FunctionResolver&, Args a) {
  FrequencyTable t;
  for (const auto& x : one_list("bag.frequencies_chunk", a)) t.add(x);
  return t.to_partial();
}

Value frequencies_combine(const FunctionResolver&, Args a) {
  FrequencyTable t;
  for (const auto& p : one_list("bag.frequencies_combine", a)) t.merge(p);
  return t.to_partial();
}

// (partial, sort) -> [[value, count], ...] in first-seen order; sort=true
// orders by count, largest first, ties in first-seen order (as dask.bag).
Value frequencies_finalize(const FunctionResolver&, Args a) {
  ValueList out = FrequencyTable::pairs_of(a[0]);
  if (a[1].as_bool())
    std::stable_sort(out.begin(), out.end(), [](const Value& x, const Value& y) {
      return x.as_list()[1].as_int() > y.as_list()[1].as_int();
    });
  return Value(std::move(out));
}

// (partial, k) -> the k most frequent [value, count], as frequencies().topk(k, 1).
Value frequencies_topk(const FunctionResolver&, Args a) {
  return Value(FrequencyTable::top_pairs(a[0], a[1].as_int()));
}

// Distinct values in first-seen order (as toolz.unique, dask.bag's distinct).
Value distinct_of(const ValueList& parts, bool nested) {
  ValueIndex seen;
  bool added = false;
  for (const auto& p : parts) {
    if (!nested) {
      seen.insert(p, added);
      continue;
    }
    for (const auto& x : p.as_list()) seen.insert(x, added);
  }
  return Value(seen.values());
}

Value distinct_chunk(const FunctionResolver&, Args a) { return distinct_of(one_list("bag.distinct_chunk", a), false); }

Value distinct_combine(const FunctionResolver&, Args a) { return distinct_of(one_list("bag.distinct_combine", a), true); }

// Keeps the k largest of `items`, largest first, stable. `key` is none (the
// items themselves), a function's spec (a name or {"expr": tree}), or [index]: item[index] (toolz's getter).
ValueList top(const FunctionResolver& r, std::int64_t k, const Value& key, ValueList items) {
  std::vector<std::pair<Value, std::size_t>> keyed;
  keyed.reserve(items.size());
  const Function* fn = key.kind() == ValueKind::string || is_expression_spec(key) ? &r.get(key) : nullptr;
  const Value* getter = key.kind() == ValueKind::list ? &key.as_list().at(0) : nullptr;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (fn) keyed.emplace_back(call_user(*fn, std::span<const Value>(&items[i], 1)), i);
    else if (getter) keyed.emplace_back(pluck_one(items[i], *getter, nullptr), i);
    else keyed.emplace_back(items[i], i);
  }
  auto n = std::min<std::size_t>(keyed.size(), static_cast<std::size_t>(std::max<std::int64_t>(k, 0)));
  auto before = [](const auto& x, const auto& y) {
    int c = compare_values(x.first, y.first);
    return c != 0 ? c > 0 : x.second < y.second;
  };
  std::partial_sort(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(n), keyed.end(), before);
  ValueList out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(items[keyed[i].second]);
  return out;
}

// (k, key: none | function name | [index], part) -> [k, key, items]
Value topk_chunk(const FunctionResolver& r, Args a) {
  return ValueList{a[0], a[1], Value(top(r, a[0].as_int(), a[1], a[2].as_list()))};
}

Value topk_combine(const FunctionResolver& r, Args a) {
  const auto& parts = one_list("bag.topk_combine", a);
  const auto& first = parts.at(0).as_list();
  ValueList all;
  for (const auto& p : parts)
    for (const auto& x : p.as_list()[2].as_list()) all.push_back(x);
  return ValueList{first[0], first[1], Value(top(r, first[0].as_int(), first[1], std::move(all)))};
}

Value topk_finalize(const FunctionResolver&, Args a) { return a[0].as_list()[2]; }

// (binop name, combine name, has initial, initial, part) -> [combine, has value, value]
Value fold_chunk(const FunctionResolver& r, Args a) {
  const Function& binop = r.get(a[0]);
  bool have = a[2].as_bool();
  Value acc = have ? a[3] : Value();
  for (const auto& x : a[4].as_list()) {
    if (!have) {
      acc = x, have = true;
      continue;
    }
    Value args[] = {acc, x};
    acc = call_user(binop, args);
  }
  return ValueList{a[1], Value(have), acc};
}

Value fold_combine(const FunctionResolver& r, Args a) {
  const auto& parts = one_list("bag.fold_combine", a);
  const Value& name = parts.at(0).as_list()[0];
  const Function& combine = r.get(name);
  bool have = false;
  Value acc;
  for (const auto& p : parts) {
    const auto& q = p.as_list();
    if (!q[1].as_bool()) continue;
    if (!have) {
      acc = q[2], have = true;
      continue;
    }
    Value args[] = {acc, q[2]};
    acc = call_user(combine, args);
  }
  return ValueList{name, Value(have), acc};
}

Value fold_finalize(const FunctionResolver&, Args a) {
  const auto& q = a[0].as_list();
  if (!q[1].as_bool()) throw ValueError("fold() of an empty bag with no initial value");
  return q[2];
}

// Concatenates partitions (for a reduction that returns a bag, or compute).
Value concat(const FunctionResolver&, Args a) {
  ValueList out;
  for (const auto& p : one_list("bag.concat", a))
    for (const auto& x : p.as_list()) out.push_back(x);
  return Value(std::move(out));
}

}  // namespace

std::vector<KernelEntry> reduction_kernels() {
  return {
      {"bag.count_chunk", count_chunk, "(part) -> len(part)"},
      {"bag.sum_chunk", sum_list, "(part) -> sum(part)"},
      {"bag.sum_combine", sum_list, "(partials) -> sum(partials)"},
      {"bag.min_chunk", extreme_chunk<-1>, "(part) -> [min] or []"},
      {"bag.max_chunk", extreme_chunk<1>, "(part) -> [max] or []"},
      {"bag.min_combine", extreme_combine<-1>, "(partials) -> [min] or []"},
      {"bag.max_combine", extreme_combine<1>, "(partials) -> [max] or []"},
      {"bag.extreme_finalize", extreme_finalize, "(partial, name) -> the value; error when empty"},
      {"bag.moments_chunk", moments_chunk, "(part) -> [n, mean, m2]"},
      {"bag.moments_combine", moments_combine, "(partials) -> [n, mean, m2]"},
      {"bag.mean_finalize", mean_finalize, "(moments) -> mean"},
      {"bag.var_finalize", var_finalize, "(moments, ddof, sqrt) -> var or std"},
      {"bag.any_chunk", any_chunk, "(part) -> any(part)"},
      {"bag.any_combine", any_chunk, "(partials) -> any(partials)"},
      {"bag.all_chunk", all_chunk, "(part) -> all(part)"},
      {"bag.all_combine", all_chunk, "(partials) -> all(partials)"},
      {"bag.frequencies_chunk", frequencies_chunk, "(part) -> [[value, count], ...]"},
      {"bag.frequencies_combine", frequencies_combine, "(partials) -> [[value, count], ...]"},
      {"bag.frequencies_finalize", frequencies_finalize, "(partial, sort) -> [[value, count], ...]"},
      {"bag.frequencies_topk", frequencies_topk, "(partial, k) -> the k most frequent [value, count]"},
      {"bag.distinct_chunk", distinct_chunk, "(part) -> distinct values, first-seen order"},
      {"bag.distinct_combine", distinct_combine, "(partials) -> distinct values, first-seen order"},
      {"bag.topk_chunk", topk_chunk, "(k, key, part) -> [k, key, k largest]"},
      {"bag.topk_combine", topk_combine, "(partials) -> [k, key, k largest]"},
      {"bag.topk_finalize", topk_finalize, "(partial) -> k largest, largest first"},
      {"bag.fold_chunk", fold_chunk, "(binop, combine, has_initial, initial, part) -> partial"},
      {"bag.fold_combine", fold_combine, "(partials) -> partial"},
      {"bag.fold_finalize", fold_finalize, "(partial) -> value"},
      {"bag.concat", concat, "(partitions) -> one list"},
  };
}

}  // namespace tessera::bag

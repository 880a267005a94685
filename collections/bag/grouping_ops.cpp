// Built-ins of foldby, groupby (by shuffle), join, product, repartition,
// user reductions and str.match. Registered through bag_functions.cpp.
//
// A key is given as a "key spec": a function name (string) or [k], meaning
// x[k] (toolz's getter, as dask.bag takes a non-callable key).
// Partials: foldby: [combine name, has combine_initial, combine_initial,
// [[key, acc], ...]]; reduction: [aggregate name, value].
#include <string>

#include "collections/bag/bag_functions.hpp"
#include "collections/bag/fnmatch.hpp"
#include "collections/bag/frequency_table.hpp"
#include "collections/bag/value_index.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

using Args = std::span<const Value>;

void want_args(const char* name, Args a, std::size_t n) {
  if (a.size() != n)
    throw TypeError(std::string(name) + ": expected " + std::to_string(n) + " arguments, got " + std::to_string(a.size()));
}

Value call2(const Function& fn, const Value& a, const Value& b) {
  Value args[] = {a, b};
  return call_user(fn, args);
}

// Accumulators by key, in first-seen key order.
struct Groups {
  ValueIndex keys;
  ValueList accs;

  ValueList pairs() const {
    ValueList out;
    out.reserve(accs.size());
    for (std::size_t i = 0; i < accs.size(); ++i) out.push_back(ValueList{keys.values()[i], accs[i]});
    return out;
  }
};

// (key spec, binop, has initial, initial, combine, has combine_initial, combine_initial, part)
Value foldby_chunk(const FunctionResolver& r, Args a) {
  want_args("bag.foldby_chunk", a, 8);
  const Function& binop = r.get(a[1]);
  Groups g;
  for (const auto& x : a[7].as_list()) {
    bool added = false;
    std::size_t i = g.keys.insert(apply_key(r, a[0], x), added);
    if (added && !a[2].as_bool()) {
      g.accs.push_back(x);
      continue;
    }
    if (added) g.accs.push_back(a[3]);
    g.accs[i] = call2(binop, g.accs[i], x);
  }
  return ValueList{a[4], a[5], a[6], Value(g.pairs())};
}

Value foldby_combine(const FunctionResolver& r, Args a) {
  want_args("bag.foldby_combine", a, 1);
  const auto& parts = a[0].as_list();
  const auto& first = parts.at(0).as_list();
  const Function& combine = r.get(first[0]);
  const bool has_initial = first[1].as_bool();
  Groups g;
  for (const auto& p : parts) {
    for (const auto& pair : p.as_list().at(3).as_list()) {
      const auto& kv = pair.as_list();
      bool added = false;
      std::size_t i = g.keys.insert(kv[0], added);
      if (added && !has_initial) {
        g.accs.push_back(kv[1]);
        continue;
      }
      if (added) g.accs.push_back(first[2]);
      g.accs[i] = call2(combine, g.accs[i], kv[1]);
    }
  }
  return ValueList{first[0], first[1], first[2], Value(g.pairs())};
}

Value foldby_finalize(const FunctionResolver&, Args a) {
  want_args("bag.foldby_finalize", a, 1);
  return a[0].as_list().at(3);
}

// (key spec, n, part) -> n lists of [key, x]: x goes to hash(key) mod n.
Value hash_partition(const FunctionResolver& r, Args a) {
  want_args("bag.hash_partition", a, 3);
  const auto n = static_cast<std::size_t>(a[1].as_int());
  std::vector<ValueList> buckets(n);
  for (const auto& x : a[2].as_list()) {
    Value k = apply_key(r, a[0], x);
    buckets[hash_value(k) % n].push_back(ValueList{k, x});
  }
  ValueList out;
  for (auto& b : buckets) out.emplace_back(std::move(b));
  return Value(std::move(out));
}

// (list, i) -> list[i]
Value getitem(const FunctionResolver&, Args a) {
  want_args("bag.getitem", a, 2);
  return a[0].as_list().at(static_cast<std::size_t>(a[1].as_int()));
}

// (pieces...) -> [[key, [x, ...]], ...]: one output partition of groupby.
Value groupby_collect(const FunctionResolver&, Args a) {
  ValueIndex keys;
  std::vector<ValueList> groups;
  for (const auto& piece : a)
    for (const auto& pair : piece.as_list()) {
      const auto& kv = pair.as_list();
      bool added = false;
      std::size_t i = keys.insert(kv[0], added);
      if (added) groups.emplace_back();
      groups[i].push_back(kv[1]);
    }
  ValueList out;
  out.reserve(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) out.push_back(ValueList{keys.values()[i], Value(std::move(groups[i]))});
  return Value(std::move(out));
}

// (other key spec, other, self key spec, part) -> [[y, x], ...] for y in
// other and x in part with equal keys: toolz.join(on_other, other, on_self, part).
Value join_partition(const FunctionResolver& r, Args a) {
  want_args("bag.join_partition", a, 4);
  ValueIndex keys;
  std::vector<std::vector<std::size_t>> matches;
  const auto& other = a[1].as_list();
  for (std::size_t j = 0; j < other.size(); ++j) {
    bool added = false;
    std::size_t i = keys.insert(apply_key(r, a[0], other[j]), added);
    if (added) matches.emplace_back();
    matches[i].push_back(j);
  }
  ValueList out;
  for (const auto& x : a[3].as_list()) {
    std::size_t i = keys.find(apply_key(r, a[2], x));
    if (i == ValueIndex::npos) continue;
    for (std::size_t j : matches[i]) out.push_back(ValueList{other[j], x});
  }
  return Value(std::move(out));
}

// (a, b) -> [[x, y] for x in a for y in b]
Value product_partition(const FunctionResolver&, Args a) {
  want_args("bag.product_partition", a, 2);
  ValueList out;
  for (const auto& x : a[0].as_list())
    for (const auto& y : a[1].as_list()) out.push_back(ValueList{x, y});
  return Value(std::move(out));
}

// (n, part) -> n near-equal pieces, as dask.bag's split().
Value split_partition(const FunctionResolver&, Args a) {
  want_args("bag.split_partition", a, 2);
  const auto& part = a[1].as_list();
  const auto n = a[0].as_int();
  const double size = static_cast<double>(part.size()) / static_cast<double>(n);
  ValueList out;
  for (std::int64_t i = 0; i < n; ++i) {
    auto b = static_cast<std::size_t>(size * static_cast<double>(i));
    auto e = i + 1 == n ? part.size() : static_cast<std::size_t>(size * static_cast<double>(i + 1));
    out.emplace_back(ValueList(part.begin() + static_cast<std::ptrdiff_t>(b), part.begin() + static_cast<std::ptrdiff_t>(e)));
  }
  return Value(std::move(out));
}

// (parts...) -> one list
Value concat_partitions(const FunctionResolver&, Args a) {
  ValueList out;
  for (const auto& p : a)
    for (const auto& x : p.as_list()) out.push_back(x);
  return Value(std::move(out));
}

// (perpartition, aggregate, part) -> [aggregate, perpartition(part)]
Value reduction_chunk(const FunctionResolver& r, Args a) {
  want_args("bag.reduction_chunk", a, 3);
  return ValueList{a[1], call_user(r.get(a[0]), a.subspan(2, 1))};
}

// (partials) -> [aggregate, aggregate([values])]
Value reduction_combine(const FunctionResolver& r, Args a) {
  want_args("bag.reduction_combine", a, 1);
  const auto& parts = a[0].as_list();
  ValueList values;
  for (const auto& p : parts) values.push_back(p.as_list().at(1));
  const Value& name = parts.at(0).as_list().at(0);
  Value arg(std::move(values));
  return ValueList{name, call_user(r.get(name), std::span<const Value>(&arg, 1))};
}

Value reduction_finalize(const FunctionResolver&, Args a) {
  want_args("bag.reduction_finalize", a, 1);
  return a[0].as_list().at(1);
}

// (s, pattern) -> fnmatch(s, pattern)
Value str_match(const FunctionResolver&, Args a) {
  want_args("bag.str_match", a, 2);
  return Value(fnmatch(a[0].as_string(), a[1].as_string()));
}

// (pattern, part) -> [s for s in part if fnmatch(s, pattern)]
Value str_match_partition(const FunctionResolver&, Args a) {
  want_args("bag.str_match_partition", a, 2);
  ValueList out;
  for (const auto& s : a[1].as_list()) {
    if (s.kind() != ValueKind::string) throw TypeError("str.match: elements must be strings, got " + s.repr(200));
    if (fnmatch(s.as_string(), a[0].as_string())) out.push_back(s);
  }
  return Value(std::move(out));
}

// (value) -> value, which must be a list (from_delayed's partitions).
Value as_partition(const FunctionResolver&, Args a) {
  want_args("bag.as_partition", a, 1);
  if (a[0].kind() != ValueKind::list)
    throw TypeError("from_delayed: each delayed value must be a list (a partition), got " + a[0].repr(200));
  return a[0];
}

}  // namespace

Value apply_key(const FunctionResolver& r, const Value& spec, const Value& x) {
  if (spec.kind() == ValueKind::list) return pluck_one(x, spec.as_list().at(0), nullptr);
  return call_user(r.get(spec), std::span<const Value>(&x, 1));
}

std::vector<KernelEntry> grouping_kernels() {
  return {
      {"bag.foldby_chunk", foldby_chunk, "(key, binop, has_initial, initial, combine, has_ci, ci, part) -> partial"},
      {"bag.foldby_combine", foldby_combine, "(partials) -> partial"},
      {"bag.foldby_finalize", foldby_finalize, "(partial) -> [[key, acc], ...]"},
      {"bag.hash_partition", hash_partition, "(key, n, part) -> n lists of [key, x] by hash(key) mod n"},
      {"bag.getitem", getitem, "(list, i) -> list[i]"},
      {"bag.groupby_collect", groupby_collect, "(pieces...) -> [[key, [x, ...]], ...]"},
      {"bag.join_partition", join_partition, "(on_other, other, on_self, part) -> [[y, x], ...]"},
      {"bag.product_partition", product_partition, "(a, b) -> [[x, y] for x in a for y in b]"},
      {"bag.split_partition", split_partition, "(n, part) -> n near-equal pieces"},
      {"bag.concat_partitions", concat_partitions, "(parts...) -> one list"},
      {"bag.reduction_chunk", reduction_chunk, "(perpartition, aggregate, part) -> partial"},
      {"bag.reduction_combine", reduction_combine, "(partials) -> partial"},
      {"bag.reduction_finalize", reduction_finalize, "(partial) -> value"},
      {"bag.str_match", str_match, "(s, pattern) -> fnmatch.fnmatchcase(s, pattern)"},
      {"bag.str_match_partition", str_match_partition, "(pattern, part) -> the strings matching pattern"},
      {"bag.as_partition", as_partition, "(value) -> value, checked to be a list"},
  };
}

}  // namespace tessera::bag

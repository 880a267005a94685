// merge / join (merge.hpp): the pandas merge of two tables, and the hash and
// broadcast join graphs over two frames.
#include "collections/dataframe/merge.hpp"

#include <absl/container/flat_hash_map.h>

#include <algorithm>

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/divisions.hpp"
#include "collections/dataframe/shuffle.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "collections/dataframe/string_lists.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using I64 = std::int64_t;

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The right-hand columns that are not shared keys, and the names that collide.
struct Naming {
  std::vector<bool> shared;              // per key pair: one name on both sides
  std::vector<std::string> left_names;   // output names of the left columns
  std::vector<std::string> right_cols;   // right columns kept (input names)
  std::vector<std::string> right_names;  // their output names
};

Naming naming(const std::vector<std::string>& left_cols, const std::vector<std::string>& right_all,
              const std::vector<std::string>& left_on, const std::vector<std::string>& right_on,
              const std::pair<std::string, std::string>& suffixes) {
  Naming n;
  std::vector<std::string> shared_names;
  for (std::size_t k = 0; k < left_on.size(); ++k) {
    n.shared.push_back(left_on[k] == right_on[k]);
    if (n.shared.back()) shared_names.push_back(right_on[k]);
  }
  for (const auto& c : right_all)
    if (!contains(shared_names, c)) n.right_cols.push_back(c);
  for (const auto& c : left_cols) {
    bool clash = !contains(shared_names, c) && contains(n.right_cols, c);
    n.left_names.push_back(clash ? c + suffixes.first : c);
  }
  for (const auto& c : n.right_cols) n.right_names.push_back(contains(left_cols, c) ? c + suffixes.second : c);
  return n;
}

// The frame is indexed by its one key column and knows its divisions.
bool same_divisions_on(const DataFrame& f, const std::vector<std::string>& on) {
  return on.size() == 1 && f.index() && *f.index() == on[0] && f.known_divisions();
}

std::vector<std::string> names_of(const Schema& s) {
  std::vector<std::string> out;
  for (const auto& c : s) out.push_back(c.name);
  return out;
}

// (how, left_on, right_on, [suffix_x, suffix_y], left, right) -> merged
Value k_merge(std::span<const Value> a) {
  if (a.size() != 6) throw TypeError("dataframe.merge: expected 6 arguments");
  const auto& sfx = a[3].as_list();
  return Value(merge_tables(a[4].as_table(), a[5].as_table(), a[0].as_string(), strings(a[1]), strings(a[2]),
                            {sfx.at(0).as_string(), sfx.at(1).as_string()}));
}

void check_how(const std::string& how) {
  if (how != "inner" && how != "left" && how != "right" && how != "outer")
    throw ValueError("merge: how must be \"inner\", \"left\", \"right\" or \"outer\", got \"" + how + "\"");
}

}  // namespace

Schema merge_schema(const Schema& left, const Schema& right, const std::vector<std::string>& left_on,
                    const std::vector<std::string>& right_on, const std::pair<std::string, std::string>& suffixes) {
  Naming n = naming(names_of(left), names_of(right), left_on, right_on, suffixes);
  Schema out;
  for (std::size_t i = 0; i < left.size(); ++i) out.push_back({n.left_names[i], left[i].type});
  for (std::size_t i = 0; i < n.right_cols.size(); ++i) out.push_back({n.right_names[i], type_of(right, n.right_cols[i])});
  return out;
}

Table merge_tables(const Table& left, const Table& right, const std::string& how,
                   const std::vector<std::string>& left_on, const std::vector<std::string>& right_on,
                   const std::pair<std::string, std::string>& suffixes) {
  check_how(how);
  if (left_on.size() != right_on.size() || left_on.empty())
    throw ValueError("merge: " + std::to_string(left_on.size()) + " left keys and " + std::to_string(right_on.size()) +
                     " right keys");
  // Build a table of the `build` side's keys, probe it with the other side's
  // rows in order (the right side probes for a right join, so its order leads).
  const bool right_probes = how == "right";
  const Table& probe = right_probes ? right : left;
  const Table& build = right_probes ? left : right;
  auto probe_keys = encode_rows(probe, right_probes ? right_on : left_on);
  auto build_keys = encode_rows(build, right_probes ? left_on : right_on);
  absl::flat_hash_map<std::string_view, std::vector<I64>> table;
  for (I64 i = 0; i < build.num_rows(); ++i) table[build_keys[static_cast<std::size_t>(i)]].push_back(i);
  const bool keep_probe = how != "inner";
  const bool keep_build = how == "outer";
  std::vector<I64> prow, brow;
  std::vector<std::uint8_t> matched(keep_build ? static_cast<std::size_t>(build.num_rows()) : 0, 0);
  for (I64 i = 0; i < probe.num_rows(); ++i) {
    auto it = table.find(probe_keys[static_cast<std::size_t>(i)]);
    if (it == table.end()) {
      if (keep_probe) prow.push_back(i), brow.push_back(-1);
      continue;
    }
    for (I64 j : it->second) {
      prow.push_back(i), brow.push_back(j);
      if (keep_build) matched[static_cast<std::size_t>(j)] = 1;
    }
  }
  if (keep_build)
    for (I64 j = 0; j < build.num_rows(); ++j)
      if (!matched[static_cast<std::size_t>(j)]) prow.push_back(-1), brow.push_back(j);
  const std::vector<I64>& lrows = right_probes ? brow : prow;
  const std::vector<I64>& rrows = right_probes ? prow : brow;

  std::vector<std::string> left_cols, right_all;
  for (const auto& c : left.columns()) left_cols.push_back(c.name);
  for (const auto& c : right.columns()) right_all.push_back(c.name);
  Naming n = naming(left_cols, right_all, left_on, right_on, suffixes);
  std::vector<Column> cols;
  for (std::size_t i = 0; i < left_cols.size(); ++i) {
    const Column& c = left.columns()[i];
    std::size_t k = 0;
    while (k < left_on.size() && !(n.shared[k] && left_on[k] == c.name)) ++k;
    if (k < left_on.size() && (how == "right" || how == "outer")) {
      // A shared key: the left value, or the right one where the left row is missing.
      const Column& r = right.column(right_on[k]);
      if (r.type != c.type)
        throw TypeError("merge: key '" + c.name + "' is " + std::string(column_type_name(c.type)) +
                        " on the left and " + std::string(column_type_name(r.type)) + " on the right");
      ColumnBuilder b(c.name, c.type);
      b.reserve(lrows.size());
      for (std::size_t row = 0; row < lrows.size(); ++row) {
        if (lrows[row] >= 0) b.append_from(c, lrows[row]);
        else b.append_from(r, rrows[row]);
      }
      cols.push_back(b.finish());
    } else {
      cols.push_back(renamed(take(c, lrows), n.left_names[i]));
    }
  }
  for (std::size_t i = 0; i < n.right_cols.size(); ++i)
    cols.push_back(renamed(take(right.column(n.right_cols[i]), rrows), n.right_names[i]));
  return Table(std::move(cols));
}

std::vector<KernelEntry> merge_kernels() {
  return {{"dataframe.merge", k_merge, "(how, left_on, right_on, suffixes, left, right) -> pandas' merge of the two"}};
}

DataFrame merge(const DataFrame& left, const DataFrame& right, const MergeOptions& o) {
  register_operation_functions();
  check_how(o.how);
  std::vector<std::string> lon = o.left_on, ron = o.right_on;
  if (!o.on.empty()) {
    if (!lon.empty() || !ron.empty()) throw ValueError("merge: give either `on` or `left_on`/`right_on`, not both");
    lon = ron = o.on;
  } else if (lon.empty() != ron.empty()) {
    throw ValueError(std::string("merge: `") + (lon.empty() ? "right_on" : "left_on") + "` given without `" +
                     (lon.empty() ? "left_on" : "right_on") + "`");
  } else if (lon.empty()) {
    for (const auto& c : left.schema())
      if (has_column(right.schema(), c.name)) lon.push_back(c.name);
    if (lon.empty())
      throw ValueError("merge: no common columns to merge on (left: " + column_list(left.schema()) +
                       "; right: " + column_list(right.schema()) + "); give `on` or `left_on`/`right_on`");
    ron = lon;
  }
  if (lon.size() != ron.size())
    throw ValueError("merge: " + std::to_string(lon.size()) + " left keys and " + std::to_string(ron.size()) +
                     " right keys; give as many of each");
  for (std::size_t k = 0; k < lon.size(); ++k) {
    if (!has_column(left.schema(), lon[k]))
      throw KeyError("merge: no column '" + lon[k] + "' in the left frame (columns: " + column_list(left.schema()) + ")");
    if (!has_column(right.schema(), ron[k]))
      throw KeyError("merge: no column '" + ron[k] + "' in the right frame (columns: " + column_list(right.schema()) + ")");
    ColumnType lt = type_of(left.schema(), lon[k]), rt = type_of(right.schema(), ron[k]);
    if (lt != rt)
      throw TypeError("merge: key '" + lon[k] + "' is " + std::string(column_type_name(lt)) + " on the left but '" +
                      ron[k] + "' is " + std::string(column_type_name(rt)) +
                      " on the right; convert one with astype() first");
  }
  Schema schema = merge_schema(left.schema(), right.schema(), lon, ron, o.suffixes);
  for (std::size_t i = 0; i < schema.size(); ++i)
    for (std::size_t j = i + 1; j < schema.size(); ++j)
      if (schema[i].name == schema[j].name)
        throw ValueError("merge: the result would have two columns named '" + schema[i].name + "'; change `suffixes`");

  // The plan: broadcast the side `how` allows to be small, or shuffle both.
  const bool left_may = o.how == "inner" || o.how == "right";
  const bool right_may = o.how == "inner" || o.how == "left";
  int small = 0;  // 0: hash join; 1: broadcast left; 2: broadcast right; 3: aligned partitions
  if (!o.broadcast.value_or(false) && same_divisions_on(left, lon) && same_divisions_on(right, ron) &&
      left.npartitions() == right.npartitions()) {
    const auto ld = left.divisions(), rd = right.divisions();
    bool same = true;
    for (std::size_t i = 0; i < ld.size() && same; ++i) same = compare_division(ld[i], rd[i]) == 0;
    if (same) small = 3;
  }
  if (small == 0 && o.broadcast.value_or(true)) {
    if (right_may && (right.npartitions() == 1 || (o.broadcast && (!left_may || right.npartitions() <= left.npartitions()))))
      small = 2;
    else if (left_may && (left.npartitions() == 1 || o.broadcast))
      small = 1;
    if (o.broadcast && *o.broadcast && small == 0)
      throw ValueError("merge: a broadcast join cannot do how=\"" + o.how + "\" (it needs every row of both sides)");
  }
  const Value how(o.how), lv(string_values(lon)), rv(string_values(ron)),
      sfx(ValueList{Value(o.suffixes.first), Value(o.suffixes.second)});
  auto fn = op_function("dataframe.merge");
  Tokenizer tok;
  tok.add(left.name()).add(right.name()).add(how).add(lv).add(rv).add(sfx).add(static_cast<std::int64_t>(small));
  std::vector<TaskSpec> tasks;
  std::vector<LayerPtr> deps;
  std::int64_t nout;
  std::string name;
  if (small == 3) {  // equal keys sit in partitions of the same number on both sides
    nout = left.npartitions();
    name = "merge-" + tok.hex();
    deps = {left.layer(), right.layer()};
    for (std::int64_t i = 0; i < nout; ++i)
      tasks.push_back(TaskSpec{Key(name, {i}), fn, {Arg(how), Arg(lv), Arg(rv), Arg(sfx), Arg(left.key(i)), Arg(right.key(i))}});
  } else if (small != 0) {
    const DataFrame& big = small == 2 ? left : right;
    const DataFrame& little = small == 2 ? right : left;
    Key whole = little.key(0);
    deps = {big.layer(), little.layer()};
    if (little.npartitions() > 1) {  // the small side in one task
      std::string cname = "merge-broadcast-" + tokenize(little.name());
      ArgList parts;
      for (const auto& k : little.keys()) parts.emplace_back(k);
      whole = Key(cname);
      deps = {big.layer(), make_layer(cname, {TaskSpec{whole, op_function("dataframe.concat"), {Arg(std::move(parts))}}},
                                      {little.layer()})};
    }
    nout = big.npartitions();
    name = "merge-" + tok.hex();
    for (std::int64_t i = 0; i < nout; ++i) {
      Arg l = small == 2 ? Arg(big.key(i)) : Arg(whole), r = small == 2 ? Arg(whole) : Arg(big.key(i));
      tasks.push_back(TaskSpec{Key(name, {i}), fn, {Arg(how), Arg(lv), Arg(rv), Arg(sfx), l, r}});
    }
  } else {
    nout = o.npartitions > 0 ? o.npartitions : std::max(left.npartitions(), right.npartitions());
    tok.add(nout);
    name = "merge-" + tok.hex();
    DataFrame ls = left.shuffle(lon, nout), rs = right.shuffle(ron, nout);
    deps = {ls.layer(), rs.layer()};
    for (std::int64_t i = 0; i < nout; ++i)
      tasks.push_back(TaskSpec{Key(name, {i}), fn, {Arg(how), Arg(lv), Arg(rv), Arg(sfx), Arg(ls.key(i)), Arg(rs.key(i))}});
  }
  return DataFrame(name, make_layer(name, std::move(tasks), std::move(deps)), nout, std::move(schema));
}

DataFrame DataFrame::merge(const DataFrame& right, const MergeOptions& options) const {
  return dataframe::merge(*this, right, options);
}

}  // namespace tessera::dataframe

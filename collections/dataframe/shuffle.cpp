// Hash and range shuffles (shuffle.hpp), and the DataFrame operations built
// on them: shuffle, sort_values, set_index, drop_duplicates.
#include "collections/dataframe/shuffle.hpp"

#include <algorithm>
#include <cstring>

#include "collections/dataframe/divisions.hpp"
#include "collections/dataframe/table_ops.hpp"
#include "collections/dataframe/string_lists.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe {
namespace {

using I64 = std::int64_t;
using U64 = std::uint64_t;

constexpr U64 kNullHash = 0x9e3779b97f4a7c15ULL;

U64 mix(U64 x) {  // splitmix64's finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

U64 hash_bytes(std::string_view s) {  // FNV-1a, then mixed
  U64 h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : s) h = (h ^ ch) * 0x100000001b3ULL;
  return mix(h);
}

U64 value_hash(const Column& c, I64 i) {
  if (!c.is_valid(i)) return kNullHash;
  switch (c.type) {
    case ColumnType::string: return hash_bytes(c.string_at(i));
    case ColumnType::float64: {
      double d = c.data->as<double>()[i];
      if (d == 0) d = 0;  // -0.0 == 0.0
      U64 bits;
      std::memcpy(&bits, &d, sizeof bits);
      return mix(bits);
    }
    case ColumnType::boolean: return mix(c.data->as<std::uint8_t>()[i] != 0 ? 1 : 2);
    default: return mix(static_cast<U64>(c.data->as<I64>()[i]));
  }
}

void want(std::span<const Value> a, std::size_t n, const char* name) {
  if (a.size() != n)
    throw TypeError(std::string(name) + ": expected " + std::to_string(n) + " arguments, got " + std::to_string(a.size()));
}

Value table_list(std::vector<Table> parts) {
  ValueList out;
  out.reserve(parts.size());
  for (auto& p : parts) out.emplace_back(std::move(p));
  return Value(std::move(out));
}

std::vector<Table> tables(const Value& v) {
  std::vector<Table> out;
  for (const auto& x : v.as_list()) out.push_back(x.as_table());
  return out;
}

std::vector<Table> pieces_by(const Table& t, const std::vector<I64>& piece, std::int64_t n) {
  std::vector<std::vector<I64>> rows(static_cast<std::size_t>(n));
  for (I64 i = 0; i < static_cast<I64>(piece.size()); ++i) rows[static_cast<std::size_t>(piece[i])].push_back(i);
  std::vector<Table> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(take(t, r));
  return out;
}

// ---- kernels ----
using Args = std::span<const Value>;

// (on, n, partition) -> [piece 0, ..., piece n-1]
Value k_hash_split(Args a) {
  want(a, 3, "dataframe.hash_split");
  return table_list(hash_split(a[2].as_table(), strings(a[0]), a[1].as_int()));
}

// (column, ascending, n, split points, partition) -> [piece 0, ..., piece n-1]
Value k_range_split(Args a) {
  want(a, 5, "dataframe.range_split");
  return table_list(range_split(a[4].as_table(), a[0].as_string(), a[3].as_table(), a[2].as_int(), a[1].as_bool()));
}

// (pieces, j) -> piece j
Value k_piece(Args a) {
  want(a, 2, "dataframe.piece");
  return a[0].as_list().at(static_cast<std::size_t>(a[1].as_int()));
}

// (by, ascending, index or none, partition) -> sorted; with an index: that column first, as the index.
Value k_sort(Args a) {
  want(a, 4, "dataframe.sort");
  std::vector<bool> asc;
  for (const auto& x : a[1].as_list()) asc.push_back(x.as_bool());
  Table sorted = sort_table(a[3].as_table(), strings(a[0]), asc);
  if (a[2].is_none()) return Value(std::move(sorted));
  const std::string& index = a[2].as_string();
  std::vector<Column> cols{sorted.column(index)};
  for (const auto& c : sorted.columns())
    if (c.name != index) cols.push_back(c);
  return Value(Table(std::move(cols), index));
}

// (subset, keep, partition) -> without duplicate rows
Value k_drop_duplicates(Args a) {
  want(a, 3, "dataframe.drop_duplicates");
  return Value(drop_duplicate_rows(a[2].as_table(), strings(a[0]), a[1].as_string()));
}

// (column, k, partition) -> {v, w}
Value k_sample_points(Args a) {
  want(a, 3, "dataframe.sample_points");
  return Value(sample_points(a[2].as_table(), a[0].as_string(), a[1].as_int()));
}

// ([samples], n) -> split points
Value k_split_points(Args a) {
  want(a, 2, "dataframe.split_points");
  return Value(split_points(tables(a[0]), a[1].as_int()));
}

// ([samples], n) -> divisions
Value k_division_points(Args a) {
  want(a, 2, "dataframe.division_points");
  return Value(division_points(tables(a[0]), a[1].as_int()));
}

// ([samples], [q, ...]) -> [quantile, ...]
Value k_quantiles(Args a) {
  want(a, 2, "dataframe.quantiles");
  std::vector<double> qs;
  for (const auto& q : a[1].as_list()) qs.push_back(q.as_float());
  return Value(sample_quantiles(tables(a[0]), qs));
}

}  // namespace

std::vector<U64> hash_rows(const Table& t, const std::vector<std::string>& on) {
  std::vector<U64> h(static_cast<std::size_t>(t.num_rows()), 0);
  for (const auto& name : on) {
    const Column& c = t.column(name);
    for (I64 i = 0; i < c.length; ++i) {
      U64& x = h[static_cast<std::size_t>(i)];
      x = mix(x ^ (value_hash(c, i) + 0x9e3779b97f4a7c15ULL + (x << 6) + (x >> 2)));
    }
  }
  return h;
}

std::vector<std::string> encode_rows(const Table& t, const std::vector<std::string>& on) {
  std::vector<const Column*> cols;
  for (const auto& n : on) cols.push_back(&t.column(n));
  std::vector<std::string> out(static_cast<std::size_t>(t.num_rows()));
  for (I64 i = 0; i < t.num_rows(); ++i) {
    std::string& s = out[static_cast<std::size_t>(i)];
    for (const auto* c : cols) {
      if (!c->is_valid(i)) { s.push_back('\0'); continue; }
      s.push_back('\1');
      switch (c->type) {
        case ColumnType::string: {
          auto v = c->string_at(i);
          auto len = static_cast<std::uint32_t>(v.size());
          s.append(reinterpret_cast<const char*>(&len), sizeof len).append(v);
          break;
        }
        case ColumnType::boolean: s.push_back(c->data->as<std::uint8_t>()[i] != 0 ? '\1' : '\0'); break;
        case ColumnType::float64: {
          double d = c->data->as<double>()[i];
          if (d == 0) d = 0;
          s.append(reinterpret_cast<const char*>(&d), sizeof d);
          break;
        }
        default: s.append(reinterpret_cast<const char*>(&c->data->as<I64>()[i]), sizeof(I64));
      }
    }
  }
  return out;
}

std::vector<Table> hash_split(const Table& t, const std::vector<std::string>& on, std::int64_t n) {
  if (n < 1) throw ValueError("shuffle: npartitions must be at least 1, got " + std::to_string(n));
  auto h = hash_rows(t, on);
  std::vector<I64> piece(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) piece[i] = static_cast<I64>(h[i] % static_cast<U64>(n));
  return pieces_by(t, piece, n);
}

std::vector<Table> range_split(const Table& t, const std::string& column, const Table& boundaries, std::int64_t n,
                               bool ascending) {
  if (n < 1) throw ValueError("range_split: npartitions must be at least 1, got " + std::to_string(n));
  const Column& c = t.column(column);
  const Column* points = boundaries.num_columns() ? &boundaries.columns()[0] : nullptr;
  if (points && points->type != c.type)
    throw TypeError("range_split: split points are " + std::string(column_type_name(points->type)) + ", column '" +
                    column + "' is " + std::string(column_type_name(c.type)));
  const I64 nb = points ? std::min<I64>(points->length, n - 1) : 0;
  std::vector<I64> piece(static_cast<std::size_t>(c.length));
  for (I64 i = 0; i < c.length; ++i) {
    I64 p = n - 1;
    if (!is_missing(c, i)) {
      I64 a = points ? std::min(upper_bound_row(*points, c, i), nb) : 0;
      p = ascending ? a : n - 1 - a;
    }
    piece[static_cast<std::size_t>(i)] = p;
  }
  return pieces_by(t, piece, n);
}

DataFrame shuffle_frame(const DataFrame& frame, const std::string& prefix, const std::string& split_fn,
                        const ArgList& leading, const std::vector<LayerPtr>& extra, std::int64_t n,
                        const std::string& token) {
  if (n < 1) throw ValueError(prefix + ": npartitions must be at least 1, got " + std::to_string(n));
  const std::int64_t m = frame.npartitions();
  // 1. One split task per input partition.
  const std::string split_name = prefix + "-split-" + token;
  auto split = op_function(split_fn);
  std::vector<TaskSpec> split_tasks;
  for (std::int64_t i = 0; i < m; ++i) {
    ArgList args = leading;
    args.emplace_back(frame.key(i));
    split_tasks.push_back(TaskSpec{Key(split_name, {i}), split, std::move(args)});
  }
  std::vector<LayerPtr> deps{frame.layer()};
  deps.insert(deps.end(), extra.begin(), extra.end());
  auto split_layer = make_layer(split_name, std::move(split_tasks), std::move(deps));
  // 2. Piece (i, j) as a task of its own.
  const std::string piece_name = prefix + "-piece-" + token;
  auto piece = op_function("dataframe.piece");
  std::vector<TaskSpec> piece_tasks;
  piece_tasks.reserve(static_cast<std::size_t>(m * n));
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      piece_tasks.push_back(TaskSpec{Key(piece_name, {i, j}), piece, {Arg(Key(split_name, {i})), Arg(Value(j))}});
  auto piece_layer = make_layer(piece_name, std::move(piece_tasks), {split_layer});
  // 3. Output j: the j-th pieces, in input order.
  const std::string name = prefix + "-" + token;
  auto concat_fn = op_function("dataframe.concat");
  std::vector<TaskSpec> tasks;
  for (std::int64_t j = 0; j < n; ++j) {
    ArgList parts;
    for (std::int64_t i = 0; i < m; ++i) parts.emplace_back(Key(piece_name, {i, j}));
    tasks.push_back(TaskSpec{Key(name, {j}), concat_fn, {Arg(std::move(parts))}});
  }
  return DataFrame(name, make_layer(name, std::move(tasks), {piece_layer}), n, frame.schema(), frame.index());
}

std::pair<Key, LayerPtr> split_points_of(const DataFrame& frame, const std::string& column, std::int64_t n) {
  register_operation_functions();
  (void)type_of(frame.schema(), column);
  // Enough points per partition that the parts come out near-equal.
  const std::int64_t k = std::clamp<std::int64_t>(8 * n, 128, 4096);
  auto samples = frame.partitionwise("sample-" + column, "dataframe.sample_points", {Value(column), Value(k)}, {},
                                     std::nullopt);
  std::string name = "split-points-" + tokenize(samples.name(), n);
  ArgList refs;
  for (const auto& key : samples.keys()) refs.emplace_back(key);
  std::vector<TaskSpec> tasks{TaskSpec{Key(name), op_function("dataframe.split_points"), {Arg(std::move(refs)), Arg(Value(n))}}};
  return {Key(name), make_layer(name, std::move(tasks), {samples.layer()})};
}

std::vector<KernelEntry> shuffle_kernels() {
  return {
      {"dataframe.hash_split", k_hash_split, "(on, n, partition) -> n pieces by hash of the key columns"},
      {"dataframe.range_split", k_range_split, "(column, ascending, n, split points, partition) -> n pieces by value"},
      {"dataframe.piece", k_piece, "(pieces, j) -> piece j"},
      {"dataframe.sort", k_sort, "(by, ascending, index, partition) -> the partition sorted"},
      {"dataframe.drop_duplicates", k_drop_duplicates, "(subset, keep, partition) -> without duplicate rows"},
      {"dataframe.sample_points", k_sample_points, "(column, k, partition) -> a weighted sample of its values"},
      {"dataframe.split_points", k_split_points, "([samples], n) -> n - 1 split points"},
      {"dataframe.division_points", k_division_points, "([samples], n) -> min, n - 1 split points, max"},
      {"dataframe.quantiles", k_quantiles, "([samples], [q, ...]) -> the quantiles"},
  };
}

// ---- DataFrame operations ----

DataFrame DataFrame::shuffle(const std::vector<std::string>& on, std::int64_t npartitions) const {
  register_operation_functions();
  if (on.empty()) throw ValueError("shuffle: no columns given to shuffle on");
  for (const auto& c : on) (void)type_of(schema_, c);
  const std::int64_t n = npartitions == 0 ? npartitions_ : npartitions;
  Value cols(string_values(on));
  return shuffle_frame(*this, "shuffle", "dataframe.hash_split", {Arg(cols), Arg(Value(n))}, {}, n,
                       tokenize(name_, cols, n));
}

DataFrame DataFrame::sort_values(const std::vector<std::string>& by, const std::vector<bool>& ascending,
                                 std::int64_t npartitions, const ComputeOptions& options) const {
  register_operation_functions();
  if (by.empty()) throw ValueError("sort_values: no columns given to sort by");
  for (const auto& c : by) (void)type_of(schema_, c);
  if (!ascending.empty() && ascending.size() != by.size())
    throw ValueError("sort_values: " + std::to_string(ascending.size()) + " ascending flags for " +
                     std::to_string(by.size()) + " columns");
  const std::int64_t n = npartitions == 0 ? npartitions_ : npartitions;
  ValueList asc;
  for (std::size_t k = 0; k < by.size(); ++k) asc.emplace_back(ascending.empty() ? true : static_cast<bool>(ascending[k]));
  if (index_ && by[0] == *index_ && asc[0].as_bool()) {
    // By the index, ascending: partitions that are index ranges, so the divisions are known.
    const Value sort_args[] = {Value(string_values(by)), Value(asc), Value()};
    if (known_divisions() && n == npartitions_)  // already ranges (Dask's presorted case): sort each
      return partitionwise("sorted", "dataframe.sort", {sort_args[0], sort_args[1], sort_args[2]}, schema_, index_)
          .with_divisions(divisions_);
    auto divisions = compute_divisions(*this, by[0], n, options);
    if (divisions.size() >= 2)
      return range_partition(*this, by[0], divisions)
          .partitionwise("sorted", "dataframe.sort", {sort_args[0], sort_args[1], sort_args[2]}, schema_, index_)
          .with_divisions(divisions);
  }
  // Range partitions of the first column (split at sampled quantiles), then each sorted.
  auto [points, points_layer] = split_points_of(*this, by[0], n);
  const bool first_asc = asc[0].as_bool();
  std::string token = tokenize(name_, Value(string_values(by)), Value(asc), n);
  DataFrame parts = shuffle_frame(*this, "sort-values", "dataframe.range_split",
                                  {Arg(Value(by[0])), Arg(Value(first_asc)), Arg(Value(n)), Arg(points)},
                                  {points_layer}, n, token);
  return parts.partitionwise("sorted", "dataframe.sort", {Value(string_values(by)), Value(asc), Value()}, schema_,
                             index_);
}

DataFrame DataFrame::sort_values(const std::string& by, bool ascending) const {
  return sort_values(std::vector<std::string>{by}, std::vector<bool>{ascending});
}

// set_index: divisions.cpp.

DataFrame DataFrame::drop_duplicates(const std::vector<std::string>& subset, const std::string& keep,
                                     std::int64_t npartitions) const {
  register_operation_functions();
  for (const auto& c : subset) (void)type_of(schema_, c);
  if (keep != "first" && keep != "last" && keep != "none")
    throw ValueError("drop_duplicates: keep must be \"first\", \"last\" or \"none\", got \"" + keep + "\"");
  const std::vector<std::string> on = subset.empty() ? columns() : subset;
  if (on.empty()) throw ValueError("drop_duplicates: the frame has no columns");
  Value sub(string_values(subset)), k(keep);
  // Duplicates inside a partition go first (less to move); keep="none" must see every copy.
  DataFrame source = keep == "none" ? *this : partitionwise("drop-duplicates-chunk", "dataframe.drop_duplicates", {sub, k},
                                                            schema_, index_);
  const std::int64_t n = npartitions == 0 ? npartitions_ : npartitions;
  if (n == 1 && npartitions_ == 1)
    return keep == "none" ? partitionwise("drop-duplicates", "dataframe.drop_duplicates", {sub, k}, schema_, index_)
                          : source;
  Value cols(string_values(on));
  DataFrame parts = shuffle_frame(source, "drop-duplicates-shuffle", "dataframe.hash_split", {Arg(cols), Arg(Value(n))},
                                  {}, n, tokenize(source.name(), cols, n));
  return parts.partitionwise("drop-duplicates", "dataframe.drop_duplicates", {sub, k}, schema_, index_);
}

}  // namespace tessera::dataframe

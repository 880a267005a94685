#include "collections/array/factorizations.hpp"

#include <string>

#include "collections/array/array_functions.hpp"
#include "collections/array/linalg.hpp"
#include "collections/array/shape_ops.hpp"
#include "collections/array/tsqr.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

std::string shape_repr(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + (s.size() == 1 ? ",)" : ")");
}

void check_square(const Array& a, const std::string& op) {
  if (a.ndim() != 2)
    throw ValueError(op + ": " + std::to_string(a.ndim()) + "-dimensional array given. Array must be two-dimensional");
  if (a.shape()[0] != a.shape()[1])
    throw ValueError(op + ": the matrix must be square, got shape " + shape_repr(a.shape()));
}

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

Array as_input_dtype(const Array& x, DType in) { return in == DType::float32 ? x.astype(DType::float32) : x; }

}  // namespace

Array cholesky(const Array& a_in, bool lower) {
  check_square(a_in, "cholesky");
  const Array a = a_in.rechunk(Chunks{a_in.chunks()[0], a_in.chunks()[0]});
  const auto& fns = array_functions();
  Tokenizer t;
  t.add("cholesky").add(a.name());
  const std::string name = "cholesky-" + t.hex();
  const auto nb = static_cast<std::int64_t>(a.chunks()[0].size());
  std::vector<TaskSpec> tasks;
  const Value f64("float64");
  for (std::int64_t k = 0; k < nb; ++k) {
    ArgList l_kj;
    for (std::int64_t j = 0; j < k; ++j) l_kj.emplace_back(Key(name, {k, j}));
    tasks.push_back(TaskSpec{Key(name, {k, k}), fns.cholesky_diag, {Arg(a.block_key({k, k})), Arg(l_kj)}});
    for (std::int64_t i = k + 1; i < nb; ++i) {
      ArgList l_ij;
      for (std::int64_t j = 0; j < k; ++j) l_ij.emplace_back(Key(name, {i, j}));
      tasks.push_back(TaskSpec{Key(name, {i, k}), fns.cholesky_offdiag,
                               {Arg(a.block_key({i, k})), Arg(std::move(l_ij)), Arg(l_kj), Arg(Key(name, {k, k}))}});
      tasks.push_back(TaskSpec{Key(name, {k, i}), fns.full,  // above the diagonal: zeros
                               {Arg(int_list(block_shape(a.chunks(), {k, i}))), Arg(Value(std::int64_t{0})), Arg(f64)}});
    }
  }
  Array l(name, make_layer(name, std::move(tasks), {a.layer()}), a.shape(), a.chunks(), DType::float64);
  return as_input_dtype(lower ? l : l.T(), a_in.dtype());
}

Array solve(const Array& a_in, const Array& b_in) {
  check_square(a_in, "solve");
  const std::int64_t n = a_in.shape()[0];
  if (b_in.ndim() != 1 && b_in.ndim() != 2)
    throw ValueError("solve: b must be 1-D or 2-D, got " + std::to_string(b_in.ndim()) + "-D");
  if (b_in.shape()[0] != n)
    throw ValueError("solve: b of shape " + shape_repr(b_in.shape()) + " does not match a of shape " +
                     shape_repr(a_in.shape()) + " (" + std::to_string(n) + " rows needed)");
  const Array a = a_in.rechunk(Chunks{{n}, {n}});
  const Array b = b_in.ndim() == 1 ? b_in.rechunk(Chunks{{n}}) : b_in.rechunk(Chunks{{n}, b_in.chunks()[1]});
  const auto& fns = array_functions();
  Tokenizer t;
  t.add("solve").add(a.name()).add(b.name());
  const std::string name = "solve-" + t.hex(), lu = "solve-lu-" + t.hex();
  auto lu_layer = make_layer(lu, {TaskSpec{Key(lu, {}), fns.lu_factor, {Arg(a.block_key({0, 0}))}}}, {a.layer()});
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(b.chunks()))
    tasks.push_back(TaskSpec{Key(name, idx), fns.lu_solve, {Arg(Key(lu, {})), Arg(b.block_key(idx))}});
  Array x(name, make_layer(name, std::move(tasks), {lu_layer, b.layer()}), b.shape(), b.chunks(), DType::float64);
  const bool f32 = a_in.dtype() == DType::float32 && (b_in.dtype() == DType::float32);
  return f32 ? x.astype(DType::float32) : x;
}

LstsqResult lstsq(const Array& a_in, const Array& b_in) {
  if (a_in.ndim() != 2)
    throw ValueError("lstsq: " + std::to_string(a_in.ndim()) + "-dimensional array given. Array must be two-dimensional");
  if (b_in.ndim() != 1 && b_in.ndim() != 2)
    throw ValueError("lstsq: b must be 1-D or 2-D, got " + std::to_string(b_in.ndim()) + "-D");
  const std::int64_t m = a_in.shape()[0], n = a_in.shape()[1];
  if (b_in.shape()[0] != m)
    throw ValueError("lstsq: Incompatible dimensions: a is " + shape_repr(a_in.shape()) + ", b is " +
                     shape_repr(b_in.shape()));
  const Array a = a_in.rechunk(Chunks{a_in.chunks()[0], {n}});
  const QRResult f = tsqr(a.dtype() == DType::float32 ? a.astype(DType::float64) : a);
  // A (m, 1) array of its own (not a fused expand_dims, which matmul would read as the 1-D source).
  const Array b2 = b_in.ndim() == 1 ? reshape(b_in, {m, 1}) : b_in;
  const std::int64_t k = f.r.shape()[0], c = b2.shape()[1];
  const Array qtb = matmul(f.q.T(), b2).rechunk(Chunks{{k}, {c}});
  const auto& fns = array_functions();
  Tokenizer t;
  t.add("lstsq").add(f.r.name()).add(qtb.name()).add(m);
  const std::string small = "lstsq-small-" + t.hex();
  auto small_layer = make_layer(
      small, {TaskSpec{Key(small, {}), fns.lstsq_small, {Arg(f.r.block_key({0, 0})), Arg(qtb.block_key({0, 0})), Arg(Value(m))}}},
      {f.r.layer(), qtb.layer()});
  auto pick = [&](const std::string& prefix, std::int64_t item, Shape shape) {
    const std::string name = prefix + t.hex();
    Chunks chunks;
    std::vector<std::int64_t> idx;
    for (auto d : shape) {
      chunks.push_back({d});
      idx.push_back(0);
    }
    auto layer = make_layer(name, {TaskSpec{Key(name, idx), fns.list_item, {Arg(Key(small, {})), Arg(Value(item))}}},
                            {small_layer});
    return Array(name, std::move(layer), shape, std::move(chunks), item == 1 ? DType::int64 : DType::float64);
  };
  const Array x2 = pick("lstsq-x-", 0, {n, c});
  const Array rank = pick("lstsq-rank-", 1, {});
  const Array s = pick("lstsq-s-", 2, {std::min(k, n)});
  const Array diff = b2 - matmul(a, x2);
  const Array residuals = (diff * diff).sum({.axis = 0});
  const Array x = b_in.ndim() == 1 ? squeeze(x2, {1}) : x2;
  return {x, residuals, rank, s};
}

}  // namespace tessera::array

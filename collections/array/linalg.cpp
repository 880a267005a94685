#include "collections/array/linalg.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "collections/array/array_functions.hpp"
#include "collections/array/blas_kernels.hpp"
#include "collections/array/fused_expr.hpp"
#include "collections/array/shape_ops.hpp"
#include "collections/array/tsqr.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {

Array matmul(const Array& a, const Array& b) {
  if (a.ndim() != 2 || b.ndim() != 2)
    throw ValueError("matmul: operands must be 2-D, got " + std::to_string(a.ndim()) + "-D and " +
                     std::to_string(b.ndim()) + "-D");
  if (a.shape()[1] != b.shape()[0])
    throw ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0 (size " +
                     std::to_string(b.shape()[0]) + " is different from " + std::to_string(a.shape()[1]) + ")");
  if (a.chunks()[1] != b.chunks()[0]) {  // the shared axis: both rechunked to its common refinement
    const auto inner = common_chunks(a.chunks()[1], b.chunks()[0]);
    return matmul(a.rechunk(Chunks{a.chunks()[0], inner}), b.rechunk(Chunks{inner, b.chunks()[1]}));
  }
  const auto pa = plain_or_transposed(a).value_or(PlainOrTransposed{a, false});
  const auto pb = plain_or_transposed(b).value_or(PlainOrTransposed{b, false});
  Tokenizer t;
  t.add("matmul").add(pa.source.name()).add(static_cast<std::int64_t>(pa.transposed)).add(pb.source.name())
      .add(static_cast<std::int64_t>(pb.transposed));
  const std::string name = "matmul-" + t.hex();
  const Chunks out_chunks{a.chunks()[0], b.chunks()[1]};
  const auto inner = static_cast<std::int64_t>(a.chunks()[1].size());
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(out_chunks)) {
    ArgList left, right;
    for (std::int64_t k = 0; k < inner; ++k) {
      left.emplace_back(pa.source.block_key(pa.transposed ? std::vector{k, idx[0]} : std::vector{idx[0], k}));
      right.emplace_back(pb.source.block_key(pb.transposed ? std::vector{idx[1], k} : std::vector{k, idx[1]}));
    }
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().matmul,
                             {Arg(std::move(left)), Arg(std::move(right)), Arg(Value(pa.transposed)),
                              Arg(Value(pb.transposed))}});
  }
  auto layer = make_layer(name, std::move(tasks), {pa.source.layer(), pb.source.layer()});
  return Array(name, std::move(layer), {a.shape()[0], b.shape()[1]}, out_chunks,
               kernels::matmul_result(a.dtype(), b.dtype()));
}

Array dot(const Array& a, const Array& b) {
  if (a.ndim() == 1 && b.ndim() == 1) {
    if (a.shape() != b.shape())
      throw ValueError("dot: shapes (" + std::to_string(a.shape()[0]) + ",) and (" + std::to_string(b.shape()[0]) +
                       ",) not aligned");
    return (a * b).sum();
  }
  if (a.ndim() != 2 || b.ndim() != 2)
    throw ValueError("dot: supported for two 1-D or two 2-D arrays, got " + std::to_string(a.ndim()) + "-D and " +
                     std::to_string(b.ndim()) + "-D");
  return matmul(a, b);
}

}  // namespace tessera::array

// tensordot and norm.
namespace tessera::array {
namespace {

std::string shape_str(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + (s.size() == 1 ? ",)" : ")");
}

Value int_list_value(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

std::vector<std::int64_t> normalize_axes(const std::vector<std::int64_t>& axes, std::size_t ndim, const char* which) {
  std::vector<std::int64_t> out;
  for (auto ax : axes) {
    const auto k = normalize_axis(ax, ndim);
    if (std::find(out.begin(), out.end(), k) != out.end())
      throw ValueError(std::string("tensordot: repeated axis ") + std::to_string(ax) + " of " + which);
    out.push_back(k);
  }
  return out;
}

}  // namespace

Array tensordot(const Array& a_in, const Array& b_in, const std::vector<std::int64_t>& a_axes_in,
                const std::vector<std::int64_t>& b_axes_in) {
  if (a_axes_in.size() != b_axes_in.size())
    throw ValueError("tensordot: shape-mismatch for sum (" + std::to_string(a_axes_in.size()) + " axes of a paired with " +
                     std::to_string(b_axes_in.size()) + " of b)");
  const auto a_axes = normalize_axes(a_axes_in, a_in.ndim(), "a");
  const auto b_axes = normalize_axes(b_axes_in, b_in.ndim(), "b");
  Chunks ac = a_in.chunks(), bc = b_in.chunks();
  for (std::size_t i = 0; i < a_axes.size(); ++i) {
    const auto ai = static_cast<std::size_t>(a_axes[i]), bi = static_cast<std::size_t>(b_axes[i]);
    if (a_in.shape()[ai] != b_in.shape()[bi])
      throw ValueError("tensordot: shape-mismatch for sum: axis " + std::to_string(ai) + " of a " +
                       shape_str(a_in.shape()) + " has extent " + std::to_string(a_in.shape()[ai]) + ", axis " +
                       std::to_string(bi) + " of b " + shape_str(b_in.shape()) + " has " + std::to_string(b_in.shape()[bi]));
    ac[ai] = bc[bi] = common_chunks(ac[ai], bc[bi]);
  }
  const Array a = a_in.rechunk(ac), b = b_in.rechunk(bc);
  std::vector<std::size_t> free_a, free_b;
  Shape shape;
  Chunks chunks, contracted;
  for (std::size_t k = 0; k < a.ndim(); ++k)
    if (std::find(a_axes.begin(), a_axes.end(), static_cast<std::int64_t>(k)) == a_axes.end()) {
      free_a.push_back(k);
      shape.push_back(a.shape()[k]);
      chunks.push_back(a.chunks()[k]);
    }
  for (std::size_t k = 0; k < b.ndim(); ++k)
    if (std::find(b_axes.begin(), b_axes.end(), static_cast<std::int64_t>(k)) == b_axes.end()) {
      free_b.push_back(k);
      shape.push_back(b.shape()[k]);
      chunks.push_back(b.chunks()[k]);
    }
  for (auto ax : a_axes) contracted.push_back(std::vector<std::int64_t>(a.chunks()[static_cast<std::size_t>(ax)].size(), 1));
  Tokenizer t;
  t.add("tensordot").add(a.name()).add(b.name());
  for (auto x : a_axes) t.add(x);
  t.add("|");
  for (auto x : b_axes) t.add(x);
  const std::string name = "tensordot-" + t.hex();
  const auto cells = block_indices(contracted);
  const Value va = int_list_value(a_axes), vb = int_list_value(b_axes);
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(chunks)) {
    ArgList left, right;
    for (const auto& c : cells) {
      std::vector<std::int64_t> ai(a.ndim()), bi(b.ndim());
      for (std::size_t f = 0; f < free_a.size(); ++f) ai[free_a[f]] = idx[f];
      for (std::size_t f = 0; f < free_b.size(); ++f) bi[free_b[f]] = idx[free_a.size() + f];
      for (std::size_t j = 0; j < a_axes.size(); ++j) {
        ai[static_cast<std::size_t>(a_axes[j])] = c[j];
        bi[static_cast<std::size_t>(b_axes[j])] = c[j];
      }
      left.emplace_back(a.block_key(ai));
      right.emplace_back(b.block_key(bi));
    }
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().tensordot,
                             {Arg(std::move(left)), Arg(std::move(right)), Arg(va), Arg(vb)}});
  }
  return Array(name, make_layer(name, std::move(tasks), {a.layer(), b.layer()}), std::move(shape), std::move(chunks),
               kernels::matmul_result(a.dtype(), b.dtype()));
}

Array tensordot(const Array& a, const Array& b, std::int64_t axes) {
  if (axes < 0 || axes > static_cast<std::int64_t>(a.ndim()) || axes > static_cast<std::int64_t>(b.ndim()))
    throw ValueError("tensordot: axes=" + std::to_string(axes) + " does not fit arrays of " + std::to_string(a.ndim()) +
                     " and " + std::to_string(b.ndim()) + " dimensions");
  std::vector<std::int64_t> aa, ba;
  for (std::int64_t i = 0; i < axes; ++i) {
    aa.push_back(static_cast<std::int64_t>(a.ndim()) - axes + i);
    ba.push_back(i);
  }
  return tensordot(a, b, aa, ba);
}

NormOrd::NormOrd(const char* name) {
  const std::string s(name);
  if (s == "fro") kind_ = Kind::fro;
  else if (s == "nuc") kind_ = Kind::nuc;
  else throw ValueError("norm: Invalid norm order '" + s + "' (a number, \"fro\" or \"nuc\")");
}

std::string NormOrd::str() const {
  switch (kind_) {
    case Kind::none: return "None";
    case Kind::fro: return "'fro'";
    case Kind::nuc: return "'nuc'";
    case Kind::number: break;
  }
  if (std::isinf(p_)) return p_ > 0 ? "inf" : "-inf";
  std::string r = std::to_string(p_);
  while (r.size() > 1 && r.back() == '0') r.pop_back();
  if (r.back() == '.') r.pop_back();
  return r;
}

namespace {

/// The singular values of a 2-D array, through tsqr of it or of its transpose.
Array singular_values(const Array& x) {
  const bool tall = x.shape()[0] >= x.shape()[1];
  const Array y = tall ? x : x.T();
  return svd(y.rechunk(Chunks{y.chunks()[0], {y.shape()[1]}})).s;
}

Array vector_norm(const Array& x, const NormOrd& ord, std::int64_t axis, bool keepdims) {
  const ReduceOptions o{.axis = axis, .keepdims = keepdims};
  if (ord.kind() == NormOrd::Kind::none) return sqrt((x * x).sum(o));
  if (ord.kind() != NormOrd::Kind::number) throw ValueError("norm: Invalid norm order " + ord.str() + " for vectors");
  const double p = ord.p();
  if (std::isinf(p)) return p > 0 ? abs(x).max(o) : abs(x).min(o);
  if (p == 0) return (x != 0).sum(o).astype(x.dtype());
  if (p == 1) return abs(x).sum(o);
  if (p == 2) return sqrt((x * x).sum(o));
  return power(power(abs(x), p).sum(o), 1.0 / p);
}

Array matrix_norm(const Array& x, const NormOrd& ord, std::int64_t r, std::int64_t c, bool keepdims) {
  const auto two_step = [&](const Array& y, std::int64_t first, bool max, bool min) {
    const Array s = y.sum({.axis = first});
    const std::int64_t second = (first == r ? c : r) - ((first == r ? c : r) > first ? 1 : 0);
    if (max) return s.max({.axis = second});
    if (min) return s.min({.axis = second});
    return s.sum({.axis = second});
  };
  Array out = x;
  switch (ord.kind()) {
    case NormOrd::Kind::none:
    case NormOrd::Kind::fro: out = sqrt(two_step(x * x, r, false, false)); break;
    case NormOrd::Kind::nuc:
    case NormOrd::Kind::number: {
      const double p = ord.kind() == NormOrd::Kind::nuc ? 0 : ord.p();
      if (ord.kind() == NormOrd::Kind::nuc || p == 2 || p == -2) {
        if (x.ndim() != 2)
          throw ValueError("norm: ord=" + ord.str() + " over two axes is supported for 2-D arrays only, got " +
                           std::to_string(x.ndim()) + "-D");
        const Array s = singular_values(x);
        out = ord.kind() == NormOrd::Kind::nuc ? s.sum() : p == 2 ? s.max() : s.min();
      } else if (p == 1 || p == -1) {
        out = two_step(abs(x), r, p > 0, p < 0);  // column sums, then max / min
      } else if (std::isinf(p)) {
        out = two_step(abs(x), c, p > 0, p < 0);  // row sums, then max / min
      } else {
        throw ValueError("norm: Invalid norm order " + ord.str() + " for matrices");
      }
      break;
    }
  }
  if (keepdims) {
    out = expand_dims(out, std::min(r, c));
    out = expand_dims(out, std::max(r, c));
  }
  return out;
}

}  // namespace

Array norm(const Array& x_in, const NormOrd& ord, const std::optional<std::vector<std::int64_t>>& axis_in,
           bool keepdims) {
  const Array x = x_in.dtype() == DType::float32 || x_in.dtype() == DType::float64 ? x_in : x_in.astype(DType::float64);
  std::vector<std::int64_t> axis;
  if (!axis_in) {
    if (ord.kind() == NormOrd::Kind::none) {
      Array out = sqrt((x * x).sum({.keepdims = keepdims}));
      return out;
    }
    if (x.ndim() == 1) axis = {0};
    else if (x.ndim() == 2) axis = {0, 1};
    else throw ValueError("norm: Improper number of dimensions to norm (" + std::to_string(x.ndim()) +
                          "-D with ord=" + ord.str() + "; give axis)");
  } else {
    axis = *axis_in;
  }
  if (axis.size() == 1) return vector_norm(x, ord, normalize_axis(axis[0], x.ndim()), keepdims);
  if (axis.size() == 2) {
    const auto r = normalize_axis(axis[0], x.ndim()), c = normalize_axis(axis[1], x.ndim());
    if (r == c) throw ValueError("norm: Duplicate axes given (" + std::to_string(axis[0]) + ", " + std::to_string(axis[1]) + ")");
    return matrix_norm(x, ord, r, c, keepdims);
  }
  throw ValueError("norm: Improper number of dimensions to norm (" + std::to_string(axis.size()) + " axes given)");
}

}  // namespace tessera::array

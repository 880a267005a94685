#include "collections/array/kernels.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "collections/array/kernel_util.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

using namespace detail;

struct Layout {
  std::int64_t outer = 1, len = 1, inner = 1;
  Shape out_shape;
};

Layout layout(const Shape& shape, std::int64_t axis) {
  Layout l;
  if (axis < 0) {
    l.len = shape_size(shape);
    l.out_shape.assign(shape.size(), 1);
    return l;
  }
  if (axis >= static_cast<std::int64_t>(shape.size()))
    throw ValueError("reduce: axis " + std::to_string(axis) + " is out of bounds for a block of " +
                     std::to_string(shape.size()) + " dimensions");
  for (std::int64_t k = 0; k < axis; ++k) l.outer *= shape[static_cast<std::size_t>(k)];
  l.len = shape[static_cast<std::size_t>(axis)];
  for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < shape.size(); ++k) l.inner *= shape[k];
  l.out_shape = shape;
  l.out_shape[static_cast<std::size_t>(axis)] = 1;
  return l;
}

/// out[o, i] = fold over j of x[o, j, i], starting from `init` (or from j = 0
/// when `from_first`).
template <class C, class F>
void reduce_loop(const C* x, C* out, const Layout& l, C init, bool from_first, F f) {
  for (std::int64_t o = 0; o < l.outer; ++o) {
    C* r = out + o * l.inner;
    std::int64_t j0 = 0;
    if (from_first) {
      std::memcpy(r, x + o * l.len * l.inner, static_cast<std::size_t>(l.inner) * sizeof(C));
      j0 = 1;
    } else {
      for (std::int64_t i = 0; i < l.inner; ++i) r[i] = init;
    }
    for (std::int64_t j = j0; j < l.len; ++j) {
      const C* row = x + (o * l.len + j) * l.inner;
      for (std::int64_t i = 0; i < l.inner; ++i) r[i] = f(r[i], row[i]);
    }
  }
}

template <class C>
void fold(ReduceOp op, const C* x, C* out, const Layout& l) {
  switch (op) {
    case ReduceOp::sum: return reduce_loop<C>(x, out, l, C(0), false, [](C a, C b) { return C(a + b); });
    case ReduceOp::prod: return reduce_loop<C>(x, out, l, C(1), false, [](C a, C b) { return C(a * b); });
    case ReduceOp::min:
      return reduce_loop<C>(x, out, l, C(0), true, [](C r, C v) { return (v < r || v != v) ? v : r; });
    case ReduceOp::max:
      return reduce_loop<C>(x, out, l, C(0), true, [](C r, C v) { return (v > r || v != v) ? v : r; });
    case ReduceOp::any: return reduce_loop<C>(x, out, l, C(0), false, [](C a, C b) { return C(a || b); });
    case ReduceOp::all: return reduce_loop<C>(x, out, l, C(1), false, [](C a, C b) { return C(a && b); });
  }
}

template <class C>
NDArray reduce_typed(ReduceOp op, const NDArray& a, const Layout& l, DType out_dt) {
  std::vector<C> scratch;
  auto x = typed<C>(a, scratch);
  auto buf = alloc(out_dt, shape_size(l.out_shape));
  fold<C>(op, x.data(), buf->mutable_as<C>().data(), l);
  return NDArray(out_dt, l.out_shape, std::move(buf));
}

NDArray float_array(const Shape& shape, std::vector<double> v) {
  auto buf = std::make_shared<Buffer>(v.data(), v.size() * sizeof(double));
  return NDArray(DType::float64, shape, std::move(buf));
}


}  // namespace

std::string_view reduce_name(ReduceOp op) noexcept {
  static constexpr std::string_view names[] = {"sum", "prod", "min", "max", "any", "all"};
  return names[static_cast<int>(op)];
}

DType reduce_result(ReduceOp op, DType a) noexcept {
  if (op == ReduceOp::any || op == ReduceOp::all) return DType::boolean;
  if ((op == ReduceOp::min || op == ReduceOp::max) && a == DType::boolean) return DType::boolean;
  return is_float(a) ? DType::float64 : DType::int64;
}

NDArray reduce(ReduceOp op, const NDArray& a, std::int64_t axis) {
  Layout l = layout(a.shape(), axis);
  if ((op == ReduceOp::min || op == ReduceOp::max) && l.len == 0 && shape_size(l.out_shape) > 0)
    throw ValueError("zero-size array to reduction operation " +
                     std::string(op == ReduceOp::min ? "minimum" : "maximum") +
                     " which has no identity");
  const DType out = reduce_result(op, a.dtype());
  if (op == ReduceOp::any || op == ReduceOp::all) return reduce_typed<std::uint8_t>(op, a, l, out);
  if (out == DType::boolean) return reduce_typed<std::uint8_t>(op, a, l, out);  // min/max of bool
  if (out == DType::float64) return reduce_typed<double>(op, a, l, out);
  return reduce_typed<std::int64_t>(op, a, l, out);
}

NDArray combine(ReduceOp op, const std::vector<NDArray>& partials) {
  if (partials.empty()) throw ValueError("array." + std::string(reduce_name(op)) + ": no partials");
  const NDArray& first = partials.front();
  if (partials.size() == 1) return first;
  // Stack the partials as a (p, n) block and fold axis 0.
  auto buf = make_buffer(first.nbytes() * partials.size());
  for (std::size_t p = 0; p < partials.size(); ++p) {
    const NDArray& b = partials[p];
    if (b.shape() != first.shape() || b.dtype() != first.dtype())
      throw ValueError("array." + std::string(reduce_name(op)) + ": partials differ in shape or dtype");
    if (b.nbytes()) std::memcpy(buf->mutable_data() + p * first.nbytes(), b.buffer()->data(), b.nbytes());
  }
  NDArray stacked(first.dtype(), {static_cast<std::int64_t>(partials.size()), first.size()}, std::move(buf));
  return reshape(reduce(op, stacked, 0), first.shape());
}

ValueList mean_chunk(const NDArray& a, std::int64_t axis) {
  Layout l = layout(a.shape(), axis);
  return {Value(l.len), Value(reduce(ReduceOp::sum, astype(a, DType::float64), axis))};
}

ValueList mean_combine(const ValueList& partials) {
  std::int64_t n = 0;
  std::vector<NDArray> sums;
  for (const auto& p : partials) {
    n += p.as_list().at(0).as_int();
    sums.push_back(p.as_list().at(1).as_ndarray());
  }
  return {Value(n), Value(combine(ReduceOp::sum, sums))};
}

NDArray mean_finalize(const ValueList& partial, const Shape& shape) {
  const double n = static_cast<double>(partial.at(0).as_int());
  const NDArray& s = partial.at(1).as_ndarray();
  std::vector<double> out(s.values<double>().begin(), s.values<double>().end());
  for (auto& x : out) x /= n;
  return reshape(float_array(s.shape(), std::move(out)), shape);
}

ValueList moment_chunk(const NDArray& a, std::int64_t axis) {
  Layout l = layout(a.shape(), axis);
  std::vector<double> scratch;
  auto x = typed<double>(a, scratch);
  const std::int64_t m = l.outer * l.inner;
  std::vector<double> mean(static_cast<std::size_t>(m), 0.0), m2(static_cast<std::size_t>(m), 0.0);
  for (std::int64_t o = 0; o < l.outer; ++o)
    for (std::int64_t j = 0; j < l.len; ++j)
      for (std::int64_t i = 0; i < l.inner; ++i) mean[o * l.inner + i] += x[(o * l.len + j) * l.inner + i];
  for (auto& v : mean) v /= static_cast<double>(l.len);
  for (std::int64_t o = 0; o < l.outer; ++o)
    for (std::int64_t j = 0; j < l.len; ++j)
      for (std::int64_t i = 0; i < l.inner; ++i) {
        const double d = x[(o * l.len + j) * l.inner + i] - mean[o * l.inner + i];
        m2[o * l.inner + i] += d * d;
      }
  if (l.len == 0) mean.assign(mean.size(), 0.0);
  return {Value(l.len), Value(float_array(l.out_shape, std::move(mean))),
          Value(float_array(l.out_shape, std::move(m2)))};
}

ValueList moment_combine(const ValueList& partials) {
  if (partials.empty()) throw ValueError("array.moment_combine: no partials");
  const auto& first = partials.front().as_list();
  std::int64_t n = first.at(0).as_int();
  const NDArray& shape_of = first.at(1).as_ndarray();
  std::vector<double> mean(shape_of.values<double>().begin(), shape_of.values<double>().end());
  const auto m2v = first.at(2).as_ndarray().values<double>();
  std::vector<double> m2(m2v.begin(), m2v.end());
  for (std::size_t p = 1; p < partials.size(); ++p) {
    const auto& part = partials[p].as_list();
    const std::int64_t nb = part.at(0).as_int();
    if (nb == 0) continue;
    auto mb = part.at(1).as_ndarray().values<double>();
    auto m2b = part.at(2).as_ndarray().values<double>();
    if (mb.size() != mean.size()) throw ValueError("array.moment_combine: partials differ in shape");
    const double na = static_cast<double>(n), nbd = static_cast<double>(nb), nt = na + nbd;
    for (std::size_t i = 0; i < mean.size(); ++i) {
      const double delta = mb[i] - mean[i];
      mean[i] += delta * nbd / nt;
      m2[i] += m2b[i] + delta * delta * na * nbd / nt;
    }
    n += nb;
  }
  return {Value(n), Value(float_array(shape_of.shape(), std::move(mean))),
          Value(float_array(shape_of.shape(), std::move(m2)))};
}

NDArray var_finalize(const ValueList& partial, const Shape& shape, std::int64_t ddof, bool sqrt) {
  const std::int64_t n = partial.at(0).as_int();
  const NDArray& m2 = partial.at(2).as_ndarray();
  const double dof = static_cast<double>(std::max<std::int64_t>(n - ddof, 0));
  std::vector<double> out(m2.values<double>().begin(), m2.values<double>().end());
  for (auto& x : out) {
    x /= dof;
    if (sqrt) x = std::sqrt(x);
  }
  return reshape(float_array(m2.shape(), std::move(out)), shape);
}
}  // namespace tessera::array::kernels

#include "collections/array/kernels.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

template <class T>
struct Tag {
  using type = T;
};

/// Calls f(Tag<C>{}) with the C type that stores `t` (bool as uint8_t).
template <class F>
decltype(auto) visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::boolean: return f(Tag<std::uint8_t>{});
    case DType::uint8: return f(Tag<std::uint8_t>{});
    case DType::int32: return f(Tag<std::int32_t>{});
    case DType::int64: return f(Tag<std::int64_t>{});
    case DType::float32: return f(Tag<float>{});
    case DType::float64: break;
  }
  return f(Tag<double>{});
}

bool is_float(DType t) noexcept { return t == DType::float32 || t == DType::float64; }

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, double>) return DType::float64;
  else if constexpr (std::is_same_v<T, std::int64_t>) return DType::int64;
  else return DType::boolean;
}

/// `a`'s elements as T: the buffer itself when the dtype matches, else
/// converted into `scratch`. T = uint8_t means bool (non-zero is true).
template <class T>
std::span<const T> typed(const NDArray& a, std::vector<T>& scratch) {
  if (a.dtype() == dtype_of<T>()) return a.values<T>();
  scratch.resize(static_cast<std::size_t>(a.size()));
  visit_dtype(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    auto src = a.values<S>();
    for (std::size_t i = 0; i < scratch.size(); ++i) {
      if constexpr (std::is_same_v<T, std::uint8_t>) scratch[i] = src[i] != S(0);
      else scratch[i] = static_cast<T>(src[i]);
    }
  });
  return scratch;
}

std::shared_ptr<Buffer> alloc(DType t, std::int64_t n) {
  return make_buffer(static_cast<std::size_t>(n) * dtype_size(t));
}

bool is_comparison(BinaryOp op) noexcept { return op >= BinaryOp::lt; }

template <class C, class Out, class A, class B>
void binary_loop(BinaryOp op, Out* out, std::int64_t n, A a, B b) {
  auto run = [&](auto f) {
    for (std::int64_t i = 0; i < n; ++i) out[i] = static_cast<Out>(f(a(i), b(i)));
  };
  switch (op) {
    case BinaryOp::add: return run([](C x, C y) { return x + y; });
    case BinaryOp::sub: return run([](C x, C y) { return x - y; });
    case BinaryOp::mul: return run([](C x, C y) { return x * y; });
    case BinaryOp::div: return run([](C x, C y) { return x / y; });
    case BinaryOp::lt: return run([](C x, C y) { return x < y; });
    case BinaryOp::le: return run([](C x, C y) { return x <= y; });
    case BinaryOp::gt: return run([](C x, C y) { return x > y; });
    case BinaryOp::ge: return run([](C x, C y) { return x >= y; });
    case BinaryOp::eq: return run([](C x, C y) { return x == y; });
    case BinaryOp::ne: return run([](C x, C y) { return x != y; });
  }
}

template <class C, class A, class B>
NDArray binary_typed(BinaryOp op, DType out_dt, const Shape& shape, A a, B b) {
  const std::int64_t n = shape_size(shape);
  auto buf = alloc(out_dt, n);
  if (is_comparison(op))
    binary_loop<C>(op, buf->mutable_as<std::uint8_t>().data(), n, a, b);
  else
    binary_loop<C>(op, buf->mutable_as<C>().data(), n, a, b);
  return NDArray(out_dt, shape, std::move(buf));
}

/// The computation type of a binary op: double when a float is involved or
/// the op is true division, else int64.
bool compute_in_double(BinaryOp op, DType a, DType b) {
  return op == BinaryOp::div || is_float(a) || is_float(b);
}

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

std::string_view binary_name(BinaryOp op) noexcept {
  static constexpr std::string_view names[] = {"add", "sub", "mul", "div", "lt",
                                               "le",  "gt",  "ge",  "eq",  "ne"};
  return names[static_cast<int>(op)];
}
std::string_view unary_name(UnaryOp op) noexcept {
  static constexpr std::string_view names[] = {"neg", "abs", "sqrt", "exp"};
  return names[static_cast<int>(op)];
}
std::string_view reduce_name(ReduceOp op) noexcept {
  static constexpr std::string_view names[] = {"sum", "prod", "min", "max", "any", "all"};
  return names[static_cast<int>(op)];
}

DType binary_result(BinaryOp op, DType a, DType b) noexcept {
  if (is_comparison(op)) return DType::boolean;
  // bool + bool is logical or, bool * bool logical and, as NumPy.
  if (a == DType::boolean && b == DType::boolean && (op == BinaryOp::add || op == BinaryOp::mul))
    return DType::boolean;
  return compute_in_double(op, a, b) ? DType::float64 : DType::int64;
}

void check_binary(BinaryOp op, DType a, DType b) {
  if (op == BinaryOp::sub && a == DType::boolean && b == DType::boolean)
    throw TypeError("numpy boolean subtract, the `-` operator, is not supported; use != instead");
}

DType unary_result(UnaryOp op, DType a) noexcept {
  if (op == UnaryOp::sqrt || op == UnaryOp::exp || is_float(a)) return DType::float64;
  if (op == UnaryOp::abs && a == DType::boolean) return DType::boolean;
  return DType::int64;
}

DType reduce_result(ReduceOp op, DType a) noexcept {
  if (op == ReduceOp::any || op == ReduceOp::all) return DType::boolean;
  if ((op == ReduceOp::min || op == ReduceOp::max) && a == DType::boolean) return DType::boolean;
  return is_float(a) ? DType::float64 : DType::int64;
}

DType scalar_dtype(const Value& s) {
  switch (s.kind()) {
    case ValueKind::boolean: return DType::boolean;
    case ValueKind::int64: return DType::int64;
    case ValueKind::float64: return DType::float64;
    default:
      throw TypeError("array: a scalar operand must be bool, int64 or float64, got " +
                      std::string(kind_name(s.kind())));
  }
}

NDArray astype(const NDArray& a, DType dtype) {
  if (a.dtype() == dtype) return a;
  auto buf = alloc(dtype, a.size());
  const auto n = static_cast<std::size_t>(a.size());
  visit_dtype(a.dtype(), [&](auto src_tag) {
    using S = typename decltype(src_tag)::type;
    auto src = a.values<S>();
    visit_dtype(dtype, [&](auto dst_tag) {
      using D = typename decltype(dst_tag)::type;
      D* out = buf->template mutable_as<D>().data();
      if (dtype == DType::boolean)
        for (std::size_t i = 0; i < n; ++i) out[i] = src[i] != S(0);
      else if (a.dtype() == DType::boolean)
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<D>(src[i] != 0);
      else
        for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<D>(src[i]);
    });
  });
  return NDArray(dtype, a.shape(), std::move(buf));
}

NDArray binary(BinaryOp op, const NDArray& a, const NDArray& b) {
  if (a.shape() != b.shape())
    throw ValueError("array." + std::string(binary_name(op)) + ": blocks of different shapes");
  const DType out = binary_result(op, a.dtype(), b.dtype());
  check_binary(op, a.dtype(), b.dtype());
  if (out == DType::boolean && !is_comparison(op))
    return astype(binary(op, astype(a, DType::int64), b), DType::boolean);
  if (compute_in_double(op, a.dtype(), b.dtype())) {
    std::vector<double> sa, sb;
    auto x = typed<double>(a, sa);
    auto y = typed<double>(b, sb);
    return binary_typed<double>(op, out, a.shape(), [x](std::int64_t i) { return x[i]; },
                                [y](std::int64_t i) { return y[i]; });
  }
  std::vector<std::int64_t> sa, sb;
  auto x = typed<std::int64_t>(a, sa);
  auto y = typed<std::int64_t>(b, sb);
  return binary_typed<std::int64_t>(op, out, a.shape(), [x](std::int64_t i) { return x[i]; },
                                    [y](std::int64_t i) { return y[i]; });
}

NDArray binary_scalar(BinaryOp op, const NDArray& a, const Value& s, bool reflected) {
  const DType sd = scalar_dtype(s);
  const DType out = binary_result(op, a.dtype(), sd);
  check_binary(op, a.dtype(), sd);
  if (out == DType::boolean && !is_comparison(op))
    return astype(binary_scalar(op, astype(a, DType::int64), s, reflected), DType::boolean);
  auto go = [&](auto tag) {
    using C = typename decltype(tag)::type;
    std::vector<C> scratch;
    auto x = typed<C>(a, scratch);
    const C v = std::is_same_v<C, double> ? static_cast<C>(s.kind() == ValueKind::boolean ? double(s.as_bool()) : s.as_float())
                                          : static_cast<C>(s.kind() == ValueKind::boolean ? std::int64_t(s.as_bool()) : s.as_int());
    auto arr = [x](std::int64_t i) { return x[i]; };
    auto sca = [v](std::int64_t) { return v; };
    return reflected ? binary_typed<C>(op, out, a.shape(), sca, arr)
                     : binary_typed<C>(op, out, a.shape(), arr, sca);
  };
  if (compute_in_double(op, a.dtype(), sd)) return go(Tag<double>{});
  return go(Tag<std::int64_t>{});
}

NDArray unary(UnaryOp op, const NDArray& a) {
  const DType out = unary_result(op, a.dtype());
  const std::int64_t n = a.size();
  if (out == DType::boolean) return a;  // abs of bool
  auto buf = alloc(out, n);
  if (out == DType::float64) {
    std::vector<double> scratch;
    auto x = typed<double>(a, scratch);
    double* r = buf->mutable_as<double>().data();
    switch (op) {
      case UnaryOp::neg: for (std::int64_t i = 0; i < n; ++i) r[i] = -x[i]; break;
      case UnaryOp::abs: for (std::int64_t i = 0; i < n; ++i) r[i] = std::fabs(x[i]); break;
      case UnaryOp::sqrt: for (std::int64_t i = 0; i < n; ++i) r[i] = std::sqrt(x[i]); break;
      case UnaryOp::exp: for (std::int64_t i = 0; i < n; ++i) r[i] = std::exp(x[i]); break;
    }
  } else {
    std::vector<std::int64_t> scratch;
    auto x = typed<std::int64_t>(a, scratch);
    std::int64_t* r = buf->mutable_as<std::int64_t>().data();
    // Wrapping negation, as NumPy's (INT64_MIN stays INT64_MIN).
    if (op == UnaryOp::neg)
      for (std::int64_t i = 0; i < n; ++i) r[i] = static_cast<std::int64_t>(0ULL - static_cast<std::uint64_t>(x[i]));
    else
      for (std::int64_t i = 0; i < n; ++i)
        r[i] = x[i] < 0 ? static_cast<std::int64_t>(0ULL - static_cast<std::uint64_t>(x[i])) : x[i];
  }
  return NDArray(out, a.shape(), std::move(buf));
}

NDArray full(const Shape& shape, const Value& fill, DType dtype) {
  NDArray one = binary_scalar(BinaryOp::add, NDArray::zeros(scalar_dtype(fill), {}), fill, false);
  NDArray v = astype(one, dtype);
  const std::int64_t n = shape_size(shape);
  auto buf = alloc(dtype, n);
  const std::size_t e = dtype_size(dtype);
  for (std::int64_t i = 0; i < n; ++i) std::memcpy(buf->mutable_data() + i * e, v.buffer()->data(), e);
  return NDArray(dtype, shape, std::move(buf));
}

NDArray arange(const Value& start, const Value& step, std::int64_t offset, std::int64_t n, DType dtype) {
  auto buf = alloc(dtype, n);
  if (dtype == DType::int64) {
    const std::int64_t s = start.as_int(), d = step.as_int();
    auto* r = buf->mutable_as<std::int64_t>().data();
    for (std::int64_t i = 0; i < n; ++i) r[i] = s + (offset + i) * d;
  } else if (dtype == DType::float64) {
    const double s = start.as_float(), d = (start.as_float() + step.as_float()) - s;  // as NumPy
    auto* r = buf->mutable_as<double>().data();
    for (std::int64_t i = 0; i < n; ++i) r[i] = s + static_cast<double>(offset + i) * d;
  } else {
    throw ValueError("arange: dtype must be int64 or float64, got " + std::string(dtype_name(dtype)));
  }
  return NDArray(dtype, {n}, std::move(buf));
}

NDArray linspace(double start, double stop, std::int64_t num, bool endpoint, std::int64_t offset,
                 std::int64_t n) {
  const std::int64_t div = endpoint ? num - 1 : num;
  const double delta = stop - start;
  const double step = div > 0 ? delta / static_cast<double>(div) : std::nan("");
  auto buf = alloc(DType::float64, n);
  auto* r = buf->mutable_as<double>().data();
  for (std::int64_t i = 0; i < n; ++i) {
    const double k = static_cast<double>(offset + i);
    double y;
    if (div > 0) y = step == 0 ? k / static_cast<double>(div) * delta : k * step;
    else y = k * delta;
    r[i] = y + start;
    if (endpoint && num > 1 && offset + i == num - 1) r[i] = stop;
  }
  return NDArray(DType::float64, {n}, std::move(buf));
}

NDArray getitem(const NDArray& a, const std::vector<std::int64_t>& start,
                const std::vector<std::int64_t>& stop, const std::vector<std::int64_t>& step,
                const std::vector<bool>& keep) {
  const std::size_t nd = a.ndim();
  if (start.size() != nd || stop.size() != nd || step.size() != nd || keep.size() != nd)
    throw ValueError("array.getitem: " + std::to_string(nd) + " ranges needed");
  const std::size_t e = dtype_size(a.dtype());
  Shape counts(nd), out_shape;
  std::vector<std::int64_t> stride(nd, 1);
  for (std::size_t k = nd; k-- > 0;) {
    if (step[k] == 0) throw ValueError("array.getitem: step 0 on axis " + std::to_string(k));
    if (step[k] > 0) {
      counts[k] = stop[k] > start[k] ? (stop[k] - start[k] + step[k] - 1) / step[k] : 0;
    } else {
      counts[k] = start[k] > stop[k] ? (start[k] - stop[k] - step[k] - 1) / -step[k] : 0;
    }
    const std::int64_t first = start[k], last = start[k] + (counts[k] - 1) * step[k];
    if (counts[k] > 0 && (std::min(first, last) < 0 || std::max(first, last) >= a.shape()[k]))
      throw ValueError("array.getitem: range out of the block on axis " + std::to_string(k));
    if (k + 1 < nd) stride[k] = stride[k + 1] * a.shape()[k + 1];
  }
  for (std::size_t k = 0; k < nd; ++k)
    if (keep[k]) out_shape.push_back(counts[k]);
  const std::int64_t total = shape_size(counts);
  auto buf = alloc(a.dtype(), total);
  if (total == 0) return NDArray(a.dtype(), out_shape, std::move(buf));
  const std::byte* src = a.buffer()->data();
  std::byte* dst = buf->mutable_data();
  if (nd == 0) {
    std::memcpy(dst, src, e);
    return NDArray(a.dtype(), out_shape, std::move(buf));
  }
  const std::size_t last = nd - 1;
  std::vector<std::int64_t> idx(nd, 0);
  while (true) {
    std::int64_t off = 0;
    for (std::size_t k = 0; k < last; ++k) off += (start[k] + idx[k] * step[k]) * stride[k];
    off += start[last];
    if (step[last] == 1) {
      std::memcpy(dst, src + off * e, static_cast<std::size_t>(counts[last]) * e);
      dst += counts[last] * e;
    } else {
      for (std::int64_t i = 0; i < counts[last]; ++i, dst += e)
        std::memcpy(dst, src + (off + i * step[last]) * e, e);
    }
    std::size_t k = last;
    while (k > 0) {
      --k;
      if (++idx[k] < counts[k]) break;
      idx[k] = 0;
      if (k == 0) return NDArray(a.dtype(), out_shape, std::move(buf));
    }
    if (last == 0) return NDArray(a.dtype(), out_shape, std::move(buf));
  }
}

NDArray reshape(const NDArray& a, Shape shape) {
  if (shape_size(shape) != a.size())
    throw ValueError("array.reshape: cannot reshape " + std::to_string(a.size()) + " elements");
  return NDArray(a.dtype(), std::move(shape), a.buffer());
}

void place_block(std::byte* out, const Shape& out_shape, const NDArray& block,
                 const std::vector<std::int64_t>& origin) {
  const std::size_t nd = out_shape.size();
  const std::size_t e = dtype_size(block.dtype());
  if (block.size() == 0) return;
  if (nd == 0) {
    std::memcpy(out, block.buffer()->data(), e);
    return;
  }
  std::vector<std::int64_t> stride(nd, 1);
  for (std::size_t k = nd - 1; k-- > 0;) stride[k] = stride[k + 1] * out_shape[k + 1];
  const Shape& bs = block.shape();
  const std::size_t row = static_cast<std::size_t>(bs[nd - 1]) * e;
  const std::byte* src = block.buffer()->data();
  std::vector<std::int64_t> idx(nd, 0);
  while (true) {
    std::int64_t off = origin[nd - 1];
    for (std::size_t k = 0; k + 1 < nd; ++k) off += (origin[k] + idx[k]) * stride[k];
    std::memcpy(out + off * static_cast<std::int64_t>(e), src, row);
    src += row;
    std::size_t k = nd - 1;
    while (k > 0) {
      --k;
      if (++idx[k] < bs[k]) break;
      idx[k] = 0;
      if (k == 0) return;
    }
    if (nd == 1) return;
  }
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

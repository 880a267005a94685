// Element-wise block kernels with NumPy's type promotion over bool, uint8,
// int32, int64, float32 and float64. Integer arithmetic wraps (as NumPy's).
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

bool is_comparison(BinaryOp op) noexcept { return op >= BinaryOp::lt && op <= BinaryOp::ne; }
bool is_logical(BinaryOp op) noexcept { return op >= BinaryOp::logical_and; }

/// Python's floor division and modulo (NumPy's npy_divmod for floats;
/// integers: division by zero gives 0, as NumPy, and never traps).
template <class C>
C floordiv(C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<C>) {
      if (b == -1) return static_cast<C>(static_cast<std::make_unsigned_t<C>>(0) - static_cast<std::make_unsigned_t<C>>(a));
      C q = a / b;
      if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
      return q;
    } else {
      return a / b;
    }
  } else {
    const C mod = std::fmod(a, b);
    if (b == 0) return a / b;
    C div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;
    if (div == 0) return std::copysign(C(0), a / b);
    C fl = std::floor(div);
    if (div - fl > C(0.5)) fl += 1;
    return fl;
  }
}

template <class C>
C modulo(C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<C>) {
      if (b == -1) return 0;
      C r = a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<C>(r + b);
      return r;
    } else {
      return a % b;
    }
  } else {
    C mod = std::fmod(a, b);
    if (b == 0) return mod;
    if (mod != 0) {
      if ((b < 0) != (mod < 0)) mod += b;
    } else {
      mod = std::copysign(C(0), b);
    }
    return mod;
  }
}

/// x ** y; integer powers by squaring, wrapping (negative exponents are
/// refused before the kernel runs, as NumPy's).
template <class C>
C power(C x, C y) {
  if constexpr (std::is_integral_v<C>) {
    using U = std::make_unsigned_t<C>;
    if constexpr (std::is_signed_v<C>)
      if (y < 0) throw ValueError("Integers to negative integer powers are not allowed.");
    U result = 1, base = static_cast<U>(x);
    for (U e = static_cast<U>(y); e; e >>= 1) {
      if (e & 1) result = static_cast<U>(result * base);
      base = static_cast<U>(base * base);
    }
    return static_cast<C>(result);
  } else {
    return std::pow(x, y);
  }
}

/// NumPy's maximum/minimum: a NaN operand wins.
template <class C>
C pick(bool max, C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if (a != a) return a;
    if (b != b) return b;
  }
  return max ? (a < b ? b : a) : (b < a ? b : a);
}

/// x op y for integers without signed overflow: computed on the unsigned
/// counterpart, which wraps as NumPy's integers do.
template <class C>
C wrap(BinaryOp op, C x, C y) {
  if constexpr (std::is_integral_v<C>) {
    using U = std::make_unsigned_t<C>;
    const U a = static_cast<U>(x), b = static_cast<U>(y);
    switch (op) {
      case BinaryOp::add: return static_cast<C>(static_cast<U>(a + b));
      case BinaryOp::sub: return static_cast<C>(static_cast<U>(a - b));
      default: return static_cast<C>(static_cast<U>(a * b));
    }
  } else {
    switch (op) {
      case BinaryOp::add: return x + y;
      case BinaryOp::sub: return x - y;
      default: return x * y;
    }
  }
}

template <class C, class Out, class A, class B>
void binary_loop(BinaryOp op, Out* out, std::int64_t n, A a, B b) {
  auto run = [&](auto f) {
    for (std::int64_t i = 0; i < n; ++i) out[i] = static_cast<Out>(f(a(i), b(i)));
  };
  switch (op) {
    case BinaryOp::add: return run([](C x, C y) { return wrap(BinaryOp::add, x, y); });
    case BinaryOp::sub: return run([](C x, C y) { return wrap(BinaryOp::sub, x, y); });
    case BinaryOp::mul: return run([](C x, C y) { return wrap(BinaryOp::mul, x, y); });
    case BinaryOp::div: return run([](C x, C y) { return x / y; });
    case BinaryOp::lt: return run([](C x, C y) { return x < y; });
    case BinaryOp::le: return run([](C x, C y) { return x <= y; });
    case BinaryOp::gt: return run([](C x, C y) { return x > y; });
    case BinaryOp::ge: return run([](C x, C y) { return x >= y; });
    case BinaryOp::eq: return run([](C x, C y) { return x == y; });
    case BinaryOp::ne: return run([](C x, C y) { return x != y; });
    case BinaryOp::floordiv: return run([](C x, C y) { return floordiv(x, y); });
    case BinaryOp::mod: return run([](C x, C y) { return modulo(x, y); });
    case BinaryOp::pow: return run([](C x, C y) { return power(x, y); });
    case BinaryOp::maximum: return run([](C x, C y) { return pick(true, x, y); });
    case BinaryOp::minimum: return run([](C x, C y) { return pick(false, x, y); });
    case BinaryOp::logical_and: return run([](C x, C y) { return x != C(0) && y != C(0); });
    case BinaryOp::logical_or: return run([](C x, C y) { return x != C(0) || y != C(0); });
    case BinaryOp::logical_xor: return run([](C x, C y) { return (x != C(0)) != (y != C(0)); });
  }
}

template <class C, class A, class B>
NDArray binary_typed(BinaryOp op, DType out_dt, const Shape& shape, A a, B b) {
  const std::int64_t n = shape_size(shape);
  auto buf = alloc(out_dt, n);
  if (is_predicate(op))
    binary_loop<C>(op, buf->mutable_as<std::uint8_t>().data(), n, a, b);
  else
    binary_loop<C>(op, buf->mutable_as<C>().data(), n, a, b);
  return NDArray(out_dt, shape, std::move(buf));
}

/// `a`'s elements as the storage type T of dtype `want`: the buffer itself
/// when no conversion is needed, else converted into `scratch`.
template <class T>
std::span<const T> as_type(const NDArray& a, DType want, std::vector<T>& scratch) {
  if (a.dtype() == want || (want == DType::uint8 && a.dtype() == DType::boolean)) return a.values<T>();
  scratch.resize(static_cast<std::size_t>(a.size()));
  visit_dtype(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    auto src = a.values<S>();
    for (std::size_t i = 0; i < scratch.size(); ++i) {
      if (want == DType::boolean) scratch[i] = static_cast<T>(src[i] != S(0));
      else scratch[i] = static_cast<T>(src[i]);
    }
  });
  return scratch;
}

/// The type the op computes in: the result's type for arithmetic, the
/// promoted operand type for comparisons, float64 for true division of
/// integers.
DType compute_type(BinaryOp op, DType a, DType b) noexcept {
  if (is_predicate(op)) return result_type(a, b);
  // bool // bool, bool % bool and bool ** bool compute in the integer result.
  return binary_result(op, a, b);
}

template <class I>
bool fits(std::int64_t v) noexcept {
  return v >= std::numeric_limits<I>::min() && v <= std::numeric_limits<I>::max();
}

}  // namespace

std::string_view binary_name(BinaryOp op) noexcept {
  static constexpr std::string_view names[] = {
      "add",      "sub", "mul", "div",     "lt",      "le",          "gt",         "ge",         "eq",
      "ne", "floordiv", "mod", "pow", "maximum", "minimum", "logical_and", "logical_or", "logical_xor"};
  return names[static_cast<int>(op)];
}
std::string_view unary_name(UnaryOp op) noexcept {
  static constexpr std::string_view names[] = {"neg", "abs", "sqrt", "exp",   "log",
                                               "sin", "cos", "tan",  "isnan", "logical_not"};
  return names[static_cast<int>(op)];
}

bool is_predicate(BinaryOp op) noexcept { return is_comparison(op) || is_logical(op); }

DType result_type(DType a, DType b) noexcept {
  if (a == b) return a;
  if (a == DType::boolean) return b;
  if (b == DType::boolean) return a;
  if (is_float(a) && is_float(b)) return DType::float64;
  if (is_float(a) || is_float(b)) {
    const DType f = is_float(a) ? a : b, i = is_float(a) ? b : a;
    // float32 holds uint8 exactly; wider integers need float64 (as NumPy).
    return f == DType::float32 && i == DType::uint8 ? DType::float32 : DType::float64;
  }
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;  // uint8 < int32 < int64
}

DType binary_result(BinaryOp op, DType a, DType b) noexcept {
  if (is_predicate(op)) return DType::boolean;
  if (op == BinaryOp::maximum || op == BinaryOp::minimum) return result_type(a, b);
  // NumPy gives int8 for bool // bool, bool % bool and bool ** bool; int32 is the narrowest signed type here.
  if ((op == BinaryOp::floordiv || op == BinaryOp::mod || op == BinaryOp::pow) && a == DType::boolean &&
      b == DType::boolean)
    return DType::int32;
  // bool + bool is logical or, bool * bool logical and, as NumPy.
  if (a == DType::boolean && b == DType::boolean && (op == BinaryOp::add || op == BinaryOp::mul))
    return DType::boolean;
  const DType t = result_type(a, b);
  if (op == BinaryOp::div && !is_float(t)) return DType::float64;
  return t;
}

void check_binary(BinaryOp op, DType a, DType b) {
  if (op == BinaryOp::sub && a == DType::boolean && b == DType::boolean)
    throw TypeError("numpy boolean subtract, the `-` operator, is not supported; use != instead");
}

DType unary_result(UnaryOp op, DType a) noexcept {
  if (op == UnaryOp::isnan || op == UnaryOp::logical_not) return DType::boolean;
  if (op != UnaryOp::neg && op != UnaryOp::abs) {
    if (is_float(a)) return a;
    // NumPy gives float16 for bool and uint8; float32 is the narrowest float here.
    return a == DType::boolean || a == DType::uint8 ? DType::float32 : DType::float64;
  }
  return a;
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

DType scalar_operand_dtype(DType array, const Value& s) {
  const DType kind = scalar_dtype(s);
  if (kind == DType::boolean) return DType::boolean;
  if (kind == DType::float64) return is_float(array) ? array : DType::float64;
  // An integer: the array's own kind when the value fits it (NumPy's value-based casting).
  if (is_float(array)) return array;
  const std::int64_t v = s.as_int();
  if (array == DType::uint8 && v >= 0 && v <= 255) return DType::uint8;
  if ((array == DType::uint8 || array == DType::int32) && fits<std::int32_t>(v)) return DType::int32;
  return DType::int64;
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
  check_binary(op, a.dtype(), b.dtype());
  const DType out = binary_result(op, a.dtype(), b.dtype());
  if (out == DType::boolean && !is_predicate(op))
    return astype(binary(op, astype(a, DType::int64), b), DType::boolean);
  const DType ct = compute_type(op, a.dtype(), b.dtype());
  return visit_dtype(ct, [&](auto tag) {
    using C = typename decltype(tag)::type;
    std::vector<C> sa, sb;
    auto x = as_type<C>(a, ct, sa);
    auto y = as_type<C>(b, ct, sb);
    return binary_typed<C>(op, out, a.shape(), [x](std::int64_t i) { return x[i]; },
                           [y](std::int64_t i) { return y[i]; });
  });
}

NDArray binary_scalar(BinaryOp op, const NDArray& a, const Value& s, bool reflected) {
  const DType sd = scalar_operand_dtype(a.dtype(), s);
  check_binary(op, a.dtype(), sd);
  const DType out = binary_result(op, a.dtype(), sd);
  if (out == DType::boolean && !is_predicate(op))
    return astype(binary_scalar(op, astype(a, DType::int64), s, reflected), DType::boolean);
  const DType ct = compute_type(op, a.dtype(), sd);
  return visit_dtype(ct, [&](auto tag) {
    using C = typename decltype(tag)::type;
    std::vector<C> scratch;
    auto x = as_type<C>(a, ct, scratch);
    C v;
    if (s.kind() == ValueKind::boolean) v = static_cast<C>(s.as_bool());
    else if (s.kind() == ValueKind::int64) v = static_cast<C>(s.as_int());
    else v = static_cast<C>(s.as_float());
    auto arr = [x](std::int64_t i) { return x[i]; };
    auto sca = [v](std::int64_t) { return v; };
    return reflected ? binary_typed<C>(op, out, a.shape(), sca, arr) : binary_typed<C>(op, out, a.shape(), arr, sca);
  });
}

NDArray unary(UnaryOp op, const NDArray& a) {
  const DType out = unary_result(op, a.dtype());
  const std::int64_t n = a.size();
  if (op == UnaryOp::isnan || op == UnaryOp::logical_not) {
    auto buf = alloc(DType::boolean, n);
    std::uint8_t* r = buf->mutable_as<std::uint8_t>().data();
    visit_dtype(a.dtype(), [&](auto tag) {
      using S = typename decltype(tag)::type;
      const auto x = a.values<S>();
      if (op == UnaryOp::isnan) for (std::int64_t i = 0; i < n; ++i) r[i] = x[i] != x[i];
      else for (std::int64_t i = 0; i < n; ++i) r[i] = x[i] == S(0);
    });
    return NDArray(DType::boolean, a.shape(), std::move(buf));
  }
  if (out == DType::boolean || (op == UnaryOp::abs && a.dtype() == DType::uint8)) return a;  // abs of bool / uint8
  auto buf = alloc(out, n);
  visit_dtype(out, [&](auto tag) {
    using C = typename decltype(tag)::type;
    std::vector<C> scratch;
    auto x = as_type<C>(a, out, scratch);
    C* r = buf->template mutable_as<C>().data();
    if constexpr (std::is_floating_point_v<C>) {
      switch (op) {
        case UnaryOp::neg: for (std::int64_t i = 0; i < n; ++i) r[i] = -x[i]; break;
        case UnaryOp::abs: for (std::int64_t i = 0; i < n; ++i) r[i] = std::fabs(x[i]); break;
        case UnaryOp::sqrt: for (std::int64_t i = 0; i < n; ++i) r[i] = std::sqrt(x[i]); break;
        case UnaryOp::exp: for (std::int64_t i = 0; i < n; ++i) r[i] = std::exp(x[i]); break;
        case UnaryOp::log: for (std::int64_t i = 0; i < n; ++i) r[i] = std::log(x[i]); break;
        case UnaryOp::sin: for (std::int64_t i = 0; i < n; ++i) r[i] = std::sin(x[i]); break;
        case UnaryOp::cos: for (std::int64_t i = 0; i < n; ++i) r[i] = std::cos(x[i]); break;
        case UnaryOp::tan: for (std::int64_t i = 0; i < n; ++i) r[i] = std::tan(x[i]); break;
        case UnaryOp::isnan:
        case UnaryOp::logical_not: break;  // handled above
      }
    } else {
      // Wrapping negation, as NumPy's (the minimum stays the minimum; -uint8 wraps).
      using U = std::make_unsigned_t<C>;
      for (std::int64_t i = 0; i < n; ++i) {
        const bool flip = op == UnaryOp::neg || x[i] < C(0);
        r[i] = flip ? static_cast<C>(static_cast<U>(U(0) - static_cast<U>(x[i]))) : x[i];
      }
    }
  });
  return NDArray(out, a.shape(), std::move(buf));
}

NDArray where(const NDArray& c, const NDArray& x, const NDArray& y) {
  if (c.shape() != x.shape() || x.shape() != y.shape())
    throw ValueError("array.where: blocks of different shapes");
  const DType out = result_type(x.dtype(), y.dtype());
  const NDArray cx = astype(c, DType::boolean), xx = astype(x, out), yy = astype(y, out);
  auto buf = alloc(out, x.size());
  const auto e = dtype_size(out);
  const auto cond = cx.values<std::uint8_t>();
  const std::byte* xs = xx.buffer()->data();
  const std::byte* ys = yy.buffer()->data();
  std::byte* r = buf->mutable_data();
  visit_dtype(out, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* xv = reinterpret_cast<const T*>(xs);
    const T* yv = reinterpret_cast<const T*>(ys);
    T* rv = reinterpret_cast<T*>(r);
    for (std::size_t i = 0; i < cond.size(); ++i) rv[i] = cond[i] ? xv[i] : yv[i];
  });
  (void)e;
  return NDArray(out, x.shape(), std::move(buf));
}

}  // namespace tessera::array::kernels

// Element-wise operations: each extends a fused expression (fused_expr.hpp),
// so a chain of element-wise steps is one task per block that reads only the
// source blocks.
#include <algorithm>
#include <optional>
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/creation.hpp"
#include "collections/array/fused_expr.hpp"

namespace tessera::array {
namespace {

std::string shape_repr(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + (s.size() == 1 ? ",)" : ")");
}

/// The result of broadcasting operands, as NumPy: shapes aligned on the
/// right, an extent of 1 stretches to the others'.
struct Broadcast {
  Shape shape;
  Chunks chunks;
  std::vector<std::vector<bool>> stretch;  // per operand, per result axis: its extent 1 is stretched
};

std::string shapes_repr(const std::vector<const Array*>& xs) {
  std::string r;
  for (const auto* x : xs) r += (r.empty() ? "" : " ") + shape_repr(x->shape());
  return r;
}

Broadcast broadcast(const std::string& opname, const std::vector<const Array*>& xs) {
  std::size_t nd = 0;
  for (const auto* x : xs) nd = std::max(nd, x->ndim());
  Broadcast r;
  r.stretch.assign(xs.size(), std::vector<bool>(nd, false));
  for (std::size_t k = 0; k < nd; ++k) {
    std::int64_t e = 1;
    for (const auto* x : xs) {
      const std::size_t pad = nd - x->ndim();
      const std::int64_t ex = k >= pad ? x->shape()[k - pad] : 1;
      if (ex == 1) continue;
      if (e != 1 && ex != e)
        throw ValueError(opname + ": operands could not be broadcast together with shapes " + shapes_repr(xs));
      e = ex;
    }
    // Differently chunked operands are rechunked to the common refinement first.
    std::optional<std::vector<std::int64_t>> chunks;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const std::size_t pad = nd - xs[i]->ndim();
      if (k < pad) continue;
      const std::int64_t ex = xs[i]->shape()[k - pad];
      r.stretch[i][k] = ex == 1 && e != 1;
      if (r.stretch[i][k]) continue;
      const auto& c = xs[i]->chunks()[k - pad];
      chunks = chunks ? common_chunks(*chunks, c) : c;
    }
    r.shape.push_back(e);
    r.chunks.push_back(chunks.value_or(std::vector<std::int64_t>{e}));
  }
  return r;
}

/// `x` rechunked to the result's chunks on the axes it is not stretched along.
Array unify(const Array& x, const Broadcast& r, const std::vector<bool>& stretched) {
  const std::size_t pad = r.shape.size() - x.ndim();
  Chunks want = x.chunks();
  for (std::size_t k = 0; k < x.ndim(); ++k)
    if (!stretched[pad + k]) want[k] = r.chunks[pad + k];
  return want == x.chunks() ? x : x.rechunk(want);
}

/// The operands' expressions, broadcast and merged, followed by `instruction`.
Array combine(const std::string& prefix, const std::vector<const Array*>& xs, Value instruction, DType dtype) {
  Broadcast r = broadcast(prefix, xs);
  const std::size_t nd = r.shape.size();
  std::optional<FusedExpr> e;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    FusedExpr ei = broadcast_expr(expr_of(unify(*xs[i], r, r.stretch[i])), xs[i]->ndim(), nd, r.stretch[i]);
    e = e ? merge_exprs(std::move(*e), ei) : std::move(ei);
  }
  e->program.push_back(std::move(instruction));
  return fused_array(prefix, std::move(*e), std::move(r.shape), std::move(r.chunks), dtype);
}

/// `a`'s expression followed by one instruction.
Array extend(const Array& a, std::string_view prefix, Value instruction, DType dtype) {
  FusedExpr e = expr_of(a);
  e.program.push_back(std::move(instruction));
  return fused_array(prefix, std::move(e), a.shape(), a.chunks(), dtype);
}

}  // namespace

Array elementwise(kernels::BinaryOp op, const Array& a, const Array& b) {
  const std::string opname(kernels::binary_name(op));
  kernels::check_binary(op, a.dtype(), b.dtype());
  return combine(opname, {&a, &b}, Value(ValueList{Value("binary"), Value(static_cast<std::int64_t>(op))}),
                 kernels::binary_result(op, a.dtype(), b.dtype()));
}

Array elementwise(kernels::BinaryOp op, const Array& a, const Value& s, bool reflected) {
  const DType sd = kernels::scalar_operand_dtype(a.dtype(), s);
  kernels::check_binary(op, a.dtype(), sd);
  if (op == kernels::BinaryOp::pow && !reflected && s.kind() == ValueKind::int64 && s.as_int() < 0 &&
      kernels::binary_result(op, a.dtype(), sd) != DType::float32 && kernels::binary_result(op, a.dtype(), sd) != DType::float64)
    throw ValueError("Integers to negative integer powers are not allowed.");
  return extend(a, std::string(reflected ? "r" : "") + std::string(kernels::binary_name(op)),
                Value(ValueList{Value("scalar"), Value(static_cast<std::int64_t>(op)), s, Value(reflected)}),
                kernels::binary_result(op, a.dtype(), sd));
}

Array elementwise(kernels::UnaryOp op, const Array& a) {
  if (op == kernels::UnaryOp::neg && a.dtype() == DType::boolean)
    throw TypeError("numpy boolean negative, the `-` operator, is not supported; use logical not");
  return extend(a, kernels::unary_name(op), Value(ValueList{Value("unary"), Value(static_cast<std::int64_t>(op))}),
                kernels::unary_result(op, a.dtype()));
}

Array abs(const Array& a) { return elementwise(kernels::UnaryOp::abs, a); }
Array sqrt(const Array& a) { return elementwise(kernels::UnaryOp::sqrt, a); }
Array exp(const Array& a) { return elementwise(kernels::UnaryOp::exp, a); }
Array log(const Array& a) { return elementwise(kernels::UnaryOp::log, a); }
Array sin(const Array& a) { return elementwise(kernels::UnaryOp::sin, a); }
Array cos(const Array& a) { return elementwise(kernels::UnaryOp::cos, a); }
Array tan(const Array& a) { return elementwise(kernels::UnaryOp::tan, a); }
Array isnan(const Array& a) { return elementwise(kernels::UnaryOp::isnan, a); }
Array logical_not(const Array& a) { return elementwise(kernels::UnaryOp::logical_not, a); }

Array where(const Array& c, const Array& x, const Array& y) {
  return combine("where", {&c, &x, &y}, Value(ValueList{Value("where")}), kernels::result_type(x.dtype(), y.dtype()));
}

Array where(const Array& c, const Array& x, const Value& y) { return where(c, x, full({}, y, 1)); }
Array where(const Array& c, const Value& x, const Array& y) { return where(c, full({}, x, 1), y); }
Array where(const Array& c, const Value& x, const Value& y) { return where(c, full({}, x, 1), full({}, y, 1)); }

Array clip(const Array& a, const Value& lo, const Value& hi) {
  return elementwise(kernels::BinaryOp::minimum, elementwise(kernels::BinaryOp::maximum, a, lo, false), hi, false);
}

Array Array::operator-() const { return elementwise(kernels::UnaryOp::neg, *this); }

Array Array::astype(DType dtype) const {
  if (dtype == dtype_) return *this;
  return extend(*this, "astype", Value(ValueList{Value("astype"), Value(std::string(dtype_name(dtype)))}), dtype);
}

}  // namespace tessera::array

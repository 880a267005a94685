// Element-wise operations: one task per block, each referencing the blocks
// it reads, so that chains of element-wise steps fuse into one task per block.
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/array_functions.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

/// A new array with `a`'s grid whose block idx is fn(inputs[k][idx]..., extra...).
Array blockwise(std::string_view prefix, const FunctionPtr& fn, const std::vector<const Array*>& inputs,
                const std::vector<Value>& extra, DType dtype) {
  Tokenizer t;
  t.add(fn->name);
  for (const auto* in : inputs) t.add(in->name());
  for (const auto& v : extra) t.add(v);
  const std::string name = std::string(prefix) + "-" + t.hex();
  const Array& first = *inputs.front();
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(first.chunks())) {
    ArgList args;
    for (const auto* in : inputs) args.emplace_back(in->block_key(idx));
    for (const auto& v : extra) args.emplace_back(v);
    tasks.push_back(TaskSpec{Key(name, idx), fn, std::move(args)});
  }
  std::vector<LayerPtr> deps;
  for (const auto* in : inputs) deps.push_back(in->layer());
  return Array(name, make_layer(name, std::move(tasks), std::move(deps)), first.shape(), first.chunks(),
               dtype);
}

}  // namespace

Array elementwise(kernels::BinaryOp op, const Array& a, const Array& b) {
  const std::string opname(kernels::binary_name(op));
  if (a.shape() != b.shape()) {
    auto repr = [](const Shape& s) {
      std::string r = "(";
      for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
      return r + (s.size() == 1 ? ",)" : ")");
    };
    throw ValueError(opname + ": operands could not be combined with shapes " + repr(a.shape()) + " " +
                     repr(b.shape()) + " (broadcasting is not implemented yet: shapes must be equal)");
  }
  if (a.chunks() != b.chunks())
    throw ValueError(opname + ": operands have different chunks " + chunks_repr(a.chunks()) + " and " +
                     chunks_repr(b.chunks()) + "; rechunk is not implemented yet, so build both "
                     "with the same chunks");
  kernels::check_binary(op, a.dtype(), b.dtype());
  return blockwise(opname, array_functions().of(op), {&a, &b}, {},
                   kernels::binary_result(op, a.dtype(), b.dtype()));
}

Array elementwise(kernels::BinaryOp op, const Array& a, const Value& s, bool reflected) {
  const DType sd = kernels::scalar_dtype(s);
  kernels::check_binary(op, a.dtype(), sd);
  const auto& fns = array_functions();
  const auto i = static_cast<int>(op);
  return blockwise(std::string(reflected ? "r" : "") + std::string(kernels::binary_name(op)),
                   reflected ? fns.rbinary_scalar[i] : fns.binary_scalar[i], {&a}, {s},
                   kernels::binary_result(op, a.dtype(), sd));
}

Array elementwise(kernels::UnaryOp op, const Array& a) {
  if (op == kernels::UnaryOp::neg && a.dtype() == DType::boolean)
    throw TypeError("numpy boolean negative, the `-` operator, is not supported; use logical not");
  return blockwise(kernels::unary_name(op), array_functions().of(op), {&a}, {},
                   kernels::unary_result(op, a.dtype()));
}

Array abs(const Array& a) { return elementwise(kernels::UnaryOp::abs, a); }
Array sqrt(const Array& a) { return elementwise(kernels::UnaryOp::sqrt, a); }
Array exp(const Array& a) { return elementwise(kernels::UnaryOp::exp, a); }

Array Array::operator-() const { return elementwise(kernels::UnaryOp::neg, *this); }

Array Array::astype(DType dtype) const {
  if (dtype == dtype_) return *this;
  return blockwise("astype", array_functions().astype, {this}, {Value(std::string(dtype_name(dtype)))},
                   dtype);
}

}  // namespace tessera::array

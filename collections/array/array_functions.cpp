#include "collections/array/array_functions.hpp"

#include "collections/array/arg_kernels.hpp"
#include "collections/array/blas_kernels.hpp"
#include "collections/array/file_kernels.hpp"
#include "collections/array/fused_kernels.hpp"
#include "collections/array/random_kernels.hpp"
#include "collections/array/scan_kernels.hpp"
#include "runtime/registry/registry.hpp"

namespace tessera::array {
namespace {

using namespace kernels;

template <class F>
FunctionPtr reg(const std::string& name, F f, std::string doc) {
  register_function(name, std::move(f), std::move(doc));
  return Registry::global().get(name);
}

ArrayFunctions make() {
  ArrayFunctions fns;
  for (int i = 0; i < binary_op_count; ++i) {
    const auto op = static_cast<BinaryOp>(i);
    const std::string n(binary_name(op));
    fns.binary[i] = reg("array." + n,
                        [op](const NDArray& a, const NDArray& b) { return binary(op, a, b); },
                        "block " + n + " block, element-wise (NumPy semantics)");
    fns.binary_scalar[i] = reg(
        "array." + n + "_scalar",
        [op](const NDArray& a, const Value& s) { return binary_scalar(op, a, s, false); },
        "block " + n + " scalar, element-wise");
    fns.rbinary_scalar[i] = reg(
        "array.r" + n + "_scalar",
        [op](const NDArray& a, const Value& s) { return binary_scalar(op, a, s, true); },
        "scalar " + n + " block, element-wise");
  }
  for (int i = 0; i < unary_op_count; ++i) {
    const auto op = static_cast<UnaryOp>(i);
    fns.unary[i] = reg("array." + std::string(unary_name(op)),
                       [op](const NDArray& a) { return unary(op, a); }, "element-wise");
  }
  fns.astype = reg("array.astype",
                   [](const NDArray& a, const std::string& dtype) { return astype(a, parse_dtype(dtype)); },
                   "the block converted to a dtype");
  fns.full = reg("array.full",
                 [](const std::vector<std::int64_t>& shape, const Value& fill, const std::string& dtype) {
                   return full(shape, fill, parse_dtype(dtype));
                 },
                 "a block of one value");
  fns.arange = reg("array.arange",
                   [](const Value& start, const Value& step, std::int64_t offset, std::int64_t n,
                      const std::string& dtype) { return arange(start, step, offset, n, parse_dtype(dtype)); },
                   "n values start + (offset + i) * step");
  fns.linspace = reg("array.linspace",
                     [](double start, double stop, std::int64_t num, bool endpoint, std::int64_t offset,
                        std::int64_t n) { return linspace(start, stop, num, endpoint, offset, n); },
                     "a block of NumPy's linspace");
  fns.getitem = reg("array.getitem",
                    [](const NDArray& a, const std::vector<std::int64_t>& start,
                       const std::vector<std::int64_t>& stop, const std::vector<std::int64_t>& step,
                       const std::vector<std::int64_t>& keep) {
                      return getitem(a, start, stop, step, std::vector<bool>(keep.begin(), keep.end()));
                    },
                    "a strided sub-block; axes whose keep is 0 are dropped");
  fns.reshape = reg("array.reshape",
                    [](const NDArray& a, const std::vector<std::int64_t>& shape) { return reshape(a, shape); },
                    "the block with another shape of equal size");
  for (int i = 0; i < 6; ++i) {
    const auto op = static_cast<ReduceOp>(i);
    const std::string n(reduce_name(op));
    fns.reduce_chunk[i] = reg("array." + n + "_chunk",
                              [op](const NDArray& a, std::int64_t axis) { return reduce(op, a, axis); },
                              n + " of a block along an axis (-1: all), axes kept");
    fns.reduce_combine[i] = reg("array." + n + "_combine",
                                [op](const std::vector<NDArray>& parts) { return combine(op, parts); },
                                n + " of a list of partials");
  }
  fns.mean_chunk = reg("array.mean_chunk", [](const NDArray& a, std::int64_t axis) { return mean_chunk(a, axis); },
                       "[count, sum] of a block");
  fns.mean_combine = reg("array.mean_combine", [](const ValueList& p) { return mean_combine(p); },
                         "[count, sum] of a list of partials");
  fns.mean_finalize = reg("array.mean_finalize",
                          [](const ValueList& p, const std::vector<std::int64_t>& shape) {
                            return mean_finalize(p, shape);
                          },
                          "sum / count, reshaped");
  fns.moment_chunk = reg("array.moment_chunk",
                         [](const NDArray& a, std::int64_t axis) { return moment_chunk(a, axis); },
                         "[count, mean, M2] of a block");
  fns.moment_combine = reg("array.moment_combine", [](const ValueList& p) { return moment_combine(p); },
                           "[count, mean, M2] of partials (Chan et al.)");
  fns.var_finalize = reg("array.var_finalize",
                         [](const ValueList& p, const std::vector<std::int64_t>& shape, std::int64_t ddof,
                            bool sqrt) { return var_finalize(p, shape, ddof, sqrt); },
                         "M2 / (count - ddof), its square root for std");
  fns.fused = reg("array.fused",
                  [](const ValueList& program, const AxesList& axes, const std::vector<NDArray>& blocks,
                     const std::vector<std::int64_t>& shape) { return eval_fused(program, axes, blocks, shape); },
                  "a fused element-wise program over blocks read through axis permutations");
  fns.fused_reduce = reg(
      "array.fused_reduce",
      [](const std::string& chunk, const std::string& combine, const ValueList& program, const AxesList& axes,
         const std::vector<NDArray>& blocks, const std::vector<std::int64_t>& shape, std::int64_t axis) {
        const auto& r = Registry::global();
        return reduce_fused(*r.get(chunk), *r.get(combine), program, axes, blocks, shape, axis);
      },
      "a reduction's chunk step over a fused program, tile by tile");
  fns.read_raw = reg("array.read_raw",
                     [](const std::string& path, const std::string& dtype, std::int64_t offset,
                        const std::vector<std::int64_t>& file_shape, const std::vector<std::int64_t>& start,
                        const std::vector<std::int64_t>& shape) {
                       return read_raw_block(path, parse_dtype(dtype), offset, file_shape, start, shape);
                     },
                     "a block of a raw little-endian file, reading only its own bytes");
  fns.random = reg("array.random",
                   [](const std::string& dist, std::uint64_t seed, const std::vector<std::int64_t>& shape,
                      const Value& a, const Value& b) { return random_block(parse_distribution(dist), seed, shape, a, b); },
                   "a block of seeded random numbers");
  for (int m = 0; m < 2; ++m) {
    const bool max = m == 1;
    const std::string n = max ? "argmax" : "argmin";
    fns.arg_chunk[m] = reg("array." + n + "_chunk",
                           [max](const NDArray& a, std::int64_t axis, const std::vector<std::int64_t>& origin,
                                 const std::vector<std::int64_t>& shape) { return arg_chunk(a, axis, max, origin, shape); },
                           "[values, indices] of a block's " + n);
    fns.arg_combine[m] = reg("array." + n + "_combine", [max](const ValueList& p) { return arg_combine(p, max); },
                             "[values, indices] of partials");
  }
  fns.arg_finalize = reg("array.arg_finalize",
                         [](const ValueList& p, const std::vector<std::int64_t>& shape) { return arg_finalize(p, shape); },
                         "the indices of an arg reduction, reshaped");
  fns.scan_block = reg("array.scan_block",
                       [](const NDArray& a, std::int64_t axis, bool prod) { return scan_block(a, axis, prod); },
                       "running sum or product of a block along an axis");
  fns.scan_carry = reg("array.scan_carry",
                       [](const Value& prev, const NDArray& s, std::int64_t axis, bool prod) {
                         return scan_carry(prev, s, axis, prod);
                       },
                       "the carry after a scanned block");
  fns.apply_carry = reg("array.apply_carry",
                        [](const NDArray& s, const NDArray& c, std::int64_t axis, bool prod) {
                          return apply_carry(s, c, axis, prod);
                        },
                        "a scanned block offset by its carry");
  fns.take = reg("array.take",
                 [](const NDArray& a, const std::vector<std::int64_t>& positions, std::int64_t axis) {
                   return take(a, positions, axis);
                 },
                 "a block's elements at positions along an axis");
  fns.assemble = reg("array.assemble",
                     [](const std::vector<NDArray>& pieces, const std::vector<std::vector<std::int64_t>>& sizes) {
                       return assemble(pieces, sizes);
                     },
                     "one block from a row-major grid of pieces");
  fns.matmul = reg("array.matmul",
                   [](const std::vector<NDArray>& a, const std::vector<NDArray>& b, bool trans_a, bool trans_b) {
                     return matmul_blocks(a, b, trans_a, trans_b);
                   },
                   "sum over k of op(A_k) @ op(B_k), through BLAS");
  return fns;
}

}  // namespace

const ArrayFunctions& array_functions() {
  static const ArrayFunctions fns = make();
  return fns;
}

}  // namespace tessera::array

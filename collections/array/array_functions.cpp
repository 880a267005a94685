#include "collections/array/array_functions.hpp"

#include "collections/array/arg_kernels.hpp"
#include "collections/array/blas_kernels.hpp"
#include "collections/array/creation.hpp"
#include "collections/array/file_kernels.hpp"
#include "collections/array/fused_kernels.hpp"
#include "collections/array/lapack_kernels.hpp"
#include "collections/array/random_kernels.hpp"
#include "collections/array/scan_kernels.hpp"
#include "collections/array/store.hpp"
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
                  [](const ValueList& program, const AxesList& axes, const ValueList& blocks,
                     const std::vector<std::int64_t>& shape) { return eval_fused(program, axes, blocks, shape); },
                  "a fused element-wise program over blocks read through axis permutations");
  fns.fused_reduce = reg(
      "array.fused_reduce",
      [](const std::string& chunk, const std::string& combine, const ValueList& program, const AxesList& axes,
         const ValueList& blocks, const std::vector<std::int64_t>& shape, std::int64_t axis) {
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
  fns.tensordot = reg("array.tensordot",
                      [](const std::vector<NDArray>& a, const std::vector<NDArray>& b, const std::vector<std::int64_t>& aa,
                         const std::vector<std::int64_t>& ba) { return tensordot_blocks(a, b, aa, ba); },
                      "sum over k of tensordot(A_k, B_k, axes), through BLAS");
  fns.qr_block = reg("array.qr_block", [](const NDArray& a) { return qr_block(a); }, "[Q, R] of a block (LAPACK)");
  fns.tsqr_stack = reg("array.tsqr_stack", [](const std::vector<ValueList>& p) { return tsqr_stack(p); },
                       "[Q2, R] of the row blocks' R factors stacked");
  fns.tsqr_q = reg("array.tsqr_q",
                   [](const ValueList& pair, const ValueList& stack, std::int64_t offset) {
                     return tsqr_q(pair, stack, offset);
                   },
                   "a row block of tsqr's Q: Q_i @ Q2[offset : offset + k_i]");
  fns.list_item = reg("array.list_item", [](const ValueList& l, std::int64_t i) { return list_item(l, i); },
                      "item i of a list");
  fns.svd_block = reg("array.svd_block", [](const NDArray& a) { return svd_block(a); }, "[U, S, Vt] of a block (LAPACK)");
  fns.cholesky_diag = reg("array.cholesky_diag",
                          [](const NDArray& a, const std::vector<NDArray>& l) { return cholesky_diag(a, l); },
                          "a diagonal block of a blocked Cholesky factor");
  fns.cholesky_offdiag = reg("array.cholesky_offdiag",
                             [](const NDArray& a, const std::vector<NDArray>& lij, const std::vector<NDArray>& lkj,
                                const NDArray& lkk) { return cholesky_offdiag(a, lij, lkj, lkk); },
                             "a block below the diagonal of a blocked Cholesky factor");
  fns.lu_factor = reg("array.lu_factor", [](const NDArray& a) { return lu_factor(a); }, "[LU, pivots] of a block");
  fns.lu_solve = reg("array.lu_solve", [](const ValueList& lu, const NDArray& b) { return lu_solve(lu, b); },
                     "X with A X = B from A's LU factors");
  fns.lstsq_small = reg("array.lstsq_small",
                        [](const NDArray& r, const NDArray& qtb, std::int64_t m) { return lstsq_small(r, qtb, m); },
                        "[x, rank, s] of least squares from R and Q^T b");
  fns.eye = reg("array.eye",
                [](const std::vector<std::int64_t>& shape, std::int64_t row0, std::int64_t col0, std::int64_t k,
                   const std::string& dtype) { return eye_block(shape, row0, col0, k, parse_dtype(dtype)); },
                "a block of numpy.eye");
  fns.indices = reg("array.indices",
                    [](const std::vector<std::int64_t>& origin, const std::vector<std::int64_t>& shape, std::int64_t axis,
                       const std::string& dtype) { return indices_block(origin, shape, axis, parse_dtype(dtype)); },
                    "a block of numpy.indices' grid for one axis");
  fns.npy_create = reg("array.npy_create",
                       [](const std::string& path, const std::string& dtype, const std::vector<std::int64_t>& shape) {
                         return npy_create(path, parse_dtype(dtype), shape);
                       },
                       "a .npy file's header and room for its data; the data offset");
  fns.npy_write_block = reg("array.npy_write_block",
                            [](const std::string& path, std::int64_t offset, const std::vector<std::int64_t>& shape,
                               const std::vector<std::int64_t>& start, const NDArray& block) {
                              return npy_write_block(path, offset, shape, start, block);
                            },
                            "a block written into its byte ranges of a .npy file");
  fns.npy_check = reg("array.npy_check",
                      [](const std::string& path, std::int64_t offset, std::int64_t expected,
                         const std::vector<std::int64_t>& written) { return npy_check(path, offset, expected, written); },
                      "every byte of a .npy file written");
  return fns;
}

}  // namespace

const ArrayFunctions& array_functions() {
  static const ArrayFunctions fns = make();
  return fns;
}

}  // namespace tessera::array

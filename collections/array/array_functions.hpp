#pragma once
// The registered built-ins that array tasks call, by stable name ("array.add",
// "array.sum_chunk", ...), so that any worker process can run them.
//
// tessera_collections is a static library: a static initialiser in a file
// nothing references would be dropped by the linker. So registration happens
// on the first call of array_functions(), which every Array operation makes.
// Thread-safety: array_functions() may be called from any thread.
#include <array>

#include "collections/array/kernels.hpp"
#include "runtime/registry/function.hpp"

namespace tessera::array {

struct ArrayFunctions {
  std::array<FunctionPtr, kernels::binary_op_count> binary;          // "array.add" ... (block, block)
  std::array<FunctionPtr, kernels::binary_op_count> binary_scalar;   // "array.add_scalar" ... (block, scalar)
  std::array<FunctionPtr, kernels::binary_op_count> rbinary_scalar;  // "array.radd_scalar" ...: scalar op block
  std::array<FunctionPtr, kernels::unary_op_count> unary;            // "array.neg", "array.abs", ...
  FunctionPtr astype;                         // (block, dtype name)
  FunctionPtr full, arange, linspace;         // block creation
  FunctionPtr getitem, reshape;
  std::array<FunctionPtr, 6> reduce_chunk;    // "array.sum_chunk" ... (block, axis or -1)
  std::array<FunctionPtr, 6> reduce_combine;  // "array.sum_combine" ... (list of partials)
  FunctionPtr mean_chunk, mean_combine, mean_finalize;
  FunctionPtr moment_chunk, moment_combine, var_finalize;
  FunctionPtr fused;                          // (program, leaf axes, [blocks], block shape) -> block
  FunctionPtr fused_reduce;                   // (chunk name, combine name, program, leaf axes, [blocks], shape, axis)
  FunctionPtr read_raw;                       // a block of a raw binary file
  FunctionPtr random;                         // a block of random numbers
  std::array<FunctionPtr, 2> arg_chunk;      // "array.argmin_chunk", "array.argmax_chunk" (block, axis, origin, shape)
  std::array<FunctionPtr, 2> arg_combine;    // "array.argmin_combine", "array.argmax_combine"
  FunctionPtr arg_finalize;                  // (partial, shape) -> indices
  FunctionPtr scan_block, scan_carry, apply_carry;  // cumsum / cumprod
  FunctionPtr take;                          // (block, local positions, axis)
  FunctionPtr assemble;                       // ([pieces], sizes per axis) -> block (rechunk)
  FunctionPtr matmul;                         // ([A blocks], [B blocks], trans a, trans b) -> sum of products
  FunctionPtr tensordot;                      // ([A blocks], [B blocks], a axes, b axes) -> sum of products
  // Factorizations (lapack_kernels.hpp).
  FunctionPtr qr_block, tsqr_stack, tsqr_q, list_item, svd_block;
  FunctionPtr cholesky_diag, cholesky_offdiag, lu_factor, lu_solve, lstsq_small;
  FunctionPtr eye, indices;                   // creation.hpp's block kernels
  FunctionPtr npy_create, npy_write_block, npy_check;  // store.hpp

  const FunctionPtr& of(kernels::BinaryOp op) const { return binary[static_cast<int>(op)]; }
  const FunctionPtr& of(kernels::UnaryOp op) const { return unary[static_cast<int>(op)]; }
};

/// Registers the array built-ins in Registry::global() on the first call
/// and returns them.
const ArrayFunctions& array_functions();

}  // namespace tessera::array

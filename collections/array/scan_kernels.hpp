#pragma once
// cumsum / cumprod along an axis, block by block: each block is scanned on
// its own, then offset by the carry of the blocks before it along the axis
// (the running total of their last slices).
#include <cstdint>

#include "runtime/value/ndarray.hpp"
#include "runtime/value/value.hpp"

namespace tessera::array::kernels {

/// NumPy's dtype of cumsum/cumprod: float32 and float64 kept, integers and bool int64.
DType scan_result(DType a) noexcept;
/// The running sum (or product) of `a` along `axis`, in scan_result's dtype.
NDArray scan_block(const NDArray& a, std::int64_t axis, bool prod);
/// The carry after a block: `previous` (none for the first block) combined
/// with the last slice along `axis` of the scanned block (axis kept as 1).
NDArray scan_carry(const Value& previous, const NDArray& scanned, std::int64_t axis, bool prod);
/// The scanned block offset by the carry of the blocks before it.
NDArray apply_carry(const NDArray& scanned, const NDArray& carry, std::int64_t axis, bool prod);

}  // namespace tessera::array::kernels

#pragma once
// argmin / argmax as a chunk -> combine -> finalize reduction. A partial is
// [values, indices] (reduced axes kept as 1): the extreme value in the
// array's own dtype and its index, global along the axis, or the flat index
// in the whole array when every axis is reduced. The first NaN wins and ties
// go to the smaller index, as NumPy's.
#include <cstdint>
#include <vector>

#include "runtime/value/ndarray.hpp"
#include "runtime/value/value.hpp"

namespace tessera::array::kernels {

/// `origin`: the block's first element in the array of `shape`.
ValueList arg_chunk(const NDArray& a, std::int64_t axis, bool max, const std::vector<std::int64_t>& origin,
                    const Shape& shape);
ValueList arg_combine(const ValueList& partials, bool max);
/// The indices (int64) with the output block's shape.
NDArray arg_finalize(const ValueList& partial, const Shape& shape);

}  // namespace tessera::array::kernels

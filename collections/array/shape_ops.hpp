#pragma once
// Shape operations that move no data until a block is read: swapaxes,
// expand_dims and squeeze re-map the axes of a fused expression;
// concatenate and stack re-use the operands' blocks under new keys.
#include <vector>

#include "collections/array/array.hpp"

namespace tessera::array {

/// a with axes i and j exchanged (numpy.swapaxes).
Array swapaxes(const Array& a, std::int64_t i, std::int64_t j);
/// a with a new axis of extent 1 at `axis` (numpy.expand_dims; negative
/// counts from the end of the result).
Array expand_dims(const Array& a, std::int64_t axis);
/// a without its axes of extent 1 (or only `axes`, which must have extent 1).
Array squeeze(const Array& a, const std::vector<std::int64_t>& axes = {});
/// The arrays joined along an existing axis (numpy.concatenate): equal
/// shapes elsewhere (ValueError otherwise), chunks unified, dtypes promoted.
Array concatenate(const std::vector<Array>& arrays, std::int64_t axis = 0);
/// The arrays joined along a new axis (numpy.stack): equal shapes.
Array stack(const std::vector<Array>& arrays, std::int64_t axis = 0);

/// The same elements (row-major order) in another shape (numpy.reshape); one
/// extent may be -1 (inferred). The array is first rechunked so that each
/// block is a run of whole rows of both shapes: blocks along the first axis
/// only, of a multiple of lcm(row sizes) elements (a single block when that
/// is larger than the array); then each block is reshaped on its own.
/// Throws ValueError when the sizes differ or more than one extent is -1.
Array reshape(const Array& a, Shape shape);

}  // namespace tessera::array

// Transposes: a permutation of the leaves' axes of a fused expression, so no
// block is copied until something reads it (and BLAS reads it transposed).
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/fused_expr.hpp"

namespace tessera::array {

Array Array::transpose(const std::vector<std::int64_t>& axes_in) const {
  const std::size_t nd = ndim();
  std::vector<std::int64_t> axes;
  if (axes_in.empty()) {
    for (std::size_t k = nd; k-- > 0;) axes.push_back(static_cast<std::int64_t>(k));
  } else {
    if (axes_in.size() != nd)
      throw ValueError("transpose: axes don't match array (" + std::to_string(axes_in.size()) +
                       " axes given for an array of dimension " + std::to_string(nd) + ")");
    std::vector<bool> seen(nd, false);
    for (auto a : axes_in) {
      const auto k = normalize_axis(a, nd);
      if (seen[static_cast<std::size_t>(k)]) throw ValueError("transpose: repeated axis " + std::to_string(a));
      seen[static_cast<std::size_t>(k)] = true;
      axes.push_back(k);
    }
  }
  bool identity = true;
  for (std::size_t k = 0; k < nd; ++k) identity = identity && axes[k] == static_cast<std::int64_t>(k);
  if (identity) return *this;
  Shape shape;
  Chunks chunks;
  for (auto a : axes) {
    shape.push_back(shape_[static_cast<std::size_t>(a)]);
    chunks.push_back(chunks_[static_cast<std::size_t>(a)]);
  }
  return fused_array("transpose", transpose_expr(expr_of(*this), axes), std::move(shape), std::move(chunks),
                     dtype_);
}

}  // namespace tessera::array

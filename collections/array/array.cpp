#include "collections/array/array.hpp"

#include "runtime/util/error.hpp"

namespace tessera::array {

Array::Array(std::string name, LayerPtr layer, Shape shape, Chunks chunks, DType dtype,
             std::shared_ptr<const FusedExpr> expr)
    : name_(std::move(name)), layer_(std::move(layer)), shape_(std::move(shape)),
      chunks_(normalize_chunks(ChunkSpec(std::move(chunks)), shape_)), dtype_(dtype), expr_(std::move(expr)) {}

std::vector<Key> Array::keys() const {
  std::vector<Key> out;
  for (const auto& idx : block_indices(chunks_)) out.push_back(block_key(idx));
  return out;
}

NDArray Array::compute(const ComputeOptions& options) const {
  const auto indices = block_indices(chunks_);
  const auto ks = keys();
  const auto values = get_executor(options.scheduler)->compute(graph(), ks);
  std::vector<std::vector<std::int64_t>> offs;
  for (const auto& c : chunks_) offs.push_back(offsets(c));
  auto buf = make_buffer(static_cast<std::size_t>(nbytes()));
  for (std::size_t b = 0; b < indices.size(); ++b) {
    const NDArray& block = values[b].as_ndarray();
    const Shape want = block_shape(chunks_, indices[b]);
    if (block.shape() != want || block.dtype() != dtype_)
      throw Error("array " + name_ + ": block " + ks[b].str() + " is " +
                  std::string(dtype_name(block.dtype())) + " of " + std::to_string(block.ndim()) +
                  " dimensions, not the " + std::string(dtype_name(dtype_)) + " block its chunks describe");
    std::vector<std::int64_t> origin;
    for (std::size_t a = 0; a < shape_.size(); ++a) origin.push_back(offs[a][indices[b][a]]);
    kernels::place_block(buf->mutable_data(), shape_, block, origin);
  }
  return NDArray(dtype_, shape_, std::move(buf));
}

std::int64_t normalize_axis(std::int64_t axis, std::size_t ndim) {
  const auto n = static_cast<std::int64_t>(ndim);
  if (axis < -n || axis >= n)
    throw ValueError("axis " + std::to_string(axis) + " is out of bounds for array of dimension " +
                     std::to_string(ndim));
  return axis < 0 ? axis + n : axis;
}

}  // namespace tessera::array

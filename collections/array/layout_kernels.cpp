#include "collections/array/kernels.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "collections/array/kernel_util.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

using namespace detail;

}  // namespace

NDArray getitem(const NDArray& a, const std::vector<std::int64_t>& start,
                const std::vector<std::int64_t>& stop, const std::vector<std::int64_t>& step,
                const std::vector<bool>& keep) {
  const std::size_t nd = a.ndim();
  if (start.size() != nd || stop.size() != nd || step.size() != nd || keep.size() != nd)
    throw ValueError("array.getitem: " + std::to_string(nd) + " ranges needed");
  const std::size_t e = dtype_size(a.dtype());
  Shape counts(nd), out_shape;
  std::vector<std::int64_t> stride(nd, 1);
  for (std::size_t k = nd; k-- > 0;) {
    if (step[k] == 0) throw ValueError("array.getitem: step 0 on axis " + std::to_string(k));
    if (step[k] > 0) {
      counts[k] = stop[k] > start[k] ? (stop[k] - start[k] + step[k] - 1) / step[k] : 0;
    } else {
      counts[k] = start[k] > stop[k] ? (start[k] - stop[k] - step[k] - 1) / -step[k] : 0;
    }
    const std::int64_t first = start[k], last = start[k] + (counts[k] - 1) * step[k];
    if (counts[k] > 0 && (std::min(first, last) < 0 || std::max(first, last) >= a.shape()[k]))
      throw ValueError("array.getitem: range out of the block on axis " + std::to_string(k));
    if (k + 1 < nd) stride[k] = stride[k + 1] * a.shape()[k + 1];
  }
  for (std::size_t k = 0; k < nd; ++k)
    if (keep[k]) out_shape.push_back(counts[k]);
  const std::int64_t total = shape_size(counts);
  auto buf = alloc(a.dtype(), total);
  if (total == 0) return NDArray(a.dtype(), out_shape, std::move(buf));
  const std::byte* src = a.buffer()->data();
  std::byte* dst = buf->mutable_data();
  if (nd == 0) {
    std::memcpy(dst, src, e);
    return NDArray(a.dtype(), out_shape, std::move(buf));
  }
  const std::size_t last = nd - 1;
  std::vector<std::int64_t> idx(nd, 0);
  while (true) {
    std::int64_t off = 0;
    for (std::size_t k = 0; k < last; ++k) off += (start[k] + idx[k] * step[k]) * stride[k];
    off += start[last];
    if (step[last] == 1) {
      std::memcpy(dst, src + off * e, static_cast<std::size_t>(counts[last]) * e);
      dst += counts[last] * e;
    } else {
      for (std::int64_t i = 0; i < counts[last]; ++i, dst += e)
        std::memcpy(dst, src + (off + i * step[last]) * e, e);
    }
    std::size_t k = last;
    while (k > 0) {
      --k;
      if (++idx[k] < counts[k]) break;
      idx[k] = 0;
      if (k == 0) return NDArray(a.dtype(), out_shape, std::move(buf));
    }
    if (last == 0) return NDArray(a.dtype(), out_shape, std::move(buf));
  }
}

NDArray reshape(const NDArray& a, Shape shape) {
  if (shape_size(shape) != a.size())
    throw ValueError("array.reshape: cannot reshape " + std::to_string(a.size()) + " elements");
  return NDArray(a.dtype(), std::move(shape), a.buffer());
}

void place_block(std::byte* out, const Shape& out_shape, const NDArray& block,
                 const std::vector<std::int64_t>& origin) {
  const std::size_t nd = out_shape.size();
  const std::size_t e = dtype_size(block.dtype());
  if (block.size() == 0) return;
  if (nd == 0) {
    std::memcpy(out, block.buffer()->data(), e);
    return;
  }
  std::vector<std::int64_t> stride(nd, 1);
  for (std::size_t k = nd - 1; k-- > 0;) stride[k] = stride[k + 1] * out_shape[k + 1];
  const Shape& bs = block.shape();
  const std::size_t row = static_cast<std::size_t>(bs[nd - 1]) * e;
  const std::byte* src = block.buffer()->data();
  std::vector<std::int64_t> idx(nd, 0);
  while (true) {
    std::int64_t off = origin[nd - 1];
    for (std::size_t k = 0; k + 1 < nd; ++k) off += (origin[k] + idx[k]) * stride[k];
    std::memcpy(out + off * static_cast<std::int64_t>(e), src, row);
    src += row;
    std::size_t k = nd - 1;
    while (k > 0) {
      --k;
      if (++idx[k] < bs[k]) break;
      idx[k] = 0;
      if (k == 0) return;
    }
    if (nd == 1) return;
  }
}
NDArray take(const NDArray& a, const std::vector<std::int64_t>& positions, std::int64_t axis) {
  if (axis < 0 || axis >= static_cast<std::int64_t>(a.ndim()))
    throw ValueError("array.take: axis " + std::to_string(axis) + " out of range");
  const auto k = static_cast<std::size_t>(axis);
  std::int64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < k; ++d) outer *= a.shape()[d];
  for (std::size_t d = k + 1; d < a.ndim(); ++d) inner *= a.shape()[d];
  const std::int64_t len = a.shape()[k], n = static_cast<std::int64_t>(positions.size());
  const std::size_t e = dtype_size(a.dtype()), row = static_cast<std::size_t>(inner) * e;
  Shape shape = a.shape();
  shape[k] = n;
  auto buf = alloc(a.dtype(), outer * n * inner);
  const std::byte* src = a.buffer()->data();
  std::byte* dst = buf->mutable_data();
  for (std::int64_t o = 0; o < outer; ++o)
    for (auto p : positions) {
      if (p < 0 || p >= len) throw ValueError("array.take: position " + std::to_string(p) + " out of the block");
      if (row) std::memcpy(dst, src + static_cast<std::size_t>((o * len + p) * inner) * e, row);
      dst += row;
    }
  return NDArray(a.dtype(), std::move(shape), std::move(buf));
}

NDArray assemble(const std::vector<NDArray>& pieces, const std::vector<std::vector<std::int64_t>>& sizes) {
  if (pieces.empty()) throw ValueError("array.assemble: no pieces");
  Shape shape;
  std::vector<std::vector<std::int64_t>> origin;
  std::size_t count = 1;
  for (const auto& axis : sizes) {
    std::vector<std::int64_t> o{0};
    for (auto x : axis) o.push_back(o.back() + x);
    shape.push_back(o.back());
    origin.push_back(std::move(o));
    count *= axis.size();
  }
  if (count != pieces.size())
    throw ValueError("array.assemble: " + std::to_string(pieces.size()) + " pieces for a grid of " + std::to_string(count));
  const DType dtype = pieces.front().dtype();
  auto buf = alloc(dtype, shape_size(shape));
  std::vector<std::int64_t> cell(sizes.size(), 0);
  for (const auto& piece : pieces) {
    std::vector<std::int64_t> at;
    Shape want;
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      at.push_back(origin[k][static_cast<std::size_t>(cell[k])]);
      want.push_back(sizes[k][static_cast<std::size_t>(cell[k])]);
    }
    if (piece.shape() != want || piece.dtype() != dtype)
      throw ValueError("array.assemble: a piece does not fit its place in the grid");
    place_block(buf->mutable_data(), shape, piece, at);
    for (std::size_t k = sizes.size(); k-- > 0;) {  // next cell, row-major
      if (++cell[k] < static_cast<std::int64_t>(sizes[k].size())) break;
      cell[k] = 0;
    }
  }
  return NDArray(dtype, std::move(shape), std::move(buf));
}

}  // namespace tessera::array::kernels

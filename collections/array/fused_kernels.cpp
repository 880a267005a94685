#include "collections/array/fused_kernels.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "collections/array/kernels.hpp"
#include "collections/array/random_kernels.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::kernels {

namespace {

std::vector<std::int64_t> int_vector(const Value& v, const char* what) {
  std::vector<std::int64_t> out;
  for (const auto& d : v.as_list()) {
    if (d.as_int() < 0) throw ValueError(std::string("array.fused: a negative ") + what);
    out.push_back(d.as_int());
  }
  return out;
}

bool tagged(const ValueList* l, const char* tag, std::size_t size) {
  return l && l->size() == size && l->at(0).kind() == ValueKind::string && l->at(0).as_string() == tag;
}

/// Row-major element strides of `shape`.
std::vector<std::int64_t> row_major_strides(const Shape& shape) {
  std::vector<std::int64_t> stride(shape.size(), 1);
  for (std::size_t k = shape.size(); k-- > 1;) stride[k - 1] = stride[k] * shape[k];
  return stride;
}

LeafBlock file_leaf(const ValueList& l) {
  LeafBlock leaf;
  leaf.source = LeafBlock::Source::file;
  const std::string& path = l.at(1).as_string();
  leaf.dtype = parse_dtype(l.at(2).as_string());
  const std::int64_t offset = l.at(3).as_int();
  const Shape file_shape = int_vector(l.at(4), "file extent");
  const auto start = int_vector(l.at(5), "block start");
  leaf.inline_shape = int_vector(l.at(6), "block extent");
  const std::size_t nd = file_shape.size();
  if (start.size() != nd || leaf.inline_shape.size() != nd || offset < 0)
    throw ValueError("array.fused: a file block of " + std::to_string(leaf.inline_shape.size()) +
                     " axes in an array of " + std::to_string(nd));
  for (std::size_t k = 0; k < nd; ++k)
    if (start[k] + leaf.inline_shape[k] > file_shape[k])
      throw ValueError("array.fused: a file block out of the array on axis " + std::to_string(k));
  leaf.strides = row_major_strides(file_shape);
  const auto e = static_cast<std::int64_t>(dtype_size(leaf.dtype));
  std::int64_t first = 0, last = 0;
  for (std::size_t k = 0; k < nd; ++k) {
    first += start[k] * leaf.strides[k];
    last += (start[k] + leaf.inline_shape[k] - 1) * leaf.strides[k];
  }
  const std::int64_t length = shape_size(leaf.inline_shape) == 0 ? 0 : (last - first + 1) * e;
  leaf.map = std::make_shared<const MappedRange>(path, offset + first * e, length);
  return leaf;
}

}  // namespace

LeafBlock LeafBlock::of(const Value& v) {
  LeafBlock leaf;
  if (v.kind() == ValueKind::ndarray) {
    leaf.array = v.as_ndarray();
    return leaf;
  }
  const ValueList* l = v.kind() == ValueKind::list ? &v.as_list() : nullptr;
  if (tagged(l, file_tag, 7)) return file_leaf(*l);
  if (!tagged(l, generator_tag, 5))
    throw ValueError("array.fused: a leaf is neither a block, a generator nor a file block: " + v.repr(120));
  leaf.source = Source::generated;
  leaf.seed = static_cast<std::uint64_t>(l->at(1).as_int());
  leaf.low = l->at(2).as_float();
  leaf.high = l->at(3).as_float();
  leaf.inline_shape = int_vector(l->at(4), "generated extent");
  return leaf;
}

std::vector<LeafBlock> leaf_blocks(const ValueList& values) {
  std::vector<LeafBlock> out;
  out.reserve(values.size());
  for (const auto& v : values) out.push_back(LeafBlock::of(v));
  return out;
}

namespace {

constexpr std::int64_t tile_elements = 32768;

/// Checks that `block` read through `axes` gives blocks of shape `out`.
void check_fits(const Shape& block, const std::vector<std::int64_t>& axes, const Shape& out) {
  if (axes.size() != out.size())
    throw ValueError("array.fused: " + std::to_string(axes.size()) + " axes for a block of " +
                     std::to_string(out.size()) + " dimensions");
  std::vector<bool> read(block.size(), false);
  for (std::size_t k = 0; k < axes.size(); ++k) {
    if (axes[k] < 0) continue;
    const auto src = static_cast<std::size_t>(axes[k]);
    if (src >= block.size() || read[src] || block[src] != out[k])
      throw ValueError("array.fused: a block does not fit the output's axis " + std::to_string(k));
    read[src] = true;
  }
  for (std::size_t src = 0; src < read.size(); ++src)
    if (!read[src] && block[src] != 1)
      throw ValueError("array.fused: a block's unread axis " + std::to_string(src) + " has extent " +
                       std::to_string(block[src]));
}

/// out[i][j] = src[j][r0 + i] for i < rows, j < cols (src has `cols` rows of `n` elements).
/// In 8 x 8 squares: each reads 8 runs of 8 contiguous source elements and
/// writes 8 runs of 8, so loads and stores stream instead of striding one
/// element per source row (which was latency-bound).
template <class T>
void transpose_rows(const T* src, std::int64_t n, std::int64_t r0, std::int64_t rows, std::int64_t cols, T* out) {
  constexpr std::int64_t b = 8;
  const std::int64_t rows8 = rows - rows % b, cols8 = cols - cols % b;
  // The source rows are a block's width apart, which no hardware prefetcher
  // follows: fetch the runs of the source rows `ahead` rows further on.
  constexpr std::int64_t ahead = 32, line = 64 / sizeof(T);
  for (std::int64_t j0 = 0; j0 < cols8; j0 += b) {
    for (std::int64_t j = j0 + ahead; j < std::min(cols, j0 + ahead + b); ++j)
      for (std::int64_t i = 0; i < rows; i += line) __builtin_prefetch(src + j * n + r0 + i);
    for (std::int64_t i0 = 0; i0 < rows8; i0 += b) {
      T square[b][b];
      for (std::int64_t j = 0; j < b; ++j) {
        const T* s = src + (j0 + j) * n + r0 + i0;
        for (std::int64_t i = 0; i < b; ++i) square[i][j] = s[i];
      }
      for (std::int64_t i = 0; i < b; ++i) {
        T* o = out + (i0 + i) * cols + j0;
        for (std::int64_t j = 0; j < b; ++j) o[j] = square[i][j];
      }
    }
    for (std::int64_t i = rows8; i < rows; ++i)
      for (std::int64_t j = j0; j < j0 + b; ++j) out[i * cols + j] = src[j * n + r0 + i];
  }
  for (std::int64_t j = cols8; j < cols; ++j)
    for (std::int64_t i = 0; i < rows; ++i) out[i * cols + j] = src[j * n + r0 + i];
}

/// Calls run(off) for every run along the last axis of an output tile of
/// shape out[0..nd) whose rows start at r0, in row-major order, where off is
/// the run's first source element (per-axis source strides; idx: nd scratch).
template <class Run>
void for_each_run(const std::int64_t* out, const std::int64_t* stride, std::size_t nd, std::int64_t r0,
                  std::int64_t* idx, Run&& run) {
  for (std::size_t k = 0; k < nd; ++k) idx[k] = 0;
  while (true) {
    std::int64_t off = r0 * stride[0];
    for (std::size_t k = 0; k + 1 < nd; ++k) off += idx[k] * stride[k];
    run(off);
    std::size_t k = nd - 1;
    while (k-- > 0) {
      if (++idx[k] < out[k]) break;
      idx[k] = 0;
      if (k == 0) return;
    }
    if (nd == 1) return;
  }
}

/// A read of rows [r0, r0 + out[0]) of a block through per-axis element
/// strides into a fresh row-major tile. Plain data and no allocation, so
/// that a read of mapped memory can run guarded (runtime/util/mapped_range.hpp).
struct StridedRead {
  const std::byte* src;        // the block's first element
  std::size_t elem;            // element size in bytes
  const std::int64_t* stride;  // source elements per step of each output axis (0 broadcasts)
  const std::int64_t* out;     // the tile's shape
  std::size_t nd;
  std::int64_t r0;
  std::int64_t* idx;  // nd scratch indices
  std::byte* dst;
};

template <class T>
void read_strided(const StridedRead& r) {
  const T* src = reinterpret_cast<const T*>(r.src);
  T* dst = reinterpret_cast<T*>(r.dst);
  const std::size_t nd = r.nd;
  if (nd == 0) {
    *dst = *src;
    return;
  }
  if (nd == 2 && r.stride[0] == 1 && r.stride[1] > 1) {
    transpose_rows(src, r.stride[1], r.r0, r.out[0], r.out[1], dst);
    return;
  }
  const std::int64_t inner = r.out[nd - 1], inner_stride = r.stride[nd - 1];
  for_each_run(r.out, r.stride, nd, r.r0, r.idx, [&](std::int64_t off) {
    if (inner_stride == 1) {
      std::memcpy(dst, src + off, static_cast<std::size_t>(inner) * sizeof(T));
      dst += inner;
    } else {
      for (std::int64_t i = 0; i < inner; ++i) *dst++ = src[off + i * inner_stride];
    }
  });
}

void read_strided_any(void* context) {
  const auto& r = *static_cast<const StridedRead*>(context);
  switch (r.elem) {
    case 1: read_strided<std::uint8_t>(r); break;
    case 4: read_strided<std::uint32_t>(r); break;
    default: read_strided<std::uint64_t>(r); break;
  }
}

/// Per output axis, the source stride of a block with element `strides`
/// read through `axes`.
std::vector<std::int64_t> axis_strides(const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& axes) {
  std::vector<std::int64_t> out(axes.size(), 0);
  for (std::size_t k = 0; k < axes.size(); ++k)
    if (axes[k] >= 0) out[k] = strides[static_cast<std::size_t>(axes[k])];
  return out;
}

/// The tile shape of rows [r0, r1) of `out_shape`.
Shape tile_shape(const Shape& out_shape, std::int64_t r0, std::int64_t r1) {
  Shape out = out_shape;
  if (!out.empty()) out[0] = r1 - r0;
  return out;
}

bool is_identity(const std::vector<std::int64_t>& axes, std::size_t ndim) {
  if (axes.size() != ndim) return false;
  for (std::size_t k = 0; k < axes.size(); ++k)
    if (axes[k] != static_cast<std::int64_t>(k)) return false;
  return true;
}

void check_leaves(const AxesList& axes, const std::vector<LeafBlock>& blocks, const Shape& shape) {
  if (blocks.empty() || axes.size() != blocks.size())
    throw ValueError("array.fused: " + std::to_string(blocks.size()) + " blocks for " +
                     std::to_string(axes.size()) + " leaves");
  for (std::size_t k = 0; k < blocks.size(); ++k) check_fits(blocks[k].shape(), axes[k], shape);
}

/// Rows [r0, r1) of a generated (uniform random) leaf read through `axes`:
/// each element is made from its index in the block, so a transposed read
/// costs what a straight one does and touches no memory but the tile.
NDArray generated_rows(const LeafBlock& leaf, const std::vector<std::int64_t>& axes, const Shape& out_shape,
                       std::int64_t r0, std::int64_t r1) {
  Shape out = tile_shape(out_shape, r0, r1);
  const std::int64_t n = shape_size(out);
  auto buf = make_buffer(static_cast<std::size_t>(n) * sizeof(double));
  double* dst = buf->mutable_as<double>().data();
  const double low = leaf.low, width = leaf.high - leaf.low;
  const std::size_t nd = out.size();
  const auto src_stride = axis_strides(row_major_strides(leaf.inline_shape), axes);
  if (n == 0) return NDArray(DType::float64, std::move(out), std::move(buf));
  if (nd == 0) {
    dst[0] = uniform_at(leaf.seed, 0, low, width);
  } else if (is_identity(axes, leaf.inline_shape.size())) {
    fill_uniform_at(leaf.seed, static_cast<std::uint64_t>(r0 * src_stride[0]), n, leaf.low, leaf.high, dst);
  } else {
    std::vector<std::int64_t> idx(nd, 0);
    const std::int64_t inner = out[nd - 1], inner_stride = src_stride[nd - 1];
    for_each_run(out.data(), src_stride.data(), nd, r0, idx.data(), [&](std::int64_t off) {
      for (std::int64_t i = 0; i < inner; ++i)
        *dst++ = uniform_at(leaf.seed, static_cast<std::uint64_t>(off + i * inner_stride), low, width);
    });
  }
  return NDArray(DType::float64, std::move(out), std::move(buf));
}

/// Rows [r0, r1) of a file leaf read through `axes`, copied out of its
/// mapping; a file truncated meanwhile is a ValueError, not a SIGBUS.
NDArray mapped_rows(const LeafBlock& leaf, const std::vector<std::int64_t>& axes, const Shape& out_shape,
                    std::int64_t r0, std::int64_t r1) {
  Shape out = tile_shape(out_shape, r0, r1);
  const std::size_t e = dtype_size(leaf.dtype);
  auto buf = make_buffer(static_cast<std::size_t>(shape_size(out)) * e);
  if (shape_size(out) == 0) return NDArray(leaf.dtype, std::move(out), std::move(buf));
  const auto stride = axis_strides(leaf.strides, axes);
  std::vector<std::int64_t> idx(out.size(), 0);
  StridedRead read{leaf.map->data(), e, stride.data(), out.data(), out.size(), r0, idx.data(), buf->mutable_data()};
  if (!run_guarded(read_strided_any, &read))
    throw ValueError("array: " + leaf.map->path() + " was truncated while a task read it");
  return NDArray(leaf.dtype, std::move(out), std::move(buf));
}

NDArray leaf_rows(const LeafBlock& leaf, const std::vector<std::int64_t>& axes, const Shape& out_shape,
                  std::int64_t r0, std::int64_t r1) {
  switch (leaf.source) {
    case LeafBlock::Source::generated:
      check_fits(leaf.inline_shape, axes, out_shape);
      return generated_rows(leaf, axes, out_shape, r0, r1);
    case LeafBlock::Source::file:
      check_fits(leaf.inline_shape, axes, out_shape);
      return mapped_rows(leaf, axes, out_shape, r0, r1);
    case LeafBlock::Source::block: break;
  }
  const bool whole = out_shape.empty() || (r0 == 0 && r1 == out_shape[0]);
  if (whole && is_identity(axes, leaf.array.ndim())) return leaf.array;
  return permuted_rows(leaf.array, axes, out_shape, r0, r1);
}

/// Runs `program` on the rows [r0, r1) of the output.
NDArray eval_rows(const ValueList& program, const AxesList& axes, const std::vector<LeafBlock>& blocks,
                  const Shape& out_shape, std::int64_t r0, std::int64_t r1) {
  std::vector<NDArray> tiles(blocks.size());
  std::vector<bool> loaded(blocks.size(), false);
  std::vector<NDArray> stack;
  for (const auto& ins : program) {
    const auto& l = ins.as_list();
    const std::string& what = l.at(0).as_string();
    if (what == "leaf") {
      const auto k = static_cast<std::size_t>(l.at(1).as_int());
      if (k >= blocks.size()) throw ValueError("array.fused: leaf " + std::to_string(k) + " out of range");
      if (!loaded[k]) {
        tiles[k] = leaf_rows(blocks[k], axes[k], out_shape, r0, r1);
        loaded[k] = true;
      }
      stack.push_back(tiles[k]);
      continue;
    }
    if (stack.empty()) throw ValueError("array.fused: '" + what + "' on an empty stack");
    NDArray& top = stack.back();
    if (what == "unary") {
      top = unary(static_cast<UnaryOp>(l.at(1).as_int()), top);
    } else if (what == "scalar") {
      top = binary_scalar(static_cast<BinaryOp>(l.at(1).as_int()), top, l.at(2), l.at(3).as_bool());
    } else if (what == "astype") {
      top = astype(top, parse_dtype(l.at(1).as_string()));
    } else if (what == "where") {
      if (stack.size() < 3) throw ValueError("array.fused: where on a stack of " + std::to_string(stack.size()));
      NDArray y = std::move(stack.back());
      stack.pop_back();
      NDArray x = std::move(stack.back());
      stack.pop_back();
      stack.back() = where(stack.back(), x, y);
    } else if (what == "binary") {
      if (stack.size() < 2) throw ValueError("array.fused: binary on a stack of one");
      NDArray b = std::move(stack.back());
      stack.pop_back();
      stack.back() = binary(static_cast<BinaryOp>(l.at(1).as_int()), stack.back(), b);
    } else {
      throw ValueError("array.fused: unknown instruction '" + what + "'");
    }
  }
  if (stack.size() != 1) throw ValueError("array.fused: the program leaves " + std::to_string(stack.size()) + " results");
  return stack.front();
}

std::int64_t rows_per_tile(const Shape& out) {
  const std::int64_t row = out.empty() ? 1 : shape_size(Shape(out.begin() + 1, out.end()));
  return std::max<std::int64_t>(1, tile_elements / std::max<std::int64_t>(row, 1));
}

}  // namespace

NDArray permuted_rows(const NDArray& block, const std::vector<std::int64_t>& axes, const Shape& out_shape,
                      std::int64_t r0, std::int64_t r1) {
  check_fits(block.shape(), axes, out_shape);
  if (out_shape.empty()) return block;
  if (r0 < 0 || r1 > out_shape[0] || r0 > r1) throw ValueError("array.fused: rows out of range");
  Shape out = out_shape;
  out[0] = r1 - r0;
  const std::size_t nd = out.size(), e = dtype_size(block.dtype());
  const auto bytes = static_cast<std::size_t>(shape_size(out)) * e;
  if (bytes == 0) return NDArray(block.dtype(), std::move(out), make_buffer(0));
  if (is_identity(axes, block.ndim())) {
    const std::size_t row = static_cast<std::size_t>(shape_size(out) / out[0]) * e;
    const std::size_t offset = static_cast<std::size_t>(r0) * row;
    if ((reinterpret_cast<std::uintptr_t>(block.buffer()->data()) + offset) % buffer_alignment == 0) {
      // The rows as they are: a view of the block, no copy.
      auto view = std::make_shared<Buffer>(block.buffer(), block.buffer()->data() + offset,
                                           row * static_cast<std::size_t>(out[0]));
      return NDArray(block.dtype(), std::move(out), std::move(view));
    }
    auto copy = make_buffer(bytes);
    std::memcpy(copy->mutable_data(), block.buffer()->data() + offset, bytes);
    return NDArray(block.dtype(), std::move(out), std::move(copy));
  }
  auto buf = make_buffer(bytes);
  const auto stride = axis_strides(row_major_strides(block.shape()), axes);
  std::vector<std::int64_t> idx(nd, 0);
  StridedRead read{block.buffer()->data(), e, stride.data(), out.data(), nd, r0, idx.data(), buf->mutable_data()};
  read_strided_any(&read);
  return NDArray(block.dtype(), std::move(out), std::move(buf));
}

NDArray eval_fused(const ValueList& program, const AxesList& axes, const ValueList& leaf_values,
                   const Shape& shape) {
  const auto blocks = leaf_blocks(leaf_values);
  check_leaves(axes, blocks, shape);
  if (shape.empty() || shape[0] <= rows_per_tile(shape))
    return reshape(eval_rows(program, axes, blocks, shape, 0, shape.empty() ? 0 : shape[0]), shape);
  const std::int64_t step = rows_per_tile(shape);
  std::shared_ptr<Buffer> out;
  DType dtype = DType::float64;
  std::size_t filled = 0;
  for (std::int64_t r0 = 0; r0 < shape[0]; r0 += step) {
    NDArray tile = eval_rows(program, axes, blocks, shape, r0, std::min(shape[0], r0 + step));
    if (!out) {
      dtype = tile.dtype();
      out = make_buffer(static_cast<std::size_t>(shape_size(shape)) * dtype_size(dtype));
    }
    std::memcpy(out->mutable_data() + filled, tile.buffer()->data(), tile.nbytes());
    filled += tile.nbytes();
  }
  return NDArray(dtype, shape, std::move(out));
}

Value reduce_fused(const Function& chunk, const Function& combine, const ValueList& program,
                   const AxesList& axes, const ValueList& leaf_values, const Shape& shape, std::int64_t axis) {
  const auto blocks = leaf_blocks(leaf_values);
  check_leaves(axes, blocks, shape);
  auto chunk_of = [&](NDArray tile) {
    const Value args[] = {Value(std::move(tile)), Value(axis)};
    return invoke(chunk, args);
  };
  if (shape.empty() || (axis != 0 && axis != -1) || shape[0] <= rows_per_tile(shape))
    return chunk_of(eval_fused(program, axes, leaf_values, shape));
  const std::int64_t step = rows_per_tile(shape);
  ValueList partials;
  auto fold = [&] {
    const Value args[] = {Value(std::move(partials))};
    Value merged = invoke(combine, args);
    partials = ValueList{std::move(merged)};
  };
  for (std::int64_t r0 = 0; r0 < shape[0]; r0 += step) {
    partials.push_back(chunk_of(eval_rows(program, axes, blocks, shape, r0, std::min(shape[0], r0 + step))));
    if (partials.size() == 64) fold();
  }
  if (partials.size() > 1) fold();
  return partials.front();
}

}  // namespace tessera::array::kernels

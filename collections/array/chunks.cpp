#include "collections/array/chunks.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "runtime/util/error.hpp"

namespace tessera::array {
namespace {

std::vector<std::int64_t> regular(std::int64_t size, std::int64_t extent, std::size_t axis) {
  if (extent == 0) return {0};
  if (size == -1) return {extent};
  if (size <= 0)
    throw ValueError("chunks: block size " + std::to_string(size) + " on axis " +
                     std::to_string(axis) + " must be positive (or -1 for the whole axis)");
  std::vector<std::int64_t> out(static_cast<std::size_t>(extent / size), size);
  if (extent % size) out.push_back(extent % size);
  return out;
}

/// "auto": blocks of about `bytes`, as square as the shape allows (the
/// small axes are taken whole and leave their share to the others), then
/// balanced so that the blocks of an axis differ by at most one.
Chunks auto_chunks(std::int64_t bytes, const Shape& shape, DType dtype) {
  if (bytes <= 0) throw ValueError("chunks: auto block size must be positive, got " + std::to_string(bytes));
  double budget = std::max(1.0, static_cast<double>(bytes) / static_cast<double>(dtype_size(dtype)));
  std::vector<std::size_t> order(shape.size());
  for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
  std::sort(order.begin(), order.end(), [&](auto x, auto y) { return shape[x] < shape[y]; });
  std::vector<std::int64_t> size(shape.size(), 1);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t a = order[i];
    const double ideal = std::floor(std::pow(budget, 1.0 / static_cast<double>(order.size() - i)) + 1e-9);
    size[a] = std::max<std::int64_t>(1, std::min<std::int64_t>(shape[a], static_cast<std::int64_t>(ideal)));
    budget /= static_cast<double>(size[a]);
  }
  Chunks out;
  for (std::size_t a = 0; a < shape.size(); ++a) {
    if (shape[a] == 0) {
      out.push_back({0});
      continue;
    }
    const std::int64_t n = (shape[a] + size[a] - 1) / size[a], base = shape[a] / n, extra = shape[a] % n;
    std::vector<std::int64_t> c(static_cast<std::size_t>(n), base);
    for (std::int64_t i = 0; i < extra; ++i) ++c[static_cast<std::size_t>(i)];
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<std::int64_t> common_chunks(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  const auto oa = offsets(a), ob = offsets(b);
  if (oa.back() != ob.back())
    throw ValueError("chunks: cannot unify chunkings of extents " + std::to_string(oa.back()) + " and " +
                     std::to_string(ob.back()));
  std::vector<std::int64_t> bounds;
  std::merge(oa.begin(), oa.end(), ob.begin(), ob.end(), std::back_inserter(bounds));
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::vector<std::int64_t> out;
  for (std::size_t i = 1; i < bounds.size(); ++i) out.push_back(bounds[i] - bounds[i - 1]);
  if (out.empty()) out.push_back(0);
  return out;
}

Chunks normalize_chunks(const ChunkSpec& spec, const Shape& shape, DType dtype) {
  Chunks out;
  const auto& v = spec.get();
  if (const auto* a = std::get_if<AutoChunks>(&v)) return auto_chunks(a->bytes, shape, dtype);
  if (const auto* size = std::get_if<std::int64_t>(&v)) {
    for (std::size_t a = 0; a < shape.size(); ++a) out.push_back(regular(*size, shape[a], a));
    return out;
  }
  if (const auto* sizes = std::get_if<std::vector<std::int64_t>>(&v)) {
    if (sizes->size() != shape.size())
      throw ValueError("chunks: " + std::to_string(sizes->size()) + " block sizes given for " +
                       std::to_string(shape.size()) + " axes");
    for (std::size_t a = 0; a < shape.size(); ++a) out.push_back(regular((*sizes)[a], shape[a], a));
    return out;
  }
  const auto& explicit_sizes = std::get<Chunks>(v);
  if (explicit_sizes.size() != shape.size())
    throw ValueError("chunks: block sizes given for " + std::to_string(explicit_sizes.size()) +
                     " axes but the array has " + std::to_string(shape.size()));
  for (std::size_t a = 0; a < shape.size(); ++a) {
    std::int64_t total = 0;
    for (auto c : explicit_sizes[a]) {
      if (c < 0 || (c == 0 && shape[a] != 0))
        throw ValueError("chunks: block size " + std::to_string(c) + " on axis " +
                         std::to_string(a) + " must be positive");
      total += c;
    }
    if (explicit_sizes[a].empty() || total != shape[a])
      throw ValueError("chunks " + chunks_repr(explicit_sizes) + ": the block sizes of axis " +
                       std::to_string(a) + " sum to " + std::to_string(total) +
                       " but the axis has extent " + std::to_string(shape[a]));
  }
  return explicit_sizes;
}

std::vector<std::int64_t> numblocks(const Chunks& chunks) {
  std::vector<std::int64_t> n;
  for (const auto& c : chunks) n.push_back(static_cast<std::int64_t>(c.size()));
  return n;
}

std::vector<std::int64_t> offsets(const std::vector<std::int64_t>& sizes) {
  std::vector<std::int64_t> o{0};
  for (auto s : sizes) o.push_back(o.back() + s);
  return o;
}

std::vector<std::vector<std::int64_t>> block_indices(const Chunks& chunks) {
  std::vector<std::vector<std::int64_t>> out;
  std::vector<std::int64_t> idx(chunks.size(), 0);
  for (const auto& c : chunks)
    if (c.empty()) return out;
  while (true) {
    out.push_back(idx);
    std::size_t a = chunks.size();
    while (a > 0) {
      --a;
      if (++idx[a] < static_cast<std::int64_t>(chunks[a].size())) break;
      idx[a] = 0;
      if (a == 0) return out;
    }
    if (chunks.empty()) return out;
  }
}

Shape block_shape(const Chunks& chunks, const std::vector<std::int64_t>& index) {
  Shape s;
  for (std::size_t a = 0; a < chunks.size(); ++a) s.push_back(chunks[a][static_cast<std::size_t>(index[a])]);
  return s;
}

std::string chunks_repr(const Chunks& chunks) {
  std::string s = "(";
  for (std::size_t a = 0; a < chunks.size(); ++a) {
    s += a ? ", (" : "(";
    for (std::size_t i = 0; i < chunks[a].size(); ++i)
      s += (i ? ", " : "") + std::to_string(chunks[a][i]);
    s += chunks[a].size() == 1 ? ",)" : ")";
  }
  return s + (chunks.size() == 1 ? ",)" : ")");
}

}  // namespace tessera::array

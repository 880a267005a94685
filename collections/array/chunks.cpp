#include "collections/array/chunks.hpp"

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

}  // namespace

Chunks normalize_chunks(const ChunkSpec& spec, const Shape& shape) {
  Chunks out;
  const auto& v = spec.get();
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

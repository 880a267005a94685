// Rechunking in one split-and-merge stage (dask's "tasks" rechunk without
// intermediate stages): a split task per overlap of an old block with a new
// block slices the old block; a merge task per new block assembles its
// pieces. An old block that is a new block unchanged is reused as it is.
#include <algorithm>
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/array_functions.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

/// One overlap of a new block with an old block along one axis.
struct Overlap {
  std::int64_t old_block, start, stop;  // [start, stop) inside the old block
};

/// For every new block along an axis, the old blocks it overlaps.
std::vector<std::vector<Overlap>> overlaps(const std::vector<std::int64_t>& old_sizes,
                                           const std::vector<std::int64_t>& new_sizes) {
  const auto oo = offsets(old_sizes), no = offsets(new_sizes);
  std::vector<std::vector<Overlap>> out(new_sizes.size());
  std::size_t i = 0;
  for (std::size_t j = 0; j < new_sizes.size(); ++j) {
    const std::int64_t lo = no[j], hi = no[j + 1];
    while (i + 1 < old_sizes.size() && oo[i + 1] <= lo) ++i;  // old blocks that end before this one starts
    if (lo == hi) {  // an empty axis: one empty piece
      out[j].push_back({static_cast<std::int64_t>(i), lo - oo[i], lo - oo[i]});
      continue;
    }
    for (std::size_t k = i; k < old_sizes.size() && oo[k] < hi; ++k) {
      const std::int64_t s = std::max(lo, oo[k]), e = std::min(hi, oo[k + 1]);
      if (s < e) out[j].push_back({static_cast<std::int64_t>(k), s - oo[k], e - oo[k]});
    }
  }
  return out;
}

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

}  // namespace

Array Array::rechunk(const ChunkSpec& spec) const {
  Chunks target = normalize_chunks(spec, shape_, dtype_);
  if (target == chunks_) return *this;
  Tokenizer t;
  t.add("rechunk").add(name_);
  for (const auto& axis : target)
    for (auto x : axis) t.add(x);
  const std::string name = "rechunk-" + t.hex(), split = "rechunk-split-" + t.hex();
  std::vector<std::vector<std::vector<Overlap>>> per_axis;
  for (std::size_t a = 0; a < ndim(); ++a) per_axis.push_back(overlaps(chunks_[a], target[a]));

  std::vector<TaskSpec> split_tasks, merge_tasks;
  const auto& fns = array_functions();
  for (const auto& out_idx : block_indices(target)) {
    // The grid of overlaps of this new block, one axis at a time.
    Chunks grid;
    std::vector<std::vector<std::int64_t>> piece_sizes;
    for (std::size_t a = 0; a < ndim(); ++a) {
      const auto& ov = per_axis[a][static_cast<std::size_t>(out_idx[a])];
      std::vector<std::int64_t> sizes;
      for (const auto& o : ov) sizes.push_back(o.stop - o.start);
      piece_sizes.push_back(sizes);
      grid.push_back(std::vector<std::int64_t>(ov.size(), 1));
    }
    ArgList pieces;
    for (const auto& cell : block_indices(grid)) {
      std::vector<std::int64_t> src, start, stop, step(ndim(), 1), key_idx = out_idx;
      bool whole = true;
      for (std::size_t a = 0; a < ndim(); ++a) {
        const Overlap& o = per_axis[a][static_cast<std::size_t>(out_idx[a])][static_cast<std::size_t>(cell[a])];
        src.push_back(o.old_block);
        start.push_back(o.start);
        stop.push_back(o.stop);
        whole = whole && o.start == 0 && o.stop == chunks_[a][static_cast<std::size_t>(o.old_block)];
        key_idx.push_back(cell[a]);
      }
      if (whole) {
        pieces.emplace_back(block_key(src));
        continue;
      }
      Key piece(split, key_idx);
      split_tasks.push_back(TaskSpec{piece, fns.getitem,
                                     {Arg(block_key(src)), Arg(int_list(start)), Arg(int_list(stop)),
                                      Arg(int_list(step)), Arg(int_list(std::vector<std::int64_t>(ndim(), 1)))}});
      pieces.emplace_back(std::move(piece));
    }
    if (pieces.size() == 1 && pieces.front().kind() == Arg::Kind::ref && pieces.front().ref().name() == name_) {
      merge_tasks.push_back(TaskSpec{Key(name, out_idx), nullptr, {pieces.front()}});  // an old block, unchanged
      continue;
    }
    ValueList sizes;
    for (const auto& s : piece_sizes) sizes.push_back(int_list(s));
    merge_tasks.push_back(
        TaskSpec{Key(name, out_idx), fns.assemble, {Arg(std::move(pieces)), Arg(Value(std::move(sizes)))}});
  }
  auto split_layer = make_layer(split, std::move(split_tasks), {layer_});
  return Array(name, make_layer(name, std::move(merge_tasks), {split_layer, layer_}), shape_, std::move(target),
               dtype_);
}

}  // namespace tessera::array

// Slicing with integers and slices with steps (negative ones too). Each output block reads a
// strided sub-range of exactly one source block ("array.getitem"), so the
// graph stays one task per output block.
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/array_functions.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

/// One output block along one axis: which source block, and the local range.
struct Piece {
  std::int64_t block, start, stop, step;
};

struct AxisPlan {
  bool keep = true;
  std::vector<Piece> pieces;  // one per output block along the axis
  std::vector<std::int64_t> sizes;
};

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

AxisPlan plan_axis(const Index& index, std::size_t axis, std::int64_t extent,
                   const std::vector<std::int64_t>& chunks) {
  const auto offs = offsets(chunks);
  AxisPlan p;
  if (const auto* i = std::get_if<std::int64_t>(&index)) {
    std::int64_t k = *i < 0 ? *i + extent : *i;
    if (k < 0 || k >= extent)
      throw IndexError("index " + std::to_string(*i) + " is out of bounds for axis " + std::to_string(axis) +
                       " with size " + std::to_string(extent));
    std::int64_t b = 0;
    while (offs[static_cast<std::size_t>(b) + 1] <= k) ++b;
    p.keep = false;
    p.pieces.push_back({b, k - offs[static_cast<std::size_t>(b)], k - offs[static_cast<std::size_t>(b)] + 1, 1});
    p.sizes.push_back(1);
    return p;
  }
  const Slice& s = std::get<Slice>(index);
  if (s.step == 0) throw ValueError("slice step cannot be zero (axis " + std::to_string(axis) + ")");
  if (s.step > 0) {
    auto clamp = [extent](std::optional<std::int64_t> v, std::int64_t dflt) {
      if (!v) return dflt;
      std::int64_t x = *v < 0 ? *v + extent : *v;
      return std::min(std::max<std::int64_t>(x, 0), extent);
    };
    const std::int64_t start = clamp(s.start, 0), stop = clamp(s.stop, extent), step = s.step;
    const std::int64_t count = stop > start ? ceil_div(stop - start, step) : 0;
    for (std::size_t b = 0; b < chunks.size(); ++b) {
      const std::int64_t lo = offs[b], hi = offs[b + 1];
      const std::int64_t t0 = std::max<std::int64_t>(0, ceil_div(lo - start, step));
      const std::int64_t t1 = std::min(count, ceil_div(hi - start, step));
      if (t1 <= t0) continue;
      p.pieces.push_back(
          {static_cast<std::int64_t>(b), start + t0 * step - lo, start + (t1 - 1) * step - lo + 1, step});
      p.sizes.push_back(t1 - t0);
    }
  } else {
    // Python's rules for a negative step: ends clamp to [-1, extent - 1].
    auto clamp = [extent](std::optional<std::int64_t> v, std::int64_t dflt) {
      if (!v) return dflt;
      std::int64_t x = *v < 0 ? *v + extent : *v;
      return std::min(std::max<std::int64_t>(x, -1), extent - 1);
    };
    const std::int64_t start = clamp(s.start, extent - 1), stop = clamp(s.stop, -1), down = -s.step;
    const std::int64_t count = start > stop ? ceil_div(start - stop, down) : 0;
    // Output order walks the source blocks from the last to the first.
    for (std::size_t b = chunks.size(); b-- > 0;) {
      const std::int64_t lo = offs[b], hi = offs[b + 1];
      // Elements start - t * down with lo <= element < hi.
      const std::int64_t t0 = std::max<std::int64_t>(0, ceil_div(start - (hi - 1), down));
      const std::int64_t t1 = std::min(count, start >= lo ? (start - lo) / down + 1 : 0);
      if (t1 <= t0) continue;
      p.pieces.push_back({static_cast<std::int64_t>(b), start - t0 * down - lo,
                          start - (t1 - 1) * down - lo - 1, s.step});
      p.sizes.push_back(t1 - t0);
    }
  }
  if (p.pieces.empty()) {  // an empty selection: one empty block
    p.pieces.push_back({0, 0, 0, 1});
    p.sizes.push_back(0);
  }
  return p;
}

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

}  // namespace

Array Array::getitem(const std::vector<Index>& index) const {
  if (index.size() > ndim())
    throw IndexError("too many indices for array: array is " + std::to_string(ndim()) +
                     "-dimensional, but " + std::to_string(index.size()) + " were indexed");
  Tokenizer t;
  t.add("getitem").add(name_);
  std::vector<AxisPlan> plans;
  for (std::size_t a = 0; a < ndim(); ++a) {
    const Index ix = a < index.size() ? index[a] : Index(Slice{});
    plans.push_back(plan_axis(ix, a, shape_[a], chunks_[a]));
    if (const auto* i = std::get_if<std::int64_t>(&ix)) {
      t.add("i").add(*i);
    } else {
      const auto& s = std::get<Slice>(ix);
      t.add("s").add(s.start.value_or(INT64_MIN)).add(s.stop.value_or(INT64_MIN)).add(s.step);
    }
  }
  const std::string name = "getitem-" + t.hex();

  // The output grid: the product of the kept axes' pieces.
  Chunks grid;  // pieces per axis, as sizes (dropped axes: one piece of 1)
  Chunks out_chunks;
  Shape out_shape;
  for (const auto& p : plans) {
    grid.push_back(p.sizes);
    if (!p.keep) continue;
    out_chunks.push_back(p.sizes);
    std::int64_t n = 0;
    for (auto x : p.sizes) n += x;
    out_shape.push_back(n);
  }
  const auto& fn = array_functions().getitem;
  std::vector<std::int64_t> keep;
  for (const auto& p : plans) keep.push_back(p.keep ? 1 : 0);
  const Value keep_v = int_list(keep);
  std::vector<TaskSpec> tasks;
  for (const auto& gidx : block_indices(grid)) {
    std::vector<std::int64_t> src, start, stop, step, out_idx;
    for (std::size_t a = 0; a < plans.size(); ++a) {
      const Piece& pc = plans[a].pieces[static_cast<std::size_t>(gidx[a])];
      src.push_back(pc.block);
      start.push_back(pc.start);
      stop.push_back(pc.stop);
      step.push_back(pc.step);
      if (plans[a].keep) out_idx.push_back(gidx[a]);
    }
    tasks.push_back(TaskSpec{Key(name, out_idx), fn,
                             {Arg(block_key(src)), Arg(int_list(start)), Arg(int_list(stop)),
                              Arg(int_list(step)), Arg(keep_v)}});
  }
  return Array(name, make_layer(name, std::move(tasks), {layer_}), out_shape, std::move(out_chunks), dtype_);
}

}  // namespace tessera::array

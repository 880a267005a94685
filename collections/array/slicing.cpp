// Slicing with integers and slices with steps (negative ones too). Each output block reads a
// strided sub-range of exactly one source block ("array.getitem"), so the
// graph stays one task per output block.
#include <algorithm>
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/array_functions.hpp"
#include "collections/array/shape_ops.hpp"
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

Array Array::getitem(const std::vector<Index>& raw) const {
  // Expand the ellipsis; note where new axes go and which axis (if any) an
  // integer array or a mask selects on; the rest is basic indexing.
  std::size_t consumed = 0, ellipses = 0;
  for (const auto& ix : raw) {
    if (std::holds_alternative<Ellipsis>(ix)) ++ellipses;
    else if (!std::holds_alternative<NewAxis>(ix)) ++consumed;
  }
  if (ellipses > 1) throw IndexError("an index can only have a single ellipsis ('...')");
  if (consumed > ndim())
    throw IndexError("too many indices for array: array is " + std::to_string(ndim()) + "-dimensional, but " +
                     std::to_string(consumed) + " were indexed");
  std::vector<Index> basic;
  std::vector<std::int64_t> new_axes;  // positions in the result
  std::optional<std::pair<std::size_t, std::vector<std::int64_t>>> take_at;  // (result axis, positions)
  std::int64_t out_axis = 0;
  for (const auto& ix : raw) {
    if (std::holds_alternative<NewAxis>(ix)) {
      new_axes.push_back(out_axis++);
    } else if (std::holds_alternative<Ellipsis>(ix)) {
      for (std::size_t k = 0; k < ndim() - consumed; ++k, ++out_axis) basic.emplace_back(Slice{});
    } else if (std::holds_alternative<IndexArray>(ix) || std::holds_alternative<BoolMask>(ix)) {
      if (take_at) throw IndexError("only one integer array or boolean mask is supported in an index");
      const std::size_t axis = basic.size();
      std::vector<std::int64_t> positions;
      if (const auto* m = std::get_if<BoolMask>(&ix)) {
        if (static_cast<std::int64_t>(m->mask.size()) != shape_[axis])
          throw IndexError("boolean index did not match indexed array along dimension " + std::to_string(axis) +
                           "; dimension is " + std::to_string(shape_[axis]) + " but corresponding boolean dimension is " +
                           std::to_string(m->mask.size()));
        for (std::size_t i = 0; i < m->mask.size(); ++i)
          if (m->mask[i]) positions.push_back(static_cast<std::int64_t>(i));
      } else {
        for (auto i : std::get<IndexArray>(ix).indices) {
          if (i < -shape_[axis] || i >= shape_[axis])
            throw IndexError("index " + std::to_string(i) + " is out of bounds for axis " + std::to_string(axis) +
                             " with size " + std::to_string(shape_[axis]));
          positions.push_back(i < 0 ? i + shape_[axis] : i);
        }
      }
      take_at.emplace(static_cast<std::size_t>(out_axis++), std::move(positions));
      basic.emplace_back(Slice{});
    } else {
      if (!std::holds_alternative<std::int64_t>(ix)) ++out_axis;
      basic.push_back(ix);
    }
  }
  if (ellipses == 0 && new_axes.empty() && !take_at) return basic_getitem(basic);
  Array r = basic_getitem(basic);
  if (take_at) {
    // The result axis of the taken axis, before any new axis is inserted.
    std::int64_t axis = static_cast<std::int64_t>(take_at->first);
    for (auto p : new_axes)
      if (p < static_cast<std::int64_t>(take_at->first)) --axis;
    r = take(r, take_at->second, axis);
  }
  for (auto p : new_axes) r = expand_dims(r, p);
  return r;
}

Array Array::basic_getitem(const std::vector<Index>& index) const {
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

Array take(const Array& a, const std::vector<std::int64_t>& positions, std::int64_t axis_in) {
  const auto axis = static_cast<std::size_t>(normalize_axis(axis_in, a.ndim()));
  const auto offs = offsets(a.chunks()[axis]);
  // Runs of consecutive positions that fall in one source block: one output block each.
  struct Run {
    std::int64_t block;
    std::vector<std::int64_t> local;
  };
  std::vector<Run> runs;
  for (auto p : positions) {
    if (p < 0 || p >= a.shape()[axis])
      throw IndexError("index " + std::to_string(p) + " is out of bounds for axis " + std::to_string(axis) +
                       " with size " + std::to_string(a.shape()[axis]));
    const auto b = static_cast<std::int64_t>(std::upper_bound(offs.begin(), offs.end(), p) - offs.begin()) - 1;
    if (runs.empty() || runs.back().block != b) runs.push_back({b, {}});
    runs.back().local.push_back(p - offs[static_cast<std::size_t>(b)]);
  }
  Tokenizer t;
  t.add("take").add(a.name()).add(static_cast<std::int64_t>(axis));
  for (auto p : positions) t.add(p);
  const std::string name = "take-" + t.hex();
  Chunks chunks = a.chunks();
  chunks[axis].clear();
  for (const auto& r : runs) chunks[axis].push_back(static_cast<std::int64_t>(r.local.size()));
  if (runs.empty()) chunks[axis].push_back(0);
  Chunks grid = chunks;
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(grid)) {
    std::vector<std::int64_t> src = idx;
    std::vector<std::int64_t> local;
    if (runs.empty()) {
      src[axis] = 0;
    } else {
      src[axis] = runs[static_cast<std::size_t>(idx[axis])].block;
      local = runs[static_cast<std::size_t>(idx[axis])].local;
    }
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().take,
                             {Arg(a.block_key(src)), Arg(int_list(local)), Arg(Value(static_cast<std::int64_t>(axis)))}});
  }
  Shape shape = a.shape();
  shape[axis] = static_cast<std::int64_t>(positions.size());
  return Array(name, make_layer(name, std::move(tasks), {a.layer()}), std::move(shape), std::move(chunks), a.dtype());
}

}  // namespace tessera::array

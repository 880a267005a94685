#include "collections/array/overlap.hpp"

#include <algorithm>
#include <string>

#include "collections/array/array_functions.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

template <class T>
std::vector<T> per_axis(const std::vector<T>& v, std::size_t nd, const T& dflt, const char* what) {
  if (v.empty()) return std::vector<T>(nd, dflt);
  if (v.size() == 1) return std::vector<T>(nd, v[0]);
  if (v.size() != nd)
    throw ValueError(std::string("overlap: ") + what + " given for " + std::to_string(v.size()) +
                     " axes but the array has " + std::to_string(nd));
  return v;
}

std::string kind_tag(const Boundary& b) {
  switch (b.kind) {
    case Boundary::Kind::none: return "none";
    case Boundary::Kind::reflect: return "reflect";
    case Boundary::Kind::periodic: return "periodic";
    case Boundary::Kind::nearest: return "nearest";
    case Boundary::Kind::constant: break;
  }
  return "constant";
}

/// Ghost widths added to each block along one axis: {left, right} per block.
std::vector<std::pair<std::int64_t, std::int64_t>> ghost_widths(const std::vector<std::int64_t>& chunks, std::int64_t d,
                                                                const Boundary& b) {
  std::vector<std::pair<std::int64_t, std::int64_t>> w;
  const std::size_t nb = chunks.size();
  for (std::size_t j = 0; j < nb; ++j) {
    const bool edge_l = j == 0, edge_r = j + 1 == nb;
    const bool none = b.kind == Boundary::Kind::none;
    w.emplace_back(edge_l && none ? 0 : d, edge_r && none ? 0 : d);
  }
  return w;
}

/// `x` ghosted along one axis.
Array overlap_axis(const Array& x, std::size_t axis, std::int64_t d, const Boundary& b) {
  const auto& c = x.chunks()[axis];
  const std::int64_t extent = x.shape()[axis];
  if (d == 0 || extent == 0) return x;
  const std::size_t nb = c.size();
  const std::int64_t smallest = *std::min_element(c.begin(), c.end());
  // Every neighbour (and, at the edges, the block mirrored or wrapped) must hold d elements.
  if (d > smallest && !(nb == 1 && b.kind == Boundary::Kind::none) && !(b.kind == Boundary::Kind::nearest && nb == 1) &&
      !(b.kind == Boundary::Kind::constant && nb == 1))
    throw ValueError("overlap: depth " + std::to_string(d) + " on axis " + std::to_string(axis) +
                     " is larger than the smallest block (" + std::to_string(smallest) + " of chunks " +
                     chunks_repr(x.chunks()) + "); rechunk to blocks of at least " + std::to_string(d));
  const auto& fns = array_functions();
  Tokenizer t;
  t.add("overlap").add(x.name()).add(static_cast<std::int64_t>(axis)).add(d).add(kind_tag(b)).add(b.value);
  const std::string name = "overlap-" + t.hex();
  const auto widths = ghost_widths(c, d, b);
  const Value dtype(std::string(dtype_name(x.dtype())));
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(x.chunks())) {
    const auto j = static_cast<std::size_t>(idx[axis]);
    const Shape bshape = block_shape(x.chunks(), idx);
    // A slice [lo, hi) (step 1) or the reversed run lo, lo - 1, ..., hi + 1 (step -1) of block `src` along the axis.
    auto slice = [&](std::int64_t src, std::int64_t lo, std::int64_t hi, std::int64_t step) {
      std::vector<std::int64_t> bi = idx, start, stop, stp;
      bi[axis] = src;
      const Shape s = block_shape(x.chunks(), bi);
      for (std::size_t k = 0; k < x.ndim(); ++k) {
        start.push_back(k == axis ? lo : 0);
        stop.push_back(k == axis ? hi : s[k]);
        stp.push_back(k == axis ? step : 1);
      }
      return Arg(std::make_shared<const Call>(Call{
          fns.getitem,
          {Arg(x.block_key(bi)), Arg(int_list(start)), Arg(int_list(stop)), Arg(int_list(stp)),
           Arg(int_list(std::vector<std::int64_t>(x.ndim(), 1)))},
          Key()}));
    };
    auto edge = [&](bool left) -> Arg {
      const std::int64_t last = static_cast<std::int64_t>(nb) - 1, size = bshape[axis];
      switch (b.kind) {
        case Boundary::Kind::none: break;
        case Boundary::Kind::periodic: {
          const std::int64_t src = left ? last : 0, n = c[static_cast<std::size_t>(src)];
          return left ? slice(src, n - d, n, 1) : slice(src, 0, d, 1);
        }
        case Boundary::Kind::reflect:
          return left ? slice(idx[axis], d - 1, -1, -1) : slice(idx[axis], size - 1, size - 1 - d, -1);
        case Boundary::Kind::nearest:
          return Arg(std::make_shared<const Call>(Call{
              fns.take,
              {Arg(x.block_key(idx)), Arg(int_list(std::vector<std::int64_t>(static_cast<std::size_t>(d), left ? 0 : size - 1))),
               Arg(Value(static_cast<std::int64_t>(axis)))},
              Key()}));
        case Boundary::Kind::constant: {
          Shape s = bshape;
          s[axis] = d;
          return Arg(std::make_shared<const Call>(Call{fns.full, {Arg(int_list(s)), Arg(b.value), Arg(dtype)}, Key()}));
        }
      }
      return Arg();
    };
    ArgList pieces;
    std::vector<std::int64_t> sizes;
    if (widths[j].first > 0) {
      pieces.push_back(j > 0 ? slice(idx[axis] - 1, c[j - 1] - d, c[j - 1], 1) : edge(true));
      sizes.push_back(d);
    }
    pieces.emplace_back(x.block_key(idx));
    sizes.push_back(bshape[axis]);
    if (widths[j].second > 0) {
      pieces.push_back(j + 1 < nb ? slice(idx[axis] + 1, 0, d, 1) : edge(false));
      sizes.push_back(d);
    }
    ValueList sz;
    for (std::size_t k = 0; k < x.ndim(); ++k) sz.push_back(k == axis ? int_list(sizes) : int_list({bshape[k]}));
    tasks.push_back(TaskSpec{Key(name, idx), fns.assemble, {Arg(std::move(pieces)), Arg(Value(std::move(sz)))}});
  }
  Chunks chunks = x.chunks();
  for (std::size_t j = 0; j < nb; ++j) chunks[axis][j] += widths[j].first + widths[j].second;
  Shape shape = x.shape();
  shape[axis] = 0;
  for (auto s : chunks[axis]) shape[axis] += s;
  return Array(name, make_layer(name, std::move(tasks), {x.layer()}), std::move(shape), std::move(chunks), x.dtype());
}

}  // namespace

Array overlap(const Array& x, const OverlapOptions& o) {
  const auto depth = per_axis<std::int64_t>(o.depth, x.ndim(), 0, "depth");
  const auto boundary = per_axis<Boundary>(o.boundary, x.ndim(), Boundary{}, "boundary");
  for (std::size_t k = 0; k < x.ndim(); ++k)
    if (depth[k] < 0) throw ValueError("overlap: depth " + std::to_string(depth[k]) + " on axis " + std::to_string(k) + " is negative");
  Array y = x;
  for (std::size_t k = 0; k < x.ndim(); ++k) y = overlap_axis(y, k, depth[k], boundary[k]);
  return y;
}

Array map_overlap(const BlockFunction& fn, const Array& x, const OverlapOptions& o, const MapBlocksOptions& map) {
  const Array g = overlap(x, o);
  const Array y = map_blocks(fn, {g}, map);
  if (!o.trim) return y;
  if (y.ndim() != x.ndim())
    throw ValueError("map_overlap: the function's blocks have " + std::to_string(y.ndim()) + " dimensions, not " +
                     std::to_string(x.ndim()) + ": pass trim = false");
  const auto depth = per_axis<std::int64_t>(o.depth, x.ndim(), 0, "depth");
  const auto boundary = per_axis<Boundary>(o.boundary, x.ndim(), Boundary{}, "boundary");
  std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> widths;
  Chunks chunks = y.chunks();
  for (std::size_t k = 0; k < x.ndim(); ++k) {
    const bool ghosted = depth[k] > 0 && x.shape()[k] > 0;
    widths.push_back(ghosted ? ghost_widths(x.chunks()[k], depth[k], boundary[k])
                             : std::vector<std::pair<std::int64_t, std::int64_t>>(y.chunks()[k].size(), {0, 0}));
    for (std::size_t j = 0; j < chunks[k].size(); ++j) {
      chunks[k][j] -= widths[k][j].first + widths[k][j].second;
      if (chunks[k][j] < 0)
        throw ValueError("map_overlap: block " + std::to_string(j) + " of axis " + std::to_string(k) +
                         " is smaller than its ghost cells");
    }
  }
  const auto& fns = array_functions();
  Tokenizer t;
  t.add("trim").add(y.name());
  const std::string name = "trim-" + t.hex();
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(y.chunks())) {
    std::vector<std::int64_t> start, stop;
    for (std::size_t k = 0; k < y.ndim(); ++k) {
      const auto& w = widths[k][static_cast<std::size_t>(idx[k])];
      start.push_back(w.first);
      stop.push_back(y.chunks()[k][static_cast<std::size_t>(idx[k])] - w.second);
    }
    tasks.push_back(TaskSpec{Key(name, idx), fns.getitem,
                             {Arg(y.block_key(idx)), Arg(int_list(start)), Arg(int_list(stop)),
                              Arg(int_list(std::vector<std::int64_t>(y.ndim(), 1))),
                              Arg(int_list(std::vector<std::int64_t>(y.ndim(), 1)))}});
  }
  Shape shape;
  for (const auto& c : chunks) {
    std::int64_t s = 0;
    for (auto v : c) s += v;
    shape.push_back(s);
  }
  return Array(name, make_layer(name, std::move(tasks), {y.layer()}), std::move(shape), std::move(chunks), y.dtype());
}

}  // namespace tessera::array

#include "collections/array/shape_ops.hpp"

#include <numeric>
#include <string>

#include "collections/array/array_functions.hpp"
#include "collections/array/fused_expr.hpp"
#include "collections/array/kernels.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

std::string shape_repr(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + (s.size() == 1 ? ",)" : ")");
}

}  // namespace

Array swapaxes(const Array& a, std::int64_t i, std::int64_t j) {
  std::vector<std::int64_t> axes(a.ndim());
  for (std::size_t k = 0; k < axes.size(); ++k) axes[k] = static_cast<std::int64_t>(k);
  std::swap(axes[static_cast<std::size_t>(normalize_axis(i, a.ndim()))],
            axes[static_cast<std::size_t>(normalize_axis(j, a.ndim()))]);
  return a.transpose(axes);
}

Array expand_dims(const Array& a, std::int64_t axis) {
  const auto at = static_cast<std::size_t>(normalize_axis(axis, a.ndim() + 1));
  FusedExpr e = expr_of(a);
  for (auto& leaf : e.leaves) leaf.axes.insert(leaf.axes.begin() + static_cast<std::ptrdiff_t>(at), -1);
  Shape shape = a.shape();
  Chunks chunks = a.chunks();
  shape.insert(shape.begin() + static_cast<std::ptrdiff_t>(at), 1);
  chunks.insert(chunks.begin() + static_cast<std::ptrdiff_t>(at), std::vector<std::int64_t>{1});
  return fused_array("expand_dims", std::move(e), std::move(shape), std::move(chunks), a.dtype());
}

Array squeeze(const Array& a, const std::vector<std::int64_t>& axes_in) {
  std::vector<bool> drop(a.ndim(), false);
  if (axes_in.empty()) {
    for (std::size_t k = 0; k < a.ndim(); ++k) drop[k] = a.shape()[k] == 1;
  } else {
    for (auto ax : axes_in) {
      const auto k = static_cast<std::size_t>(normalize_axis(ax, a.ndim()));
      if (a.shape()[k] != 1)
        throw ValueError("squeeze: cannot select an axis to squeeze out which has size not equal to one (axis " +
                         std::to_string(ax) + " of shape " + shape_repr(a.shape()) + ")");
      drop[k] = true;
    }
  }
  FusedExpr e = expr_of(a);
  Shape shape;
  Chunks chunks;
  for (std::size_t k = 0; k < a.ndim(); ++k)
    if (!drop[k]) {
      shape.push_back(a.shape()[k]);
      chunks.push_back(a.chunks()[k]);
    }
  if (shape.size() == a.ndim()) return a;
  for (auto& leaf : e.leaves) {
    std::vector<std::int64_t> kept;
    for (std::size_t k = 0; k < a.ndim(); ++k)
      if (!drop[k]) kept.push_back(leaf.axes[k]);
    leaf.axes = std::move(kept);
  }
  return fused_array("squeeze", std::move(e), std::move(shape), std::move(chunks), a.dtype());
}

Array concatenate(const std::vector<Array>& arrays_in, std::int64_t axis_in) {
  if (arrays_in.empty()) throw ValueError("concatenate: need at least one array to concatenate");
  const std::size_t nd = arrays_in.front().ndim();
  if (nd == 0) throw ValueError("concatenate: zero-dimensional arrays cannot be concatenated");
  const auto axis = static_cast<std::size_t>(normalize_axis(axis_in, nd));
  DType dtype = arrays_in.front().dtype();
  for (const auto& x : arrays_in) {
    if (x.ndim() != nd)
      throw ValueError("concatenate: all the input arrays must have same number of dimensions, got " +
                       shape_repr(arrays_in.front().shape()) + " and " + shape_repr(x.shape()));
    for (std::size_t k = 0; k < nd; ++k)
      if (k != axis && x.shape()[k] != arrays_in.front().shape()[k])
        throw ValueError("concatenate: all the input array dimensions except for the concatenation axis must "
                         "match exactly, got " + shape_repr(arrays_in.front().shape()) + " and " + shape_repr(x.shape()));
    dtype = kernels::result_type(dtype, x.dtype());
  }
  // The other axes chunked alike (their common refinement), one dtype.
  Chunks common = arrays_in.front().chunks();
  for (const auto& x : arrays_in)
    for (std::size_t k = 0; k < nd; ++k)
      if (k != axis) common[k] = common_chunks(common[k], x.chunks()[k]);
  std::vector<Array> arrays;
  for (const auto& x : arrays_in) {
    Chunks want = common;
    want[axis] = x.chunks()[axis];
    arrays.push_back(x.astype(dtype).rechunk(want));
  }
  Tokenizer t;
  t.add("concatenate").add(static_cast<std::int64_t>(axis));
  for (const auto& x : arrays) t.add(x.name());
  const std::string name = "concatenate-" + t.hex();
  Chunks chunks = common;
  chunks[axis].clear();
  Shape shape = arrays.front().shape();
  shape[axis] = 0;
  std::vector<TaskSpec> tasks;
  std::vector<LayerPtr> deps;
  std::int64_t offset = 0;  // blocks before this array along the axis
  for (const auto& x : arrays) {
    for (const auto& idx : block_indices(x.chunks())) {
      std::vector<std::int64_t> out = idx;
      out[axis] += offset;
      tasks.push_back(TaskSpec{Key(name, out), nullptr, {Arg(x.block_key(idx))}});  // an alias: no copy
    }
    offset += static_cast<std::int64_t>(x.chunks()[axis].size());
    chunks[axis].insert(chunks[axis].end(), x.chunks()[axis].begin(), x.chunks()[axis].end());
    shape[axis] += x.shape()[axis];
    deps.push_back(x.layer());
  }
  return Array(name, make_layer(name, std::move(tasks), std::move(deps)), std::move(shape), std::move(chunks), dtype);
}

Array stack(const std::vector<Array>& arrays, std::int64_t axis) {
  if (arrays.empty()) throw ValueError("stack: need at least one array to stack");
  const std::size_t nd = arrays.front().ndim();
  const auto at = normalize_axis(axis, nd + 1);
  std::vector<Array> expanded;
  for (const auto& x : arrays) {
    if (x.shape() != arrays.front().shape())
      throw ValueError("stack: all input arrays must have the same shape, got " + shape_repr(arrays.front().shape()) +
                       " and " + shape_repr(x.shape()));
    expanded.push_back(expand_dims(x, at));
  }
  return concatenate(expanded, at);
}

Array reshape(const Array& a, Shape shape) {
  std::int64_t known = 1, infer = -1;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (shape[k] == -1) {
      if (infer >= 0) throw ValueError("reshape: can only specify one unknown dimension");
      infer = static_cast<std::int64_t>(k);
    } else if (shape[k] < 0) {
      throw ValueError("reshape: negative dimension " + std::to_string(shape[k]) + " in shape " + shape_repr(shape));
    } else {
      known *= shape[k];
    }
  }
  if (infer >= 0) {
    if (known == 0 || a.size() % known != 0)
      throw ValueError("reshape: cannot reshape array of size " + std::to_string(a.size()) + " into shape " + shape_repr(shape));
    shape[static_cast<std::size_t>(infer)] = a.size() / known;
  }
  if (shape_size(shape) != a.size())
    throw ValueError("reshape: cannot reshape array of size " + std::to_string(a.size()) + " into shape " + shape_repr(shape));
  if (shape == a.shape()) return a;
  const auto rest = [](const Shape& s) {
    std::int64_t p = 1;
    for (std::size_t k = 1; k < s.size(); ++k) p *= s[k];
    return p;
  };
  // Blocks of `unit`-element runs: `in_rows` rows of a, `out_rows` rows of the result.
  std::int64_t in_rows = 0, out_rows = 0, per_block = 1, units = 1;
  const bool single = a.size() == 0 || a.ndim() == 0 || shape.empty();
  if (!single) {
    const std::int64_t pin = rest(a.shape()), pout = rest(shape), unit = std::lcm(pin, pout);
    in_rows = unit / pin;
    out_rows = unit / pout;
    units = a.size() / unit;
    const std::int64_t widest = *std::max_element(a.chunks()[0].begin(), a.chunks()[0].end());
    per_block = std::max<std::int64_t>(1, widest / in_rows);
  }
  Chunks in_chunks, out_chunks;
  if (single) {
    for (auto d : a.shape()) in_chunks.push_back({d});
    for (auto d : shape) out_chunks.push_back({d});
  } else {
    in_chunks.emplace_back();
    out_chunks.emplace_back();
    for (std::int64_t u = 0; u < units; u += per_block) {
      const std::int64_t n = std::min(per_block, units - u);
      in_chunks[0].push_back(n * in_rows);
      out_chunks[0].push_back(n * out_rows);
    }
    for (std::size_t k = 1; k < a.ndim(); ++k) in_chunks.push_back({a.shape()[k]});
    for (std::size_t k = 1; k < shape.size(); ++k) out_chunks.push_back({shape[k]});
  }
  const Array x = a.rechunk(in_chunks);
  Tokenizer t;
  t.add("reshape").add(x.name());
  for (auto d : shape) t.add(d);
  const std::string name = "reshape-" + t.hex();
  std::vector<TaskSpec> tasks;
  const auto nblocks = static_cast<std::int64_t>(in_chunks.empty() ? 1 : in_chunks[0].size());
  for (std::int64_t b = 0; b < nblocks; ++b) {
    std::vector<std::int64_t> in_idx(x.ndim(), 0), out_idx(shape.size(), 0);
    if (!in_idx.empty()) in_idx[0] = b;
    if (!out_idx.empty()) out_idx[0] = b;
    ValueList bs;
    for (auto d : block_shape(out_chunks, out_idx)) bs.emplace_back(d);
    tasks.push_back(TaskSpec{Key(name, out_idx), array_functions().reshape, {Arg(x.block_key(in_idx)), Arg(Value(std::move(bs)))}});
  }
  return Array(name, make_layer(name, std::move(tasks), {x.layer()}), std::move(shape), std::move(out_chunks), a.dtype());
}

}  // namespace tessera::array

// Reductions: a chunk step per block, then one tree_reduce per output block
// (the blocks along the reduced axis, or all blocks), then a finalize step
// that gives the output block its shape:
//
//   block block block     chunk:    "array.sum_chunk"(block, axis)
//     \    |    /         combine:  "array.sum_combine"([partials])  (tree, split_every)
//      finalize           finalize: "array.reshape"(partial, shape)  -> ('sum-...', i, ...)
#include <functional>
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/array_functions.hpp"
#include "collections/array/fused_expr.hpp"
#include "collections/core/tree_reduce.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

struct ReductionPlan {
  std::string prefix;         // "sum", "mean", ...
  FunctionPtr chunk;          // (block, axis) -> partial
  FunctionPtr combine;        // ([partials]) -> partial
  FunctionPtr finalize;       // (partial, shape, extra...) -> block
  std::vector<Value> extra;   // finalize's trailing arguments
  DType dtype;
  // Per-block trailing arguments of the chunk step (then blocks are read
  // materialised, never through a fused expression).
  std::function<std::vector<Value>(const std::vector<std::int64_t>& idx)> chunk_args = nullptr;
};

Array reduce(const Array& a, const ReduceOptions& o, const ReductionPlan& plan) {
  std::optional<std::int64_t> axis;
  if (o.axis) axis = normalize_axis(*o.axis, a.ndim());
  if (o.split_every < 2)
    throw ValueError(plan.prefix + ": split_every must be at least 2, got " + std::to_string(o.split_every));
  const std::int64_t chunk_axis = axis.value_or(-1);

  Tokenizer t;
  t.add(plan.prefix).add(a.name()).add(chunk_axis).add(static_cast<std::int64_t>(o.keepdims))
      .add(static_cast<std::int64_t>(o.split_every));
  for (const auto& v : plan.extra) t.add(v);
  const std::string token = t.hex();
  const std::string chunk_name = plan.prefix + "-chunk-" + token;
  const std::string out_name = plan.prefix + "-" + token;

  // 1. One partial per block; over a fused expression, the chunk step
  // evaluates it tile by tile (its blocks are never materialised).
  std::vector<TaskSpec> chunk_tasks;
  LayerPtr chunk_layer;
  if ((a.expr() || is_generated(a)) && !plan.chunk_args) {
    const FusedExpr e = expr_of(a);
    const Value program = program_value(e), axes = leaf_axes_value(e);
    for (const auto& idx : block_indices(a.chunks()))
      chunk_tasks.push_back(TaskSpec{Key(chunk_name, idx), array_functions().fused_reduce,
                                     {Arg(Value(plan.chunk->name)), Arg(Value(plan.combine->name)), Arg(program),
                                      Arg(axes), leaf_blocks_arg(e, idx),
                                      Arg(shape_value(block_shape(a.chunks(), idx))), Arg(Value(chunk_axis))}});
    chunk_layer = make_layer(chunk_name, std::move(chunk_tasks), leaf_layers(e));
  } else {
    for (const auto& idx : block_indices(a.chunks())) {
      ArgList args{Arg(a.block_key(idx)), Arg(Value(chunk_axis))};
      if (plan.chunk_args)
        for (auto& v : plan.chunk_args(idx)) args.emplace_back(std::move(v));
      chunk_tasks.push_back(TaskSpec{Key(chunk_name, idx), plan.chunk, std::move(args)});
    }
    chunk_layer = make_layer(chunk_name, std::move(chunk_tasks), {a.layer()});
  }

  // 2. The output grid: the reduced axes collapse to one block.
  Chunks reduced = a.chunks();
  for (std::size_t k = 0; k < reduced.size(); ++k)
    if (!axis || static_cast<std::int64_t>(k) == *axis) reduced[k] = {1};
  Chunks out_chunks;
  Shape out_shape;
  for (std::size_t k = 0; k < reduced.size(); ++k) {
    const bool is_reduced = !axis || static_cast<std::int64_t>(k) == *axis;
    if (is_reduced && !o.keepdims) continue;
    out_chunks.push_back(reduced[k]);
    out_shape.push_back(is_reduced ? 1 : a.shape()[k]);
  }

  // 3. Per output block: a tree over its group of partials, then finalize.
  std::vector<TaskSpec> final_tasks;
  std::vector<LayerPtr> trees;
  const auto numblocks = array::numblocks(a.chunks());
  for (const auto& ridx : block_indices(reduced)) {
    std::vector<Key> group;
    std::vector<std::int64_t> idx = ridx;
    const std::int64_t along = axis ? numblocks[static_cast<std::size_t>(*axis)] : 0;
    if (axis) {
      for (std::int64_t j = 0; j < along; ++j) {
        idx[static_cast<std::size_t>(*axis)] = j;
        group.emplace_back(chunk_name, idx);
      }
    } else {
      for (const auto& all : block_indices(a.chunks())) group.emplace_back(chunk_name, all);
    }
    auto tree = tree_reduce(group, {chunk_layer}, {plan.prefix, plan.combine, nullptr, o.split_every});
    std::vector<std::int64_t> out_idx;
    for (std::size_t k = 0; k < ridx.size(); ++k) {
      const bool is_reduced = !axis || static_cast<std::int64_t>(k) == *axis;
      if (!is_reduced || o.keepdims) out_idx.push_back(ridx[k]);
    }
    ArgList args{Arg(tree.key), Arg(shape_value(block_shape(out_chunks, out_idx)))};
    for (const auto& v : plan.extra) args.emplace_back(v);
    final_tasks.push_back(TaskSpec{Key(out_name, out_idx), plan.finalize, std::move(args)});
    trees.push_back(std::move(tree.layer));
  }
  return Array(out_name, make_layer(out_name, std::move(final_tasks), std::move(trees)), out_shape,
               std::move(out_chunks), plan.dtype);
}

Array simple(const Array& a, const ReduceOptions& o, kernels::ReduceOp op) {
  const auto& f = array_functions();
  const auto i = static_cast<int>(op);
  return reduce(a, o,
                {std::string(kernels::reduce_name(op)), f.reduce_chunk[i], f.reduce_combine[i], f.reshape, {},
                 kernels::reduce_result(op, a.dtype())});
}

}  // namespace

Array Array::sum(const ReduceOptions& o) const { return simple(*this, o, kernels::ReduceOp::sum); }
Array Array::prod(const ReduceOptions& o) const { return simple(*this, o, kernels::ReduceOp::prod); }
Array Array::min(const ReduceOptions& o) const {
  if (size() == 0) throw ValueError("min: zero-size array to reduction operation minimum which has no identity");
  return simple(*this, o, kernels::ReduceOp::min);
}
Array Array::max(const ReduceOptions& o) const {
  if (size() == 0) throw ValueError("max: zero-size array to reduction operation maximum which has no identity");
  return simple(*this, o, kernels::ReduceOp::max);
}
Array Array::any(const ReduceOptions& o) const { return simple(*this, o, kernels::ReduceOp::any); }
Array Array::all(const ReduceOptions& o) const { return simple(*this, o, kernels::ReduceOp::all); }

Array Array::mean(const ReduceOptions& o) const {
  const auto& f = array_functions();
  return reduce(*this, o, {"mean", f.mean_chunk, f.mean_combine, f.mean_finalize, {}, DType::float64});
}

Array Array::var(const ReduceOptions& o) const {
  const auto& f = array_functions();
  return reduce(*this, o,
                {"var", f.moment_chunk, f.moment_combine, f.var_finalize, {Value(o.ddof), Value(false)},
                 DType::float64});
}

Array Array::std(const ReduceOptions& o) const {
  const auto& f = array_functions();
  return reduce(*this, o,
                {"std", f.moment_chunk, f.moment_combine, f.var_finalize, {Value(o.ddof), Value(true)},
                 DType::float64});
}

static Array arg_reduce(const Array& a, const ReduceOptions& o, bool max) {
  const std::string name = max ? "argmax" : "argmin";
  if (a.size() == 0) throw ValueError("attempt to get " + name + " of an empty sequence");
  const auto& f = array_functions();
  std::vector<std::vector<std::int64_t>> offs;
  for (const auto& c : a.chunks()) offs.push_back(offsets(c));
  ValueList shape;
  for (auto d : a.shape()) shape.emplace_back(d);
  const Value shape_v(std::move(shape));
  auto chunk_args = [offs, shape_v](const std::vector<std::int64_t>& idx) {
    ValueList origin;
    for (std::size_t k = 0; k < idx.size(); ++k) origin.emplace_back(offs[k][static_cast<std::size_t>(idx[k])]);
    return std::vector<Value>{Value(std::move(origin)), shape_v};
  };
  return reduce(a, o, {name, f.arg_chunk[max ? 1 : 0], f.arg_combine[max ? 1 : 0], f.arg_finalize, {}, DType::int64,
                       chunk_args});
}

Array Array::argmin(const ReduceOptions& o) const { return arg_reduce(*this, o, false); }
Array Array::argmax(const ReduceOptions& o) const { return arg_reduce(*this, o, true); }

Array Array::nansum(const ReduceOptions& o) const {
  if (dtype_ != DType::float32 && dtype_ != DType::float64) return sum(o);  // integers have no NaN
  return where(isnan(*this), Value(0.0), *this).sum(o);
}

Array Array::nanmean(const ReduceOptions& o) const {
  if (dtype_ != DType::float32 && dtype_ != DType::float64) return mean(o);
  return nansum(o).astype(DType::float64) / logical_not(isnan(*this)).astype(DType::float64).sum(o);
}

}  // namespace tessera::array

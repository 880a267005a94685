#include "collections/array/fused_expr.hpp"

#include "collections/array/array_functions.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

std::vector<std::int64_t> identity_axes(std::size_t n) {
  std::vector<std::int64_t> axes(n);
  for (std::size_t k = 0; k < n; ++k) axes[k] = static_cast<std::int64_t>(k);
  return axes;
}

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

}  // namespace

FusedExpr expr_of(const Array& a) {
  if (a.expr()) return *a.expr();
  return FusedExpr{{FusedLeaf{a, identity_axes(a.ndim())}}, {Value(ValueList{Value("leaf"), Value(0)})}};
}

FusedExpr merge_exprs(FusedExpr a, const FusedExpr& b) {
  std::vector<std::int64_t> remap;
  for (const auto& leaf : b.leaves) {
    std::size_t k = 0;
    while (k < a.leaves.size() &&
           !(a.leaves[k].array.name() == leaf.array.name() && a.leaves[k].axes == leaf.axes))
      ++k;
    if (k == a.leaves.size()) a.leaves.push_back(leaf);
    remap.push_back(static_cast<std::int64_t>(k));
  }
  for (const auto& ins : b.program) {
    const auto& l = ins.as_list();
    if (l.at(0).as_string() == "leaf")
      a.program.emplace_back(ValueList{Value("leaf"), Value(remap.at(static_cast<std::size_t>(l.at(1).as_int())))});
    else
      a.program.push_back(ins);
  }
  return a;
}

FusedExpr transpose_expr(const FusedExpr& e, const std::vector<std::int64_t>& axes) {
  FusedExpr out = e;
  for (auto& leaf : out.leaves) {
    std::vector<std::int64_t> composed;
    for (auto k : axes) composed.push_back(leaf.axes[static_cast<std::size_t>(k)]);  // -1 stays -1
    leaf.axes = std::move(composed);
  }
  return out;
}

FusedExpr broadcast_expr(const FusedExpr& e, std::size_t ndim, std::size_t out_ndim,
                         const std::vector<bool>& stretched) {
  FusedExpr out = e;
  const std::size_t pad = out_ndim - ndim;
  for (auto& leaf : out.leaves) {
    std::vector<std::int64_t> axes(pad, -1);
    for (std::size_t k = 0; k < ndim; ++k) axes.push_back(stretched[pad + k] ? -1 : leaf.axes[k]);
    leaf.axes = std::move(axes);
  }
  return out;
}

Key leaf_block_key(const FusedLeaf& leaf, const std::vector<std::int64_t>& idx) {
  std::vector<std::int64_t> j(leaf.array.ndim(), 0);
  for (std::size_t k = 0; k < idx.size(); ++k)
    if (leaf.axes[k] >= 0) j[static_cast<std::size_t>(leaf.axes[k])] = idx[k];
  return leaf.array.block_key(j);
}

Value shape_value(const Shape& shape) { return int_list(shape); }

Value program_value(const FusedExpr& e) { return Value(e.program); }

Value leaf_axes_value(const FusedExpr& e) {
  ValueList l;
  for (const auto& leaf : e.leaves) l.push_back(int_list(leaf.axes));
  return Value(std::move(l));
}

Arg leaf_blocks_arg(const FusedExpr& e, const std::vector<std::int64_t>& idx) {
  ArgList blocks;
  for (const auto& leaf : e.leaves) blocks.emplace_back(leaf_block_key(leaf, idx));
  return Arg(std::move(blocks));
}

std::vector<LayerPtr> leaf_layers(const FusedExpr& e) {
  std::vector<LayerPtr> deps;
  for (const auto& leaf : e.leaves) deps.push_back(leaf.array.layer());
  return deps;
}

Array fused_array(std::string_view prefix, FusedExpr e, Shape shape, Chunks chunks, DType dtype) {
  for (const auto& leaf : e.leaves) {
    std::vector<bool> read(leaf.array.ndim(), false);
    for (std::size_t k = 0; k < shape.size(); ++k) {
      if (leaf.axes[k] < 0) continue;
      const auto src = static_cast<std::size_t>(leaf.axes[k]);
      read[src] = true;
      if (leaf.array.shape()[src] != shape[k] || leaf.array.chunks()[src] != chunks[k])
        throw ValueError(std::string(prefix) + ": an operand's axis " + std::to_string(src) +
                         " does not match the result's axis " + std::to_string(k));
    }
    for (std::size_t src = 0; src < read.size(); ++src)
      if (!read[src] && leaf.array.shape()[src] != 1)
        throw ValueError(std::string(prefix) + ": an operand's axis " + std::to_string(src) + " of extent " +
                         std::to_string(leaf.array.shape()[src]) + " is not read");
  }
  Tokenizer t;
  t.add("fused").add(prefix).add(program_value(e)).add(leaf_axes_value(e));
  for (const auto& leaf : e.leaves) t.add(leaf.array.name());
  const std::string name = std::string(prefix) + "-" + t.hex();
  const Value program = program_value(e), axes = leaf_axes_value(e);
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(chunks))
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().fused,
                             {Arg(program), Arg(axes), leaf_blocks_arg(e, idx), Arg(shape_value(block_shape(chunks, idx)))}});
  auto layer = make_layer(name, std::move(tasks), leaf_layers(e));
  return Array(name, std::move(layer), std::move(shape), std::move(chunks), dtype,
               std::make_shared<const FusedExpr>(std::move(e)));
}

std::optional<PlainOrTransposed> plain_or_transposed(const Array& a) {
  if (!a.expr()) return PlainOrTransposed{a, false};
  const FusedExpr& e = *a.expr();
  if (e.leaves.size() != 1 || e.program.size() != 1 || a.ndim() != 2) return std::nullopt;
  const auto& leaf = e.leaves.front();
  if (leaf.array.dtype() != a.dtype()) return std::nullopt;
  if (leaf.axes == std::vector<std::int64_t>{0, 1}) return PlainOrTransposed{leaf.array, false};
  return PlainOrTransposed{leaf.array, true};
}

}  // namespace tessera::array

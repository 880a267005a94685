#include "collections/array/fused_expr.hpp"

#include "collections/array/array_functions.hpp"
#include "collections/array/fused_kernels.hpp"
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

namespace {

std::vector<std::int64_t> leaf_block_index(const FusedLeaf& leaf, const std::vector<std::int64_t>& idx) {
  std::vector<std::int64_t> j(leaf.array.ndim(), 0);
  for (std::size_t k = 0; k < idx.size(); ++k)
    if (leaf.axes[k] >= 0) j[static_cast<std::size_t>(leaf.axes[k])] = idx[k];
  return j;
}

bool is_uniform_task(const TaskSpec& t) {
  return t.fn == array_functions().random && t.args.size() == 5 && t.args[0].kind() == Arg::Kind::literal &&
         t.args[0].literal().kind() == ValueKind::string && t.args[0].literal().as_string() == "uniform";
}

bool is_read_raw_task(const TaskSpec& t) {
  if (t.fn != array_functions().read_raw || t.args.size() != 6) return false;
  for (const auto& arg : t.args)
    if (arg.kind() != Arg::Kind::literal) return false;
  return true;
}

/// The task of block `j` of an array whose one layer lists its blocks in
/// row-major order of their indices, as creation layers do.
const TaskSpec* block_task(const Array& a, const std::vector<std::int64_t>& j) {
  const auto nb = a.numblocks();
  std::int64_t linear = 0;
  for (std::size_t k = 0; k < nb.size(); ++k) linear = linear * nb[k] + j[k];
  const auto& tasks = a.layer()->tasks;
  if (linear >= static_cast<std::int64_t>(tasks.size())) return nullptr;
  const TaskSpec& t = tasks[static_cast<std::size_t>(linear)];
  return t.key == a.block_key(j) ? &t : nullptr;
}

/// True when `a` is one creation layer whose every block task passes `is`.
bool is_creation(const Array& a, bool (*is)(const TaskSpec&)) {
  if (a.expr() || !a.layer() || !a.layer()->external.empty() || a.layer()->tasks.empty()) return false;
  const auto& tasks = a.layer()->tasks;
  return static_cast<std::int64_t>(tasks.size()) == shape_size(a.numblocks()) && is(tasks.front());
}

}  // namespace

bool is_generated(const Array& a) { return is_creation(a, is_uniform_task); }

bool is_file_backed(const Array& a) { return is_creation(a, is_read_raw_task); }

bool is_inlined(const Array& a) { return is_generated(a) || is_file_backed(a); }

std::optional<Value> inline_block(const Array& a, const std::vector<std::int64_t>& j) {
  if (is_generated(a)) {
    const TaskSpec* t = block_task(a, j);
    if (!t || !is_uniform_task(*t)) return std::nullopt;
    for (std::size_t i = 1; i < 5; ++i)
      if (t->args[i].kind() != Arg::Kind::literal) return std::nullopt;
    return Value(ValueList{Value(kernels::LeafBlock::generator_tag), t->args[1].literal(), t->args[3].literal(),
                           t->args[4].literal(), t->args[2].literal()});
  }
  if (is_file_backed(a)) {
    const TaskSpec* t = block_task(a, j);
    if (!t || !is_read_raw_task(*t)) return std::nullopt;
    ValueList l{Value(kernels::LeafBlock::file_tag)};
    for (const auto& arg : t->args) l.push_back(arg.literal());
    return Value(std::move(l));
  }
  return std::nullopt;
}

Key leaf_block_key(const FusedLeaf& leaf, const std::vector<std::int64_t>& idx) {
  return leaf.array.block_key(leaf_block_index(leaf, idx));
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
  for (const auto& leaf : e.leaves) {
    // A uniform random block is made where it is read, and a raw file's
    // block is read there, not fetched as a block.
    if (auto block = inline_block(leaf.array, leaf_block_index(leaf, idx))) blocks.emplace_back(std::move(*block));
    else blocks.emplace_back(leaf_block_key(leaf, idx));
  }
  return Arg(std::move(blocks));
}

std::vector<LayerPtr> leaf_layers(const FusedExpr& e) {
  std::vector<LayerPtr> deps;
  for (const auto& leaf : e.leaves)
    if (!is_inlined(leaf.array)) deps.push_back(leaf.array.layer());
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
  // An expand_dims of a 1-D array is 2-D too, but its source's keys are not.
  if (leaf.array.dtype() != a.dtype() || leaf.array.ndim() != 2) return std::nullopt;
  if (leaf.axes == std::vector<std::int64_t>{0, 1}) return PlainOrTransposed{leaf.array, false};
  return PlainOrTransposed{leaf.array, true};
}

}  // namespace tessera::array

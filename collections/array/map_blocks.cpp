#include "collections/array/map_blocks.hpp"

#include <algorithm>
#include <functional>
#include <set>
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

/// The output chunks: the grid's, or the given ones (a single size per axis repeated).
Chunks apply_chunks(const Chunks& grid, const std::optional<Chunks>& given, const std::string& op) {
  if (!given) return grid;
  if (given->size() != grid.size())
    throw ValueError(op + ": chunks for " + std::to_string(given->size()) + " axes given, the output has " +
                     std::to_string(grid.size()));
  Chunks out;
  for (std::size_t a = 0; a < grid.size(); ++a) {
    const auto& g = (*given)[a];
    if (g.size() == grid[a].size()) out.push_back(g);
    else if (g.size() == 1) out.push_back(std::vector<std::int64_t>(grid[a].size(), g[0]));
    else
      throw ValueError(op + ": chunks give " + std::to_string(g.size()) + " blocks on axis " + std::to_string(a) +
                       " but the output has " + std::to_string(grid[a].size()));
    for (auto c : out.back())
      if (c < 0) throw ValueError(op + ": negative block size " + std::to_string(c) + " on axis " + std::to_string(a));
  }
  return out;
}

struct Letter {
  std::int64_t extent = -1;
  std::optional<std::vector<std::int64_t>> chunks;
};

}  // namespace

FunctionPtr BlockFunction::by_address(const void* address) {
  auto fn = Registry::global().find_address(address);
  if (!fn)
    throw ValueError("map_blocks: the C++ function given is not registered; register it with TESSERA_FUNCTION(fn) "
                     "so that workers can run it");
  return fn;
}

BlockFunction::BlockFunction(const std::string& name) : fn_(Registry::global().find(name)) {
  if (!fn_) throw ValueError("map_blocks: no function is registered as '" + name + "' (TESSERA_FUNCTION registers one)");
}

BlockFunction::BlockFunction(FunctionPtr fn) : fn_(std::move(fn)) {
  if (!fn_) throw ValueError("map_blocks: null function");
}

Array blockwise(const BlockFunction& fn, const std::string& out_index, const std::vector<BlockwiseInput>& inputs,
                const BlockwiseOptions& o) {
  const std::string op = "blockwise(" + fn.get()->name + ")";
  if (std::set<char>(out_index.begin(), out_index.end()).size() != out_index.size())
    throw ValueError(op + ": output index '" + out_index + "' repeats a letter");
  std::map<char, Letter> letters;
  std::optional<DType> first_dtype;
  for (const auto& in : inputs) {
    if (!in.array) continue;
    const Array& x = *in.array;
    if (!first_dtype) first_dtype = x.dtype();
    if (in.index.size() != x.ndim())
      throw ValueError(op + ": index '" + in.index + "' has " + std::to_string(in.index.size()) +
                       " letters but its array has " + std::to_string(x.ndim()) + " dimensions");
    if (std::set<char>(in.index.begin(), in.index.end()).size() != in.index.size())
      throw ValueError(op + ": index '" + in.index + "' repeats a letter (diagonals are not supported)");
    for (std::size_t k = 0; k < x.ndim(); ++k) {
      Letter& l = letters[in.index[k]];
      const std::int64_t ex = x.shape()[k];
      if (l.extent == -1 || l.extent == 1) {
        if (l.extent == -1 || ex != 1) l.extent = ex;
      } else if (ex != 1 && ex != l.extent) {
        throw ValueError(op + ": shapes do not broadcast: letter '" + std::string(1, in.index[k]) + "' has extent " +
                         std::to_string(l.extent) + " in one input and " + std::to_string(ex) + " in another");
      }
    }
  }
  auto broadcast = [&](const Array& x, const std::string& index, std::size_t k) {
    return x.shape()[k] == 1 && letters[index[k]].extent != 1;
  };
  for (const auto& in : inputs) {
    if (!in.array) continue;
    for (std::size_t k = 0; k < in.array->ndim(); ++k) {
      if (broadcast(*in.array, in.index, k)) continue;
      Letter& l = letters[in.index[k]];
      const auto& c = in.array->chunks()[k];
      l.chunks = l.chunks ? common_chunks(*l.chunks, c) : c;
    }
  }
  for (const auto& [ch, size] : o.new_axes) {
    if (letters.count(ch)) throw ValueError(op + ": new axis '" + std::string(1, ch) + "' is an input's letter too");
    if (size < 0) throw ValueError(op + ": new axis '" + std::string(1, ch) + "' has negative extent");
    letters[ch] = Letter{size, std::vector<std::int64_t>{size}};
  }
  Chunks grid;
  for (char ch : out_index) {
    auto it = letters.find(ch);
    if (it == letters.end())
      throw ValueError(op + ": output letter '" + std::string(1, ch) + "' appears in no input and not in new_axes");
    grid.push_back(*it->second.chunks);
  }
  // Inputs rechunked to their letters' chunks (broadcast axes keep their one block).
  std::vector<std::optional<Array>> arrays;
  for (const auto& in : inputs) {
    if (!in.array) {
      arrays.emplace_back();
      continue;
    }
    Chunks want = in.array->chunks();
    for (std::size_t k = 0; k < want.size(); ++k)
      if (!broadcast(*in.array, in.index, k)) want[k] = *letters[in.index[k]].chunks;
    arrays.emplace_back(in.array->rechunk(want));
  }
  const Chunks out_chunks = apply_chunks(grid, o.chunks, op);
  Shape shape;
  for (const auto& c : out_chunks) {
    std::int64_t s = 0;
    for (auto x : c) s += x;
    shape.push_back(s);
  }
  Tokenizer t;
  t.add("blockwise").add(fn.get()->name).add(out_index).add(static_cast<std::int64_t>(o.concatenate))
      .add(static_cast<std::int64_t>(o.block_id));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (arrays[i]) t.add(arrays[i]->name()).add(inputs[i].index);
    else t.add(inputs[i].literal);
  }
  for (const auto& a : o.args) t.add(a);
  for (const auto& c : out_chunks)
    for (auto x : c) t.add(x);
  const DType dtype = o.dtype.value_or(first_dtype.value_or(DType::float64));
  t.add(dtype_name(dtype));
  std::string prefix = o.name.empty() ? fn.get()->name : o.name;
  const std::string name = prefix + "-" + t.hex();
  const auto& fns = array_functions();
  std::vector<TaskSpec> tasks;
  std::vector<LayerPtr> deps;
  for (const auto& x : arrays)
    if (x) deps.push_back(x->layer());
  for (const auto& idx : block_indices(grid)) {
    std::map<char, std::int64_t> blk;
    for (std::size_t i = 0; i < out_index.size(); ++i) blk[out_index[i]] = idx[i];
    ArgList args;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (!arrays[i]) {
        args.emplace_back(inputs[i].literal);
        continue;
      }
      const Array& x = *arrays[i];
      const std::string& index = inputs[i].index;
      std::vector<std::size_t> contracted;
      for (std::size_t k = 0; k < index.size(); ++k)
        if (!blk.count(index[k]) && !broadcast(x, index, k)) contracted.push_back(k);
      auto key_at = [&](const std::map<std::size_t, std::int64_t>& fixed) {
        std::vector<std::int64_t> b(x.ndim());
        for (std::size_t k = 0; k < x.ndim(); ++k) {
          if (auto f = fixed.find(k); f != fixed.end()) b[k] = f->second;
          else if (broadcast(x, index, k) || !blk.count(index[k])) b[k] = 0;
          else b[k] = blk[index[k]];
        }
        return x.block_key(b);
      };
      if (contracted.empty()) {
        args.emplace_back(key_at({}));
        continue;
      }
      if (o.concatenate) {
        Chunks cells;
        std::vector<std::vector<std::int64_t>> sizes;
        for (std::size_t k = 0; k < x.ndim(); ++k) {
          const bool c = std::find(contracted.begin(), contracted.end(), k) != contracted.end();
          cells.push_back(std::vector<std::int64_t>(c ? x.chunks()[k].size() : 1, 1));
          sizes.push_back(c ? x.chunks()[k]
                            : std::vector<std::int64_t>{x.chunks()[k][static_cast<std::size_t>(key_at({}).index()[k])]});
        }
        ArgList pieces;
        for (const auto& cell : block_indices(cells)) {
          std::map<std::size_t, std::int64_t> fixed;
          for (auto k : contracted) fixed[k] = cell[k];
          pieces.emplace_back(key_at(fixed));
        }
        ValueList sz;
        for (const auto& s : sizes) sz.push_back(int_list(s));
        args.emplace_back(std::make_shared<const Call>(Call{fns.assemble, {Arg(std::move(pieces)), Arg(Value(std::move(sz)))}, Key()}));
        continue;
      }
      // Nested lists over the contracted axes, in the input's order.
      std::function<Arg(std::size_t, std::map<std::size_t, std::int64_t>&)> nest =
          [&](std::size_t level, std::map<std::size_t, std::int64_t>& fixed) -> Arg {
        if (level == contracted.size()) return Arg(key_at(fixed));
        ArgList l;
        const auto k = contracted[level];
        for (std::size_t b = 0; b < x.chunks()[k].size(); ++b) {
          fixed[k] = static_cast<std::int64_t>(b);
          l.push_back(nest(level + 1, fixed));
        }
        return Arg(std::move(l));
      };
      std::map<std::size_t, std::int64_t> fixed;
      args.push_back(nest(0, fixed));
    }
    for (const auto& a : o.args) args.emplace_back(a);
    if (o.block_id) args.emplace_back(int_list(idx));
    tasks.push_back(TaskSpec{Key(name, idx), fn.get(), std::move(args)});
  }
  return Array(name, make_layer(name, std::move(tasks), std::move(deps)), std::move(shape), out_chunks, dtype);
}

Array map_blocks(const BlockFunction& fn, const std::vector<Array>& arrays, const MapBlocksOptions& o) {
  const std::string op = "map_blocks(" + fn.get()->name + ")";
  if (arrays.empty()) throw ValueError(op + ": no arrays given");
  std::size_t nd = 0;
  for (const auto& x : arrays) nd = std::max(nd, x.ndim());
  if (nd > 26) throw ValueError(op + ": more than 26 dimensions");
  std::string in_letters;
  for (std::size_t k = 0; k < nd; ++k) in_letters.push_back(static_cast<char>('a' + k));
  std::vector<bool> dropped(nd, false);
  for (auto ax : o.drop_axis) {
    const auto k = static_cast<std::size_t>(normalize_axis(ax, nd));
    if (dropped[k]) throw ValueError(op + ": drop_axis repeats axis " + std::to_string(ax));
    dropped[k] = true;
  }
  std::string out_index;
  for (std::size_t k = 0; k < nd; ++k)
    if (!dropped[k]) out_index.push_back(in_letters[k]);
  BlockwiseOptions b{.dtype = o.dtype, .new_axes = {}, .concatenate = true, .chunks = o.chunks, .args = o.args,
                     .block_id = o.block_id, .name = o.name};
  const std::size_t out_nd = out_index.size() + o.new_axis.size();
  std::vector<std::int64_t> positions;
  for (auto ax : o.new_axis) positions.push_back(normalize_axis(ax, out_nd));
  std::sort(positions.begin(), positions.end());
  if (std::adjacent_find(positions.begin(), positions.end()) != positions.end())
    throw ValueError(op + ": new_axis repeats an axis");
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const char ch = static_cast<char>('A' + i);
    out_index.insert(out_index.begin() + positions[i], ch);
    b.new_axes[ch] = 1;
  }
  std::vector<BlockwiseInput> inputs;
  for (const auto& x : arrays) inputs.emplace_back(x, in_letters.substr(nd - x.ndim()));
  try {
    return blockwise(fn, out_index, inputs, b);
  } catch (const ValueError& e) {
    std::string msg = e.what();
    const auto at = msg.find("blockwise(");
    if (at == 0) msg = "map_blocks" + msg.substr(9);
    throw ValueError(msg);
  }
}

}  // namespace tessera::array

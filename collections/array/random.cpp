#include "collections/array/random.hpp"

#include <string>

#include "collections/array/array_functions.hpp"
#include "collections/array/random_kernels.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

}  // namespace

Array RandomState::make(std::string_view dist, const Value& a, const Value& b, const Shape& shape,
                        const ChunkSpec& chunks, DType dtype) {
  for (auto d : shape)
    if (d < 0) throw ValueError("random: negative dimensions are not allowed");
  Chunks c = normalize_chunks(chunks, shape, dtype);
  const std::uint64_t stream = kernels::mix_seed(kernels::mix_seed(seed_) ^ (calls_++ * 0xD1B54A32D192ED03ULL));
  Tokenizer t;
  t.add("random").add(dist).add(static_cast<std::int64_t>(stream)).add(a).add(b).add(int_list(shape));
  for (const auto& axis : c)
    for (auto x : axis) t.add(x);
  const std::string name = std::string(dist) + "-" + t.hex();
  const Value vdist{std::string(dist)};
  std::vector<TaskSpec> tasks;
  std::uint64_t linear = 0;
  for (const auto& idx : block_indices(c)) {
    const std::uint64_t block_seed = kernels::mix_seed(stream + kernels::mix_seed(++linear));
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().random,
                             {Arg(vdist), Arg(Value(static_cast<std::int64_t>(block_seed))),
                              Arg(int_list(block_shape(c, idx))), Arg(a), Arg(b)}});
  }
  return Array(name, make_layer(name, std::move(tasks)), shape, std::move(c), dtype);
}

Array RandomState::random_sample(const Shape& shape, const ChunkSpec& chunks) {
  return uniform(0.0, 1.0, shape, chunks);
}

Array RandomState::uniform(double low, double high, const Shape& shape, const ChunkSpec& chunks) {
  return make("uniform", Value(low), Value(high), shape, chunks, DType::float64);
}

Array RandomState::normal(double loc, double scale, const Shape& shape, const ChunkSpec& chunks) {
  if (!(scale >= 0)) throw ValueError("normal: scale " + std::to_string(scale) + " must be non-negative");
  return make("normal", Value(loc), Value(scale), shape, chunks, DType::float64);
}

Array RandomState::randint(std::int64_t low, std::int64_t high, const Shape& shape, const ChunkSpec& chunks) {
  if (low >= high)
    throw ValueError("randint: low >= high (" + std::to_string(low) + " >= " + std::to_string(high) + ")");
  return make("randint", Value(low), Value(high), shape, chunks, DType::int64);
}

}  // namespace tessera::array

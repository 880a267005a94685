#include "collections/array/linalg.hpp"

#include <string>

#include "collections/array/array_functions.hpp"
#include "collections/array/blas_kernels.hpp"
#include "collections/array/fused_expr.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {

Array matmul(const Array& a, const Array& b) {
  if (a.ndim() != 2 || b.ndim() != 2)
    throw ValueError("matmul: operands must be 2-D, got " + std::to_string(a.ndim()) + "-D and " +
                     std::to_string(b.ndim()) + "-D");
  if (a.shape()[1] != b.shape()[0])
    throw ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0 (size " +
                     std::to_string(b.shape()[0]) + " is different from " + std::to_string(a.shape()[1]) + ")");
  if (a.chunks()[1] != b.chunks()[0]) {  // the shared axis: both rechunked to its common refinement
    const auto inner = common_chunks(a.chunks()[1], b.chunks()[0]);
    return matmul(a.rechunk(Chunks{a.chunks()[0], inner}), b.rechunk(Chunks{inner, b.chunks()[1]}));
  }
  const auto pa = plain_or_transposed(a).value_or(PlainOrTransposed{a, false});
  const auto pb = plain_or_transposed(b).value_or(PlainOrTransposed{b, false});
  Tokenizer t;
  t.add("matmul").add(pa.source.name()).add(static_cast<std::int64_t>(pa.transposed)).add(pb.source.name())
      .add(static_cast<std::int64_t>(pb.transposed));
  const std::string name = "matmul-" + t.hex();
  const Chunks out_chunks{a.chunks()[0], b.chunks()[1]};
  const auto inner = static_cast<std::int64_t>(a.chunks()[1].size());
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(out_chunks)) {
    ArgList left, right;
    for (std::int64_t k = 0; k < inner; ++k) {
      left.emplace_back(pa.source.block_key(pa.transposed ? std::vector{k, idx[0]} : std::vector{idx[0], k}));
      right.emplace_back(pb.source.block_key(pb.transposed ? std::vector{idx[1], k} : std::vector{k, idx[1]}));
    }
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().matmul,
                             {Arg(std::move(left)), Arg(std::move(right)), Arg(Value(pa.transposed)),
                              Arg(Value(pb.transposed))}});
  }
  auto layer = make_layer(name, std::move(tasks), {pa.source.layer(), pb.source.layer()});
  return Array(name, std::move(layer), {a.shape()[0], b.shape()[1]}, out_chunks,
               kernels::matmul_result(a.dtype(), b.dtype()));
}

Array dot(const Array& a, const Array& b) {
  if (a.ndim() == 1 && b.ndim() == 1) {
    if (a.shape() != b.shape())
      throw ValueError("dot: shapes (" + std::to_string(a.shape()[0]) + ",) and (" + std::to_string(b.shape()[0]) +
                       ",) not aligned");
    return (a * b).sum();
  }
  if (a.ndim() != 2 || b.ndim() != 2)
    throw ValueError("dot: supported for two 1-D or two 2-D arrays, got " + std::to_string(a.ndim()) + "-D and " +
                     std::to_string(b.ndim()) + "-D");
  return matmul(a, b);
}

}  // namespace tessera::array

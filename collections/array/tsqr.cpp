#include "collections/array/tsqr.hpp"

#include <algorithm>
#include <string>

#include "collections/array/array_functions.hpp"
#include "collections/array/linalg.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

/// float32 input gives float32 results, as numpy.linalg; everything else float64.
Array result_dtype(const Array& x, DType in) { return in == DType::float32 ? x.astype(DType::float32) : x; }

void check_tall_and_skinny(const Array& a, const std::string& op) {
  if (a.ndim() != 2)
    throw ValueError(op + ": tsqr needs a 2-D array, got " + std::to_string(a.ndim()) + "-D");
  if (a.chunks()[1].size() != 1)
    throw ValueError(op + ": tsqr needs a tall-and-skinny array with a single block of columns, got chunks " +
                     chunks_repr(a.chunks()) + " (" + std::to_string(a.chunks()[1].size()) +
                     " column blocks); rechunk it with ChunkSpec::per_axis({rows, -1}) first");
}

/// The float64 Q, R of tsqr (before any float32 cast).
QRResult tsqr64(const Array& a, const std::string& op) {
  check_tall_and_skinny(a, op);
  const auto& fns = array_functions();
  Tokenizer t;
  t.add("tsqr").add(a.name());
  const std::string tok = t.hex();
  const std::string blocks = "tsqr-block-" + tok, stack = "tsqr-stack-" + tok, qname = "tsqr-q-" + tok,
                    rname = "tsqr-r-" + tok;
  const std::int64_t n = a.shape()[1];
  const auto& rows = a.chunks()[0];
  std::vector<TaskSpec> block_tasks, q_tasks;
  ArgList pairs;
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto ii = static_cast<std::int64_t>(i);
    Key k(blocks, {ii});
    block_tasks.push_back(TaskSpec{k, fns.qr_block, {Arg(a.block_key({ii, 0}))}});
    pairs.emplace_back(k);
    q_tasks.push_back(TaskSpec{Key(qname, {ii, 0}), fns.tsqr_q, {Arg(k), Arg(Key(stack, {})), Arg(Value(offset))}});
    offset += std::min(rows[i], n);
  }
  const std::int64_t k = std::min(offset, n);
  auto block_layer = make_layer(blocks, std::move(block_tasks), {a.layer()});
  auto stack_layer = make_layer(stack, {TaskSpec{Key(stack, {}), fns.tsqr_stack, {Arg(std::move(pairs))}}}, {block_layer});
  auto q_layer = make_layer(qname, std::move(q_tasks), {block_layer, stack_layer});
  auto r_layer = make_layer(
      rname, {TaskSpec{Key(rname, {0, 0}), fns.list_item, {Arg(Key(stack, {})), Arg(Value(std::int64_t{1}))}}},
      {stack_layer});
  return {Array(qname, std::move(q_layer), {a.shape()[0], k}, Chunks{rows, {k}}, DType::float64),
          Array(rname, std::move(r_layer), {k, n}, Chunks{{k}, {n}}, DType::float64)};
}

}  // namespace

QRResult tsqr(const Array& a) {
  QRResult r = tsqr64(a, "tsqr");
  return {result_dtype(r.q, a.dtype()), result_dtype(r.r, a.dtype())};
}

QRResult qr(const Array& a) {
  QRResult r = tsqr64(a, "qr");
  return {result_dtype(r.q, a.dtype()), result_dtype(r.r, a.dtype())};
}

SVDResult svd(const Array& a) {
  const QRResult qr = tsqr64(a, "svd");
  const auto& fns = array_functions();
  const std::int64_t k = qr.r.shape()[0], n = qr.r.shape()[1];
  const std::string small = "svd-small-" + qr.r.name().substr(qr.r.name().rfind('-') + 1);
  auto small_layer =
      make_layer(small, {TaskSpec{Key(small, {}), fns.svd_block, {Arg(qr.r.block_key({0, 0}))}}}, {qr.r.layer()});
  auto pick = [&](const std::string& prefix, std::int64_t item, std::vector<std::int64_t> idx, Shape shape) {
    const std::string name = prefix + small.substr(small.rfind('-') + 1);
    Chunks chunks;
    for (auto d : shape) chunks.push_back({d});
    auto layer = make_layer(name, {TaskSpec{Key(name, idx), fns.list_item, {Arg(Key(small, {})), Arg(Value(item))}}},
                            {small_layer});
    return Array(name, std::move(layer), std::move(shape), std::move(chunks), DType::float64);
  };
  const Array ur = pick("svd-ur-", 0, {0, 0}, {k, k});
  const Array s = pick("svd-s-", 1, {0}, {k});
  const Array vt = pick("svd-vt-", 2, {0, 0}, {k, n});
  return {result_dtype(matmul(qr.q, ur), a.dtype()), result_dtype(s, a.dtype()), result_dtype(vt, a.dtype())};
}

}  // namespace tessera::array

#include "collections/array/array_functions.hpp"

#include "runtime/registry/registry.hpp"

namespace tessera::array {
namespace {

using namespace kernels;

template <class F>
FunctionPtr reg(const std::string& name, F f, std::string doc) {
  register_function(name, std::move(f), std::move(doc));
  return Registry::global().get(name);
}

ArrayFunctions make() {
  ArrayFunctions fns;
  for (int i = 0; i < 10; ++i) {
    const auto op = static_cast<BinaryOp>(i);
    const std::string n(binary_name(op));
    fns.binary[i] = reg("array." + n,
                        [op](const NDArray& a, const NDArray& b) { return binary(op, a, b); },
                        "block " + n + " block, element-wise (NumPy semantics)");
    fns.binary_scalar[i] = reg(
        "array." + n + "_scalar",
        [op](const NDArray& a, const Value& s) { return binary_scalar(op, a, s, false); },
        "block " + n + " scalar, element-wise");
    fns.rbinary_scalar[i] = reg(
        "array.r" + n + "_scalar",
        [op](const NDArray& a, const Value& s) { return binary_scalar(op, a, s, true); },
        "scalar " + n + " block, element-wise");
  }
  for (int i = 0; i < 4; ++i) {
    const auto op = static_cast<UnaryOp>(i);
    fns.unary[i] = reg("array." + std::string(unary_name(op)),
                       [op](const NDArray& a) { return unary(op, a); }, "element-wise");
  }
  fns.astype = reg("array.astype",
                   [](const NDArray& a, const std::string& dtype) { return astype(a, parse_dtype(dtype)); },
                   "the block converted to a dtype");
  fns.full = reg("array.full",
                 [](const std::vector<std::int64_t>& shape, const Value& fill, const std::string& dtype) {
                   return full(shape, fill, parse_dtype(dtype));
                 },
                 "a block of one value");
  fns.arange = reg("array.arange",
                   [](const Value& start, const Value& step, std::int64_t offset, std::int64_t n,
                      const std::string& dtype) { return arange(start, step, offset, n, parse_dtype(dtype)); },
                   "n values start + (offset + i) * step");
  fns.linspace = reg("array.linspace",
                     [](double start, double stop, std::int64_t num, bool endpoint, std::int64_t offset,
                        std::int64_t n) { return linspace(start, stop, num, endpoint, offset, n); },
                     "a block of NumPy's linspace");
  fns.getitem = reg("array.getitem",
                    [](const NDArray& a, const std::vector<std::int64_t>& start,
                       const std::vector<std::int64_t>& stop, const std::vector<std::int64_t>& step,
                       const std::vector<std::int64_t>& keep) {
                      return getitem(a, start, stop, step, std::vector<bool>(keep.begin(), keep.end()));
                    },
                    "a strided sub-block; axes whose keep is 0 are dropped");
  fns.reshape = reg("array.reshape",
                    [](const NDArray& a, const std::vector<std::int64_t>& shape) { return reshape(a, shape); },
                    "the block with another shape of equal size");
  for (int i = 0; i < 6; ++i) {
    const auto op = static_cast<ReduceOp>(i);
    const std::string n(reduce_name(op));
    fns.reduce_chunk[i] = reg("array." + n + "_chunk",
                              [op](const NDArray& a, std::int64_t axis) { return reduce(op, a, axis); },
                              n + " of a block along an axis (-1: all), axes kept");
    fns.reduce_combine[i] = reg("array." + n + "_combine",
                                [op](const std::vector<NDArray>& parts) { return combine(op, parts); },
                                n + " of a list of partials");
  }
  fns.mean_chunk = reg("array.mean_chunk", [](const NDArray& a, std::int64_t axis) { return mean_chunk(a, axis); },
                       "[count, sum] of a block");
  fns.mean_combine = reg("array.mean_combine", [](const ValueList& p) { return mean_combine(p); },
                         "[count, sum] of a list of partials");
  fns.mean_finalize = reg("array.mean_finalize",
                          [](const ValueList& p, const std::vector<std::int64_t>& shape) {
                            return mean_finalize(p, shape);
                          },
                          "sum / count, reshaped");
  fns.moment_chunk = reg("array.moment_chunk",
                         [](const NDArray& a, std::int64_t axis) { return moment_chunk(a, axis); },
                         "[count, mean, M2] of a block");
  fns.moment_combine = reg("array.moment_combine", [](const ValueList& p) { return moment_combine(p); },
                           "[count, mean, M2] of partials (Chan et al.)");
  fns.var_finalize = reg("array.var_finalize",
                         [](const ValueList& p, const std::vector<std::int64_t>& shape, std::int64_t ddof,
                            bool sqrt) { return var_finalize(p, shape, ddof, sqrt); },
                         "M2 / (count - ddof), its square root for std");
  return fns;
}

}  // namespace

const ArrayFunctions& array_functions() {
  static const ArrayFunctions fns = make();
  return fns;
}

}  // namespace tessera::array

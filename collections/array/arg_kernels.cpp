#include "collections/array/arg_kernels.hpp"

#include <cstring>
#include <string>

#include "collections/array/kernel_util.hpp"
#include "collections/array/kernels.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

using namespace detail;

template <class C>
bool is_nan(C v) {
  if constexpr (std::is_floating_point_v<C>) return v != v;
  else return false;
}

/// Whether (v, i) beats (cur, ci): the first NaN, then the extreme, then the smaller index.
template <class C>
bool better(bool max, C v, std::int64_t i, C cur, std::int64_t ci) {
  if (is_nan(cur)) return is_nan(v) && i < ci;
  if (is_nan(v)) return true;
  if (v == cur) return i < ci;
  return max ? v > cur : v < cur;
}

}  // namespace

ValueList arg_chunk(const NDArray& a, std::int64_t axis, bool max, const std::vector<std::int64_t>& origin,
                    const Shape& shape) {
  const std::size_t nd = a.ndim();
  if (origin.size() != nd || shape.size() != nd) throw ValueError("array.arg_chunk: origin and shape need " + std::to_string(nd) + " axes");
  if (a.size() == 0) throw ValueError("attempt to get argmax of an empty sequence");
  std::int64_t outer = 1, len = 1, inner = 1;
  Shape out_shape(nd, 1);
  if (axis >= 0) {
    for (std::int64_t k = 0; k < axis; ++k) outer *= a.shape()[static_cast<std::size_t>(k)];
    len = a.shape()[static_cast<std::size_t>(axis)];
    for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < nd; ++k) inner *= a.shape()[k];
    out_shape = a.shape();
    out_shape[static_cast<std::size_t>(axis)] = 1;
  } else {
    len = a.size();
  }
  // Flat index in the whole array of the block's element at local flat position p.
  std::vector<std::int64_t> stride(nd, 1);
  for (std::size_t k = nd; k-- > 1;) stride[k - 1] = stride[k] * shape[k];
  auto global_flat = [&](std::int64_t p) {
    std::int64_t g = 0;
    for (std::size_t k = nd; k-- > 0;) {
      const std::int64_t ext = a.shape()[k];
      g += (origin[k] + p % ext) * stride[k];
      p /= ext;
    }
    return g;
  };
  auto idx = make_buffer(static_cast<std::size_t>(outer * inner) * sizeof(std::int64_t));
  auto vals = alloc(a.dtype(), outer * inner);
  std::int64_t* ix = idx->mutable_as<std::int64_t>().data();
  visit_dtype(a.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    const auto x = a.values<C>();
    C* v = vals->template mutable_as<C>().data();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t i = 0; i < inner; ++i) {
        std::int64_t best = 0;
        for (std::int64_t j = 1; j < len; ++j)
          if (better(max, x[(o * len + j) * inner + i], j, x[(o * len + best) * inner + i], best)) best = j;
        v[o * inner + i] = x[(o * len + best) * inner + i];
        ix[o * inner + i] = axis >= 0 ? origin[static_cast<std::size_t>(axis)] + best : global_flat(best);
      }
  });
  return {Value(NDArray(a.dtype(), out_shape, std::move(vals))), Value(NDArray(DType::int64, out_shape, std::move(idx)))};
}

ValueList arg_combine(const ValueList& partials, bool max) {
  if (partials.empty()) throw ValueError("array.arg_combine: no partials");
  const NDArray& v0 = partials.front().as_list().at(0).as_ndarray();
  auto vals = alloc(v0.dtype(), v0.size());
  auto idx = make_buffer(static_cast<std::size_t>(v0.size()) * sizeof(std::int64_t));
  std::memcpy(vals->mutable_data(), v0.buffer()->data(), v0.nbytes());
  const NDArray& i0 = partials.front().as_list().at(1).as_ndarray();
  std::memcpy(idx->mutable_data(), i0.buffer()->data(), i0.nbytes());
  std::int64_t* ix = idx->mutable_as<std::int64_t>().data();
  visit_dtype(v0.dtype(), [&](auto tag) {
    using C = typename decltype(tag)::type;
    C* v = vals->template mutable_as<C>().data();
    for (std::size_t p = 1; p < partials.size(); ++p) {
      const auto& part = partials[p].as_list();
      const auto pv = part.at(0).as_ndarray().values<C>();
      const auto pi = part.at(1).as_ndarray().values<std::int64_t>();
      if (static_cast<std::int64_t>(pv.size()) != v0.size()) throw ValueError("array.arg_combine: partials differ in shape");
      for (std::size_t k = 0; k < pv.size(); ++k)
        if (better(max, pv[k], pi[k], v[k], ix[k])) {
          v[k] = pv[k];
          ix[k] = pi[k];
        }
    }
  });
  return {Value(NDArray(v0.dtype(), v0.shape(), std::move(vals))), Value(NDArray(DType::int64, v0.shape(), std::move(idx)))};
}

NDArray arg_finalize(const ValueList& partial, const Shape& shape) {
  return reshape(partial.at(1).as_ndarray(), shape);
}

}  // namespace tessera::array::kernels

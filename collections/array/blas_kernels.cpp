#include "collections/array/blas_kernels.hpp"

#include <cblas.h>

#include <cstring>
#include <string>

#include "collections/array/kernels.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

struct Dims {
  std::int64_t m, n, k;
};

/// (rows, cols) of op(x).
std::pair<std::int64_t, std::int64_t> op_shape(const NDArray& x, bool trans) {
  if (x.ndim() != 2) throw ValueError("array.matmul: blocks must be 2-D, got " + std::to_string(x.ndim()) + "-D");
  return trans ? std::pair{x.shape()[1], x.shape()[0]} : std::pair{x.shape()[0], x.shape()[1]};
}

void ensure_one_thread_default() {
  static const bool once = (openblas_set_num_threads(1), true);
  (void)once;
}

template <class T>
void gemm(const T* a, const T* b, T* c, std::int64_t m, std::int64_t n, std::int64_t k, const NDArray& ablock,
          const NDArray& bblock, bool ta, bool tb, bool first) {
  const auto lda = static_cast<int>(ablock.shape()[1]), ldb = static_cast<int>(bblock.shape()[1]);
  const auto ot = [](bool t) { return t ? CblasTrans : CblasNoTrans; };
  if constexpr (std::is_same_v<T, double>)
    cblas_dgemm(CblasRowMajor, ot(ta), ot(tb), static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), 1.0,
                a, lda, b, ldb, first ? 0.0 : 1.0, c, static_cast<int>(n));
  else
    cblas_sgemm(CblasRowMajor, ot(ta), ot(tb), static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), 1.0f,
                a, lda, b, ldb, first ? 0.0f : 1.0f, c, static_cast<int>(n));
}

/// Integer products: no BLAS; i-k-j order keeps the inner loop contiguous.
void int_product(const NDArray& a, const NDArray& b, bool ta, bool tb, std::int64_t* c, const Dims& d) {
  const auto x = astype(a, DType::int64).values<std::int64_t>();
  const auto y = astype(b, DType::int64).values<std::int64_t>();
  const std::int64_t ax = a.shape()[1], bx = b.shape()[1];
  for (std::int64_t i = 0; i < d.m; ++i)
    for (std::int64_t p = 0; p < d.k; ++p) {
      const std::int64_t av = ta ? x[p * ax + i] : x[i * ax + p];
      if (av == 0) continue;
      std::int64_t* row = c + i * d.n;
      for (std::int64_t j = 0; j < d.n; ++j)
        row[j] = static_cast<std::int64_t>(static_cast<std::uint64_t>(row[j]) +
                                           static_cast<std::uint64_t>(av) * static_cast<std::uint64_t>(tb ? y[j * bx + p] : y[p * bx + j]));
    }
}

}  // namespace

DType matmul_result(DType a, DType b) noexcept {
  if (a == DType::boolean && b == DType::boolean) return DType::boolean;
  if (a == DType::float32 && b == DType::float32) return DType::float32;
  const auto is_float = [](DType t) { return t == DType::float32 || t == DType::float64; };
  if (is_float(a) || is_float(b)) return DType::float64;
  return DType::int64;
}

void set_blas_threads(int n) {
  ensure_one_thread_default();
  openblas_set_num_threads(n);
}

int blas_threads() { return openblas_get_num_threads(); }

void ensure_blas_default() { ensure_one_thread_default(); }

NDArray matmul_blocks(const std::vector<NDArray>& a, const std::vector<NDArray>& b, bool trans_a, bool trans_b) {
  if (a.empty() || a.size() != b.size())
    throw ValueError("array.matmul: " + std::to_string(a.size()) + " left and " + std::to_string(b.size()) +
                     " right blocks");
  ensure_one_thread_default();
  const auto m = op_shape(a[0], trans_a).first;
  const auto n = op_shape(b[0], trans_b).second;
  const DType out = matmul_result(a[0].dtype(), b[0].dtype());
  const DType work = out == DType::boolean ? DType::int64 : out;
  auto buf = make_buffer(static_cast<std::size_t>(m * n) * dtype_size(work));
  const bool is_int = work != DType::float64 && work != DType::float32;
  if (is_int && m * n > 0) std::memset(buf->mutable_data(), 0, buf->size());
  bool written = false;  // floats: the first product overwrites (beta 0), later ones add
  for (std::size_t p = 0; p < a.size(); ++p) {
    const auto [am, ak] = op_shape(a[p], trans_a);
    const auto [bk, bn] = op_shape(b[p], trans_b);
    if (am != m || bn != n || ak != bk)
      throw ValueError("array.matmul: block " + std::to_string(p) + " is (" + std::to_string(am) + ", " +
                       std::to_string(ak) + ") @ (" + std::to_string(bk) + ", " + std::to_string(bn) + ")");
    if (m == 0 || n == 0 || ak == 0) continue;
    const Dims d{m, n, ak};
    if (work == DType::float64) {
      const NDArray x = astype(a[p], DType::float64), y = astype(b[p], DType::float64);
      gemm<double>(x.values<double>().data(), y.values<double>().data(), buf->mutable_as<double>().data(), m, n,
                   ak, x, y, trans_a, trans_b, !written);
    } else if (work == DType::float32) {
      gemm<float>(a[p].values<float>().data(), b[p].values<float>().data(), buf->mutable_as<float>().data(), m, n,
                  ak, a[p], b[p], trans_a, trans_b, !written);
    } else {
      int_product(a[p], b[p], trans_a, trans_b, buf->mutable_as<std::int64_t>().data(), d);
    }
    written = true;
  }
  if (!is_int && !written && m * n > 0) std::memset(buf->mutable_data(), 0, buf->size());
  NDArray result(work, {m, n}, std::move(buf));
  return out == DType::boolean ? astype(result, DType::boolean) : result;
}

}  // namespace tessera::array::kernels

#pragma once
// Helpers shared by the array tests: run on a scheduler chosen by the test
// parameter, read results back as plain vectors, compare floats relatively.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "actors/client/threads_executor.hpp"  // the "threads" scheduler, without CAF's headers
#include "collections/array/array.hpp"
#include "collections/array/creation.hpp"
#include "collections/array/file_source.hpp"
#include "collections/array/kernels.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array::testing {

template <class T>
std::vector<T> values_of(const NDArray& a) {
  auto s = a.values<T>();
  return {s.begin(), s.end()};
}

inline void expect_close(const std::vector<double>& got, const std::vector<double>& want,
                         const std::string& what = {}) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << " [" << i << "]";
      continue;
    }
    if (std::isinf(want[i])) {
      EXPECT_EQ(got[i], want[i]) << what << " [" << i << "]";
      continue;
    }
    const double tol = 1e-12 * std::max(1.0, std::fabs(want[i]));
    EXPECT_NEAR(got[i], want[i], tol) << what << " [" << i << "]";
  }
}

/// Row-major data 0.5 * i - 3 (float64) or i - 7 (int64) for tests.
inline NDArray sample_f64(const Shape& shape) {
  std::vector<double> v(static_cast<std::size_t>(shape_size(shape)));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.5 * static_cast<double>(i) - 3.0 + 0.01 * static_cast<double>(i * i % 7);
  auto flat = NDArray::from_vector(v);
  return NDArray(DType::float64, shape, flat.buffer());
}
inline NDArray sample_i64(const Shape& shape) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(shape_size(shape)));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>(i % 11) - 4;
  auto flat = NDArray::from_vector(v);
  return NDArray(DType::int64, shape, flat.buffer());
}

/// The path of a NumPy fixture (make_fixtures.py writes them).
inline std::string fixture_path(const std::string& name) {
  return std::string(TESSERA_SOURCE_DIR) + "/tests/collections/array/fixtures/" + name + ".npy";
}
/// A NumPy fixture read whole.
inline NDArray fixture(const std::string& name) {
  return from_npy(fixture_path(name), 1 << 20).compute({.scheduler = "sync"});
}
/// The float64 values of an array (converted when needed).
inline std::vector<double> doubles(const NDArray& a) {
  return values_of<double>(kernels::astype(a, DType::float64));
}

/// Each test runs on "sync" and on the default "threads" cluster.
class ArraySchedulers : public ::testing::TestWithParam<std::string> {
 protected:
  NDArray run(const Array& x) const { return x.compute({.scheduler = GetParam()}); }
};

}  // namespace tessera::array::testing

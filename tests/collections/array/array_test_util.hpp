#pragma once
// Helpers shared by the array tests: run on a scheduler chosen by the test
// parameter, read results back as plain vectors, compare floats relatively.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "actors/tessera.hpp"
#include "collections/array/array.hpp"
#include "collections/array/creation.hpp"

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

/// Each test runs on "sync" and on the default "threads" cluster.
class ArraySchedulers : public ::testing::TestWithParam<std::string> {
 protected:
  NDArray run(const Array& x) const { return x.compute({.scheduler = GetParam()}); }
};

}  // namespace tessera::array::testing

#pragma once
// Shared by the bag tests: each test runs on "sync" and on the default
// "threads" cluster, and small helpers for files and errors.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "actors/tessera.hpp"
#include "collections/bag/bag.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/temp_files.hpp"

namespace tessera::bag::test {

class BagOn : public ::testing::TestWithParam<const char*> {
 protected:
  ComputeOptions on() const { return ComputeOptions{GetParam()}; }
};

using tessera::testing::error_of;

using tessera::testing::temp_path;
using tessera::testing::write_file;

inline ValueList ints(std::int64_t lo, std::int64_t hi) {
  ValueList out;
  for (auto i = lo; i < hi; ++i) out.emplace_back(i);
  return out;
}

}  // namespace tessera::bag::test

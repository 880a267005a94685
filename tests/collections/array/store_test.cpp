// to_npy / store_npy: each block writes its own byte ranges of a
// preallocated .npy file; the file is NumPy's byte for byte (the fixtures
// were written by numpy.save) and from_npy reads it back.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "array_test_util.hpp"
#include "collections/array/store.hpp"

namespace tessera::array::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ArrayStore : public ArraySchedulers {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tessera-store-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / (name + ".npy")).string(); }
  fs::path dir_;
};

TEST_P(ArrayStore, WritesNumPysBytesBlockByBlock) {
  for (const std::string name : {"f8_7x5", "f4_6", "i4_2x3x4", "i8_5", "u1_9", "b1_4", "f8_0d", "f8_0x3", "x_11x11"}) {
    for (const ChunkSpec& c : {ChunkSpec(2), ChunkSpec(3), ChunkSpec(1000)}) {
      Array x = from_npy(fixture_path(name), c);
      const std::string out = path(name);
      EXPECT_EQ(to_npy(x, out, {.scheduler = GetParam()}), x.nbytes()) << name;
      EXPECT_EQ(slurp(out), slurp(fixture_path(name))) << name << " chunks " << chunks_repr(x.chunks());
      EXPECT_EQ(run(from_npy(out, 4)), fixture(name)) << name;
    }
  }
}

TEST_P(ArrayStore, RoundTripOfAComputedArray) {
  Array x = (arange(Value(0.0), Value(60.0), Value(1.0), 7) * 0.5).rechunk(13);
  Delayed<std::int64_t> job = store_npy(x, path("computed"));
  EXPECT_EQ(job.compute({.scheduler = GetParam()}), 480);
  EXPECT_EQ(run(from_npy(path("computed"), 11)), run(x));
  EXPECT_EQ(npy_header(DType::float64, {60}).size() % 64, 0u);
}

TEST(ArrayStoreErrors, MissingDirectoryAndShortFile) {
  Array x = from_array(sample_f64({3, 2}), 2);
  EXPECT_THROW((void)store_npy(x, "/nonexistent-dir-tessera/x.npy"), ValueError);
  // A file too short for its shape is refused when the graph is built.
  const std::string p = (fs::temp_directory_path() / ("tessera-short-" + std::to_string(::getpid()) + ".npy")).string();
  {
    std::ofstream out(p, std::ios::binary);
    out << npy_header(DType::float64, {3, 2}) << std::string(40, '\0');  // 48 bytes needed
  }
  try {
    (void)from_npy(p, 2);
    ADD_FAILURE() << "no ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("too short"), std::string::npos) << e.what();
  }
  fs::remove(p);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayStore, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing

// from_npy / from_raw: every dtype, odd chunks, 0-d and empty arrays, each
// block reading only its own bytes, and errors at graph-build time.
#include <filesystem>
#include <fstream>

#include "array_test_util.hpp"
#include "tests/support/temp_files.hpp"

namespace tessera::array::testing {
namespace {

class ArrayFileSource : public ArraySchedulers {};

std::string temp_file(const std::string& name, const std::string& bytes) {
  return ::tessera::testing::write_file("tessera-array-" + name, bytes);
}

std::string doubles_bytes(std::int64_t n, double scale) {
  std::string s;
  for (std::int64_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(i) * scale;
    s.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  return s;
}

TEST_P(ArrayFileSource, ReadsEveryDtypeWithOddChunks) {
  // Values as make_fixtures.py writes them, checked by hand.
  Array f8 = from_npy(fixture_path("f8_7x5"), ChunkSpec::per_axis({3, 2}));
  EXPECT_EQ(f8.shape(), (Shape{7, 5}));
  EXPECT_EQ(f8.dtype(), DType::float64);
  std::vector<double> want;
  for (int i = 0; i < 35; ++i) want.push_back(i * 0.5 - 3);
  EXPECT_EQ(values_of<double>(run(f8)), want);

  std::vector<std::int32_t> i4;
  for (int i = 0; i < 24; ++i) i4.push_back(i - 12);
  EXPECT_EQ(values_of<std::int32_t>(run(from_npy(fixture_path("i4_2x3x4"), ChunkSpec::per_axis({1, 2, 3})))), i4);
  EXPECT_EQ(values_of<std::int64_t>(run(from_npy(fixture_path("i8_5"), 2))),
            (std::vector<std::int64_t>{-(1LL << 40), -1, 0, 7, 1LL << 50}));
  std::vector<std::uint8_t> u1;
  for (int i = 0; i < 9; ++i) u1.push_back(static_cast<std::uint8_t>(i * 31));
  Array u = from_npy(fixture_path("u1_9"), 4);
  EXPECT_EQ(u.dtype(), DType::uint8);
  EXPECT_EQ(values_of<std::uint8_t>(run(u)), u1);
  Array b = from_npy(fixture_path("b1_4"), 3);
  EXPECT_EQ(b.dtype(), DType::boolean);
  EXPECT_EQ(values_of<std::uint8_t>(run(b)), (std::vector<std::uint8_t>{1, 0, 0, 1}));
  EXPECT_EQ(values_of<float>(run(from_npy(fixture_path("f4_6"), 4))),
            (std::vector<float>{0, 0.25f, 0.5f, 0.75f, 1, 1.25f}));
}

TEST_P(ArrayFileSource, ZeroDimensionalAndEmptyArrays) {
  Array s = from_npy(fixture_path("f8_0d"), 1);
  EXPECT_EQ(s.ndim(), 0u);
  EXPECT_EQ(values_of<double>(run(s)), std::vector<double>{2.5});
  Array e = from_npy(fixture_path("f8_0x3"), 2);
  EXPECT_EQ(e.shape(), (Shape{0, 3}));
  EXPECT_EQ(run(e).size(), 0);
  EXPECT_EQ(values_of<double>(run(e.sum())), std::vector<double>{0.0});
}

TEST_P(ArrayFileSource, FromRawWithOffsetReadsAPrefix) {
  // 16 bytes of header, then 100 doubles; the array is the first 20 as (4, 5).
  const auto path = temp_file("raw-offset.bin", std::string(16, 'h') + doubles_bytes(100, 1.0));
  Array x = from_raw(path, DType::float64, {4, 5}, ChunkSpec::per_axis({3, 2}), 16);
  std::vector<double> want;
  for (int i = 0; i < 20; ++i) want.push_back(i);
  EXPECT_EQ(values_of<double>(run(x)), want);
  EXPECT_EQ(values_of<double>(run(x.T()))[1], 5.0);
  std::filesystem::remove(path);
}

TEST_P(ArrayFileSource, EachBlockReadsOnlyItsOwnBytes) {
  const auto path = temp_file("raw-own-range.bin", doubles_bytes(100, 2.0));
  Array x = from_raw(path, DType::float64, {10, 10}, ChunkSpec::per_axis({5, 10}));
  std::filesystem::resize_file(path, 50 * sizeof(double));  // the second block's rows are gone
  EXPECT_EQ(values_of<double>(run(x[{Slice{0, 5}}].sum())), std::vector<double>{2.0 * (49 * 50 / 2)});
  EXPECT_THROW(run(x.sum()), TaskError);
  std::filesystem::remove(path);
}

TEST_P(ArrayFileSource, FusedExpressionsReadFileBlocksInPlace) {
  // A fused task reads a raw file's tiles out of a mapping (straight, through
  // a transpose or a permutation of 3 axes, broadcast), not its blocks: the
  // file layer is not a dependency, and the values equal those computed from
  // the blocks held in memory.
  const Array f8 = from_npy(fixture_path("f8_7x5"), ChunkSpec::per_axis({3, 2}));
  const Array f8_mem = from_array(run(f8), ChunkSpec::per_axis({3, 2}));
  const Array sum = f8 * 2.0 + 1.0;
  EXPECT_TRUE(sum.layer()->dependencies.empty());
  EXPECT_EQ(values_of<double>(run(sum)), values_of<double>(run(f8_mem * 2.0 + 1.0)));

  const auto square = temp_file("raw-square.bin", doubles_bytes(16 * 16, 0.25));
  const Array x = from_raw(square, DType::float64, {13, 13}, 5, 8 * 16);
  const Array x_mem = from_array(run(x), 5);
  const Array sym = x + x.T();
  EXPECT_TRUE(sym.layer()->dependencies.empty());
  EXPECT_EQ(values_of<double>(run(sym)), values_of<double>(run(x_mem + x_mem.T())));
  EXPECT_EQ(values_of<double>(run(sym.mean(ReduceOptions{.axis = 0}))),
            values_of<double>(run((x_mem + x_mem.T()).mean(ReduceOptions{.axis = 0}))));

  const Array i4 = from_npy(fixture_path("i4_2x3x4"), ChunkSpec::per_axis({1, 2, 3}));
  const Array i4_mem = from_array(run(i4), ChunkSpec::per_axis({1, 2, 3}));
  EXPECT_EQ(values_of<std::int32_t>(run(i4.transpose({2, 0, 1}) + 1)),
            values_of<std::int32_t>(run(i4_mem.transpose({2, 0, 1}) + 1)));
  const Array u1 = from_npy(fixture_path("u1_9"), 4);
  EXPECT_EQ(values_of<std::uint8_t>(run(u1 + u1)), values_of<std::uint8_t>(run(from_array(run(u1), 4) * 2)));
  const Array f4 = from_npy(fixture_path("f4_6"), 4);
  EXPECT_EQ(values_of<float>(run(f4 * f4)), (std::vector<float>{0, 0.0625f, 0.25f, 0.5625f, 1, 1.5625f}));
  const Array row = from_raw(square, DType::float64, {1, 13}, ChunkSpec::per_axis({1, 5}), 8 * 16);  // broadcast
  EXPECT_EQ(values_of<double>(run(x + row)), values_of<double>(run(x_mem + from_array(run(row), ChunkSpec::per_axis({1, 5})))));
  std::filesystem::remove(square);
}

TEST_P(ArrayFileSource, AFileTruncatedBeforeAFusedReadIsATaskError) {
  const auto path = temp_file("raw-fused-short.bin", doubles_bytes(100, 1.0));
  Array x = from_raw(path, DType::float64, {10, 10}, ChunkSpec::per_axis({5, 10}));
  const Array y = x + x.T();
  std::filesystem::resize_file(path, 50 * sizeof(double));
  try {
    (void)run(y);
    FAIL() << "read a truncated file";
  } catch (const TaskError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ends before byte"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(ArrayFileSourceErrors, AtGraphBuildTime) {
  const auto path = temp_file("raw-short.bin", doubles_bytes(10, 1.0));
  try {
    (void)from_raw(path, DType::float64, {4, 3}, 2);
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("too short"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)from_raw(path, DType::float64, {2, 5}, 2, 8), ValueError);  // 8 + 80 > 80
  EXPECT_NO_THROW((void)from_raw(path, DType::float64, {2, 4}, 2, 8));
  EXPECT_THROW((void)from_raw(path + ".missing", DType::float64, {1}, 1), ValueError);
  EXPECT_THROW((void)from_npy(path, 2), ValueError);  // no .npy magic
  std::string header = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }";
  header.resize(118, ' ');
  header += '\n';
  const auto fortran = temp_file("fortran.npy", std::string("\x93NUMPY\x01\x00", 8) + std::string(1, char(118)) +
                                                    std::string(1, '\0') + header + doubles_bytes(4, 1.0));
  try {
    (void)from_npy(fortran, 2);
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Fortran"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
  std::filesystem::remove(fortran);
}

TEST(ArrayFileSourceErrors, NpyHeader) {
  const auto h = read_npy_header(fixture_path("i4_2x3x4"));
  EXPECT_EQ(h.dtype, DType::int32);
  EXPECT_EQ(h.shape, (Shape{2, 3, 4}));
  EXPECT_EQ(h.data_offset, 128);
}

INSTANTIATE_TEST_SUITE_P(Sched, ArrayFileSource, ::testing::Values("sync", "threads"));

}  // namespace
}  // namespace tessera::array::testing

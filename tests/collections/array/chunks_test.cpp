#include <gtest/gtest.h>

#include "collections/array/chunks.hpp"
#include "runtime/util/error.hpp"

namespace tessera::array {
namespace {

TEST(ArrayChunks, NormalisesEveryForm) {
  EXPECT_EQ(normalize_chunks(2, {5, 4}), (Chunks{{2, 2, 1}, {2, 2}}));
  EXPECT_EQ(normalize_chunks(10, {5}), (Chunks{{5}}));
  EXPECT_EQ(normalize_chunks(ChunkSpec::per_axis({3, -1}), {7, 4}), (Chunks{{3, 3, 1}, {4}}));
  EXPECT_EQ(normalize_chunks(Chunks{{1, 4}, {2, 2}}, {5, 4}), (Chunks{{1, 4}, {2, 2}}));
  EXPECT_EQ(normalize_chunks(3, {}), Chunks{});
  EXPECT_EQ(normalize_chunks(3, {0}), (Chunks{{0}}));
}

TEST(ArrayChunks, RejectsBadChunks) {
  EXPECT_THROW(normalize_chunks(0, {5}), ValueError);
  EXPECT_THROW(normalize_chunks(-2, {5}), ValueError);
  EXPECT_THROW(normalize_chunks(ChunkSpec::per_axis({2}), {5, 4}), ValueError);
  EXPECT_THROW(normalize_chunks(Chunks{{2, 2}}, {5}), ValueError);
  EXPECT_THROW(normalize_chunks(Chunks{{5, 0}}, {5}), ValueError);
  EXPECT_THROW(normalize_chunks(Chunks{{6, -1}}, {5}), ValueError);
  try {
    normalize_chunks(Chunks{{2, 2}, {4}}, {5, 4});
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("sum to 4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("extent 5"), std::string::npos) << e.what();
  }
}

TEST(ArrayChunks, GridHelpers) {
  Chunks c{{2, 1}, {3, 3, 1}};
  EXPECT_EQ(numblocks(c), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(offsets(c[1]), (std::vector<std::int64_t>{0, 3, 6, 7}));
  auto idx = block_indices(c);
  ASSERT_EQ(idx.size(), 6u);
  EXPECT_EQ(idx[1], (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(idx[3], (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(block_indices(Chunks{}).size(), 1u);
  EXPECT_EQ(block_shape(c, {1, 2}), (Shape{1, 1}));
  EXPECT_EQ(chunks_repr(c), "((2, 1), (3, 3, 1))");
}

}  // namespace
}  // namespace tessera::array

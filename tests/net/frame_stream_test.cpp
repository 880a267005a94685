#include "net/frame_stream.hpp"

#include <gtest/gtest.h>

#include "runtime/serial/serialize.hpp"
#include "runtime/value/ndarray.hpp"

namespace tessera::net {
namespace {

std::string gather(const OutFrame& f) {
  std::string out;
  for (const auto& b : f.buffers()) out.append(static_cast<const char*>(b.data()), b.size());
  return out;
}

TEST(FrameStream, ValueFramesAreGatheredFromTheValuesOwnBuffer) {
  auto buf = make_buffer(1 << 20);
  for (auto& x : buf->mutable_as<double>()) x = 1.5;
  const std::byte* data = buf->data();
  Value v(NDArray(DType::float64, {1 << 17}, std::move(buf)));
  auto frame = make_value_frame(FrameKind::value, 3, 1, 77, "('a', 1)", SerializedValue(v));
  bool borrowed = false;
  for (const auto& b : frame->buffers()) borrowed = borrowed || b.data() == data;
  EXPECT_TRUE(borrowed) << "the array's bytes should be written from its own buffer";
  auto bytes = gather(*frame);
  auto f = decode_frame(as_bytes(bytes));
  EXPECT_EQ(f.header.kind, FrameKind::value);
  EXPECT_EQ(f.header.request_id, 3u);
  EXPECT_EQ(f.header.item, 1u);
  EXPECT_EQ(f.header.task_id, 77u);
  EXPECT_EQ(f.key, "('a', 1)");
  EXPECT_EQ(deserialize_value(as_chars(f.payload)), v);
}

TEST(FrameStream, SmallFramesMatchEncodeFrame) {
  auto frame = make_frame(FrameKind::error, 9, 2, 5, "k", "it failed");
  EXPECT_EQ(gather(*frame), encode_frame(FrameKind::error, 9, 2, 5, "k", "it failed"));
  EXPECT_THROW(make_frame(FrameKind::value, 0, 0, 0, std::string(max_frame_key_size + 1, 'k')), ValueError);
}

TEST(FrameStream, TokensCompareWhole) {
  EXPECT_TRUE(tokens_equal("", ""));
  EXPECT_TRUE(tokens_equal("s3cret", "s3cret"));
  EXPECT_FALSE(tokens_equal("s3cret", "s3creT"));
  EXPECT_FALSE(tokens_equal("s3cret", "s3cret!"));
  EXPECT_FALSE(tokens_equal("", "x"));
  EXPECT_FALSE(tokens_equal(std::string("a\0b", 3), "a"));
}

}  // namespace
}  // namespace tessera::net

#include "net/frame.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "tests/support/error_of.hpp"

namespace tessera::net {
namespace {

using testing::error_of;

std::string sample() { return encode_frame(FrameKind::value, 7, 2, 99, "('x', 1)", "payload bytes"); }

ConstBytes bytes_of(const std::string& s) { return as_bytes(s); }

/// The message of the FrameError that decoding `s` throws.
std::string decode_error(const std::string& s, FrameLimits limits = {}) {
  EXPECT_THROW(decode_frame(bytes_of(s), limits), FrameError);
  return error_of([&] { decode_frame(bytes_of(s), limits); });
}

void set_u64(std::string& s, std::size_t at, std::uint64_t x) {
  for (int i = 0; i < 8; ++i) s[at + i] = static_cast<char>((x >> (8 * i)) & 0xff);
}

TEST(Frame, RoundTripsEveryField) {
  auto s = sample();
  ASSERT_EQ(s.size(), frame_header_size + 8 + 13);
  auto f = decode_frame(bytes_of(s));
  EXPECT_EQ(f.header.kind, FrameKind::value);
  EXPECT_EQ(f.header.request_id, 7u);
  EXPECT_EQ(f.header.item, 2u);
  EXPECT_EQ(f.header.task_id, 99u);
  EXPECT_EQ(f.header.key_size, 8u);
  EXPECT_EQ(f.header.payload_size, 13u);
  EXPECT_EQ(f.key, "('x', 1)");
  EXPECT_EQ(as_chars(f.payload), "payload bytes");
}

TEST(Frame, HeaderIsLittleEndianAtFixedOffsets) {
  auto s = sample();
  EXPECT_EQ(s.substr(0, 4), "TSDF");
  EXPECT_EQ(s[4], 2);   // version
  EXPECT_EQ(s[5], 4);   // kind value
  EXPECT_EQ(s[8], 8);   // key size, low byte
  EXPECT_EQ(s[16], 7);  // request id
  EXPECT_EQ(s[24], 2);  // item
  EXPECT_EQ(s[32], 99); // task id
  EXPECT_EQ(s[40], 13); // payload size
}

TEST(Frame, ChecksumIsXxh3OfKeyAndPayload) {
  auto f = decode_frame(bytes_of(sample()));
  std::string body = "('x', 1)payload bytes";
  EXPECT_EQ(f.header.checksum, frame_checksum(as_bytes(body)));
  const ConstBytes parts[] = {as_bytes("('x', 1)"), as_bytes("payload"), as_bytes(" bytes")};
  EXPECT_EQ(frame_checksum(parts), f.header.checksum);
}

TEST(Frame, RejectsBadMagicVersionKindFlagsAndAlign) {
  auto s = sample();
  s[0] = 'X';
  EXPECT_NE(decode_error(s).find("bad magic"), std::string::npos);
  s = sample();
  s[4] = 1;
  EXPECT_NE(decode_error(s).find("unsupported version 1"), std::string::npos);
  s = sample();
  s[5] = 0;
  EXPECT_NE(decode_error(s).find("unknown frame kind 0"), std::string::npos);
  s[5] = 10;
  EXPECT_NE(decode_error(s).find("unknown frame kind 10"), std::string::npos);
  s = sample();
  s[6] = 1;
  EXPECT_NE(decode_error(s).find("flags are 0x1"), std::string::npos);
  s = sample();
  s[12] = 64;
  EXPECT_NE(decode_error(s).find("align is 64 in a value frame (at most 63)"), std::string::npos);
  s[12] = 63;
  EXPECT_EQ(decode_frame(bytes_of(s)).header.align, 63u);
}

TEST(Frame, RejectsOversizeKeysAndPayloadsBeforeReadingThem) {
  auto s = sample();
  s[10] = 1;  // key size 65544
  EXPECT_NE(decode_error(s).find("key of 65544 bytes"), std::string::npos);
  s = sample();
  set_u64(s, 40, std::uint64_t{1} << 62);
  EXPECT_NE(decode_error(s).find("exceeds the limit of 17179869184 bytes"), std::string::npos);
  EXPECT_NE(decode_error(sample(), FrameLimits{12}).find("payload of 13 bytes in a value frame exceeds the limit of 12"),
            std::string::npos);
}

TEST(Frame, RejectsTruncatedAndTrailingBytes) {
  auto s = sample();
  EXPECT_NE(decode_error(s.substr(0, 10)).find("truncated header: 10 of 56"), std::string::npos);
  EXPECT_NE(decode_error(s.substr(0, s.size() - 1)).find("body of 20 bytes, the header says 21"), std::string::npos);
  EXPECT_NE(decode_error(s + "!").find("1 unexpected bytes after the value frame"), std::string::npos);
}

TEST(Frame, ChecksumMismatchNamesTheKey) {
  auto s = sample();
  s.back() ^= 1;
  auto msg = decode_error(s);
  EXPECT_NE(msg.find("checksum mismatch in the value frame of key '('x', 1)'"), std::string::npos) << msg;
  auto n = encode_frame(FrameKind::push, 1, 0, 42, "", "abc");
  n.back() ^= 1;
  EXPECT_NE(decode_error(n).find("of task id 42"), std::string::npos);
}

TEST(Frame, DecodeHeaderNeedsExactlyAHeader) {
  auto s = sample();
  EXPECT_THROW(decode_header(bytes_of(s)), FrameError);
  auto h = decode_header(bytes_of(s).first(frame_header_size));
  EXPECT_EQ(h.body_size(), 21u);
  auto again = encode_header(h);
  EXPECT_EQ(std::memcmp(again.data(), s.data(), frame_header_size), 0);
}

TEST(Frame, EncodeRefusesHugeKeys) {
  EXPECT_THROW(encode_frame(FrameKind::value, 0, 0, 0, std::string(max_frame_key_size + 1, 'k'), ""), ValueError);
}

TEST(Frame, KindNames) {
  EXPECT_EQ(frame_kind_name(1), "hello");
  EXPECT_EQ(frame_kind_name(9), "close");
  EXPECT_EQ(frame_kind_name(200), "kind 200");
}

}  // namespace
}  // namespace tessera::net

#include "net/fetch_items.hpp"

#include <gtest/gtest.h>

#include "tests/support/error_of.hpp"

namespace tessera::net {
namespace {

TEST(FetchItems, RoundTrip) {
  std::vector<FetchItem> items{{1, "a"}, {std::uint64_t{1} << 63, "('x', 3, 4)"}, {5, ""}};
  auto s = encode_fetch_items(items);
  EXPECT_EQ(s.size(), 4 + 3 * 12 + 1 + 11);
  EXPECT_EQ(decode_fetch_items(as_bytes(s)), items);
  EXPECT_TRUE(decode_fetch_items(as_bytes(encode_fetch_items({}))).empty());
}

TEST(FetchItems, MalformedPayloadsAreFrameErrors) {
  auto msg = [](const std::string& s) {
    EXPECT_THROW(decode_fetch_items(as_bytes(s)), FrameError);
    return testing::error_of([&] { decode_fetch_items(as_bytes(s)); });
  };
  EXPECT_NE(msg("").find("truncated item count"), std::string::npos);
  // A count that the bytes cannot hold is refused before reserving memory.
  EXPECT_NE(msg(std::string("\x00\x00\x01\x00", 4)).find("65536 items cannot fit in 0 bytes"), std::string::npos);
  EXPECT_NE(msg(std::string("\xff\xff\xff\xff", 4)).find("at most 1000000"), std::string::npos);
  auto s = encode_fetch_items({{1, "abc"}});
  EXPECT_NE(msg(s.substr(0, s.size() - 1)).find("truncated key"), std::string::npos);
  EXPECT_NE(msg(s + "x").find("1 unexpected bytes after 1 items"), std::string::npos);
  auto big = s;
  big[4 + 8 + 2] = 2;  // key size 131075
  EXPECT_NE(msg(big).find("key of 131075 bytes"), std::string::npos);
}

}  // namespace
}  // namespace tessera::net

#include "net/address.hpp"

#include <gtest/gtest.h>

#include "runtime/util/error.hpp"
#include "tests/support/error_of.hpp"

namespace tessera::net {
namespace {

TEST(Address, ParsesIpv4HostnameAndIpv6) {
  auto a = parse_address("tcp://127.0.0.1:8786");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 8786);
  EXPECT_FALSE(a.is_ipv6());

  auto h = parse_address("tcp://worker-3.example.org:0");
  EXPECT_EQ(h.host, "worker-3.example.org");
  EXPECT_EQ(h.port, 0);

  auto v6 = parse_address("tcp://[::1]:65535");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 65535);
  EXPECT_TRUE(v6.is_ipv6());
}

TEST(Address, FormatsBackToTheSameText) {
  for (const char* text : {"tcp://127.0.0.1:8786", "tcp://localhost:1", "tcp://[fe80::1:2]:40000"})
    EXPECT_EQ(parse_address(text).str(), text);
  EXPECT_EQ((Address{"::1", 9}).str(), "tcp://[::1]:9");
}

TEST(Address, BadInputNamesTheProblem) {
  auto msg = [](const char* text) {
    EXPECT_THROW(parse_address(text), ValueError) << text;
    return testing::error_of([&] { parse_address(text); });
  };
  EXPECT_NE(msg("127.0.0.1:8786").find("scheme tcp:// is missing"), std::string::npos);
  EXPECT_NE(msg("udp://127.0.0.1:8786").find("scheme 'udp' is not supported"), std::string::npos);
  EXPECT_NE(msg("tcp://127.0.0.1").find("port is missing"), std::string::npos);
  EXPECT_NE(msg("tcp://127.0.0.1:").find("port is missing"), std::string::npos);
  EXPECT_NE(msg("tcp://:80").find("host is empty"), std::string::npos);
  EXPECT_NE(msg("tcp://host:65536").find("not in 0..65535"), std::string::npos);
  EXPECT_NE(msg("tcp://host:123456").find("not in 0..65535"), std::string::npos);
  EXPECT_NE(msg("tcp://host:8x").find("not a number"), std::string::npos);
  EXPECT_NE(msg("tcp://host:-1").find("not a number"), std::string::npos);
  EXPECT_NE(msg("tcp://::1:80").find("must be written in brackets"), std::string::npos);
  EXPECT_NE(msg("tcp://[::1:80").find("without a closing"), std::string::npos);
  EXPECT_NE(msg("tcp://[nothex]:80").find("not an IPv6 address"), std::string::npos);
  EXPECT_NE(msg("tcp://[::1]80").find("port is missing after"), std::string::npos);
  EXPECT_NE(msg("tcp://ho st:80").find("holds the character ' '"), std::string::npos);
  EXPECT_NE(msg("tcp://host:80/path").find("path after the port"), std::string::npos);
  EXPECT_NE(msg("").find("invalid address ''"), std::string::npos);
}

TEST(Address, FreeLoopbackPortIsNonZeroAndBindable) {
  auto p = free_loopback_port();
  EXPECT_GT(p, 0);
}

}  // namespace
}  // namespace tessera::net

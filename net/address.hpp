#pragma once
// Network addresses as users write them: "tcp://HOST:PORT", where HOST is an
// IPv4 address, a bracketed IPv6 address ("[::1]") or a host name.
#include <cstdint>
#include <string>
#include <string_view>

namespace tessera::net {

/// A parsed "tcp://HOST:PORT". `host` holds an IPv6 address without brackets.
struct Address {
  std::string host;
  std::uint16_t port = 0;

  /// Back to "tcp://HOST:PORT" (brackets around IPv6 addresses).
  std::string str() const;
  /// True when `host` is an IPv6 literal (it holds a ':').
  bool is_ipv6() const noexcept;
  friend bool operator==(const Address&, const Address&) = default;
};

/// Parses "tcp://HOST:PORT"; throws ValueError naming the text and the
/// problem (missing scheme, empty host, port not in 0..65535, bad brackets).
Address parse_address(std::string_view text);

/// A TCP port on 127.0.0.1 that was free a moment ago (for tests: another
/// process may take it before the caller binds it; prefer binding port 0).
std::uint16_t free_loopback_port();

}  // namespace tessera::net

#include "net/address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/util/error.hpp"

namespace tessera::net {
namespace {

constexpr std::string_view scheme = "tcp://";

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw ValueError("invalid address '" + std::string(text) + "': " + why +
                   " (expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786 or tcp://[::1]:8786)");
}

bool valid_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

std::uint16_t parse_port(std::string_view text, std::string_view port) {
  if (port.empty()) bad(text, "the port is missing");
  if (port.size() > 5) bad(text, "port '" + std::string(port) + "' is not in 0..65535");
  std::uint32_t value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') bad(text, "port '" + std::string(port) + "' is not a number");
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (value > 65535) bad(text, "port '" + std::string(port) + "' is not in 0..65535");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

bool Address::is_ipv6() const noexcept { return host.find(':') != std::string::npos; }

std::string Address::str() const {
  std::string h = is_ipv6() ? "[" + host + "]" : host;
  return std::string(scheme) + h + ":" + std::to_string(port);
}

Address parse_address(std::string_view text) {
  if (text.substr(0, scheme.size()) != scheme) {
    auto sep = text.find("://");
    if (sep != std::string_view::npos)
      bad(text, "scheme '" + std::string(text.substr(0, sep)) + "' is not supported, only tcp");
    bad(text, "the scheme tcp:// is missing");
  }
  std::string_view rest = text.substr(scheme.size());
  Address a;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) bad(text, "'[' without a closing ']'");
    a.host = std::string(rest.substr(1, close - 1));
    in6_addr probe{};
    if (a.host.empty() || inet_pton(AF_INET6, a.host.c_str(), &probe) != 1)
      bad(text, "'" + a.host + "' is not an IPv6 address");
    rest = rest.substr(close + 1);
    if (rest.empty() || rest.front() != ':') bad(text, "the port is missing after ']'");
    port = rest.substr(1);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) bad(text, "the port is missing");
    a.host = std::string(rest.substr(0, colon));
    port = rest.substr(colon + 1);
    if (a.host.empty()) bad(text, "the host is empty");
    if (a.host.find(':') != std::string::npos) bad(text, "an IPv6 address must be written in brackets");
    for (char c : a.host)
      if (!valid_host_char(c)) bad(text, "host '" + a.host + "' holds the character '" + std::string(1, c) + "'");
  }
  if (port.find('/') != std::string_view::npos) bad(text, "a path after the port is not allowed");
  a.port = parse_port(text, port);
  return a;
}

std::uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw Error(std::string("free_loopback_port: socket() failed: ") + std::strerror(errno));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = 0;
  socklen_t len = sizeof sa;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    int err = errno;
    ::close(fd);
    throw Error(std::string("free_loopback_port: cannot bind 127.0.0.1:0: ") + std::strerror(err));
  }
  ::close(fd);
  return ntohs(sa.sin_port);
}

}  // namespace tessera::net

#pragma once
// Test helper: a blocking HTTP/1.1 client over a plain socket. It sends the
// bytes it is given (so tests can send malformed requests too) and reads the
// answer until the server closes the connection (requests say
// "Connection: close"). Header names are lower-cased.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace tessera::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (connection closed or timed out)
  std::map<std::string, std::string> headers;
  std::string body;
};

/// Sends `raw` to 127.0.0.1:port and parses what comes back.
inline HttpReply http_raw(std::uint16_t port, const std::string& raw,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  for (std::size_t sent = 0; sent < raw.size();) {
    auto n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on a refused request: read its answer
    sent += static_cast<std::size_t>(n);
  }
  std::string data;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[8192];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  HttpReply reply;
  auto head_end = data.find("\r\n\r\n");
  if (data.compare(0, 5, "HTTP/") != 0 || head_end == std::string::npos) return reply;
  reply.status = std::stoi(data.substr(data.find(' ') + 1, 3));
  std::size_t pos = data.find("\r\n") + 2;
  while (pos < head_end) {
    auto eol = data.find("\r\n", pos);
    auto line = data.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      reply.headers[name] = value;
    }
    pos = eol + 2;
  }
  reply.body = data.substr(head_end + 4);
  return reply;
}

/// GET `target` (with "Connection: close").
inline HttpReply http_get(std::uint16_t port, const std::string& target) {
  return http_raw(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

}  // namespace tessera::testing

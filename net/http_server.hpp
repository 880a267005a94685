#pragma once
// HttpServer: a small HTTP/1.1 server (Boost.Beast over Asio, on io threads
// of its own) that callers give routes to: method + path → a handler that
// returns status, content type and body. It knows nothing of what it serves.
//
// Routing: a route whose path ends in '/' matches every path under it
// ("/info/task/" matches "/info/task/inc-1"); any other, and "/" itself,
// matches exactly.
// The longest matching route wins. No route for the path: 404; a route for
// the path but not the method: 405.
//
// Limits (never a crash, never a hang): a target longer than max_target
// gets 414, a header section larger than max_header 431, a body larger than
// max_body 413, anything Beast cannot parse 400; the connection is then
// closed. A handler that throws gives 500 with its message. Idle
// connections are closed after idle_timeout. Keep-alive is honoured.
//
// Thread-safety: routes are added before start(); handlers run on the io
// threads, possibly concurrently, so they must be thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/http_message.hpp"

namespace tessera::net {

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  /// Interface to listen on; loopback unless told otherwise.
  std::string host = "127.0.0.1";
  /// 0: any free port.
  std::uint16_t port = 0;
  std::size_t max_target = 8 * 1024;
  std::size_t max_header = 16 * 1024;
  std::size_t max_body = 1024 * 1024;
  /// Io threads: handlers that wait (e.g. on an actor) hold one each.
  int threads = 2;
  std::chrono::milliseconds idle_timeout{30000};
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  /// Stops the server (see stop()).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Adds a route; only before start().
  void route(std::string method, std::string path, HttpHandler handler);
  /// Binds and starts serving. Throws Error naming the address when it
  /// cannot listen there (port in use, bad host).
  void start();
  /// The bound port (after start()).
  std::uint16_t port() const noexcept;
  /// Closes the listener and every connection, joins the io threads (after
  /// the handlers running now return). Idempotent; a stopped server does
  /// not start again.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::net

#pragma once
// The data plane's server: each worker listens on a data port and streams
// the values peers fetch, one frame per value, written straight from the
// value's buffers; clients push (scatter) values to it the same way.
//
// Per connection:
//   1. The client sends hello (with the cluster's auth token). A server with a
//      token compares it in constant time; a wrong one is answered with an
//      error frame, logged, and the connection is closed.
//   2. Then any number of requests (fetch: one value or not_found frame per
//      item, in order) and pushes (store, then ack or error), one at a time.
//   0. With TLS options, a TLS handshake first: a client without TLS, or whose
//      certificate the CA did not sign, is logged and closed before any frame.
//   3. A malformed, truncated or oversized frame is logged on stderr and the
//      connection closed; the server goes on serving the others.
#include <cstdint>
#include <memory>
#include <string>

#include "net/address.hpp"
#include "net/data_provider.hpp"
#include "net/frame.hpp"
#include "net/tls_context.hpp"

namespace tessera::net {

struct DataServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;       // 0: an ephemeral port (see DataServer::address)
  std::size_t io_threads = 2;   // transfers on different connections run in parallel
  std::string auth_token{};     // empty: no authentication
  FrameLimits limits{};
  TlsOptions tls{};             // all empty: plain TCP
};

/// Listens from construction until stop() or destruction.
/// Thread-safety: every member may be called from any thread.
class DataServer {
 public:
  /// Binds and starts serving from `provider`, which must outlive the server.
  /// Throws Error when the address cannot be resolved or bound, or a TLS file is unusable.
  DataServer(DataProvider& provider, DataServerOptions options = {});
  ~DataServer();
  DataServer(const DataServer&) = delete;
  DataServer& operator=(const DataServer&) = delete;

  /// The bound address (with the real port when 0 was asked for).
  Address address() const;
  /// Closes the listening socket and every connection; joins the io threads.
  void stop();
  /// Connections open now (tests).
  std::size_t connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::net

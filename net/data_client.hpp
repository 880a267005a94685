#pragma once
// The data plane's client: fetches values from DataServers (a worker getting
// its inputs from peers, a client gathering results) and pushes values to
// them (scatter). Transfers run concurrently, each on its own connection from
// a per-peer pool, each with a finite timeout; a slow or dead peer fails its
// own transfers only, never blocks the others.
//
// A transfer:
//   1. takes an idle authenticated connection to the peer, or opens one
//      (resolve, connect, TLS handshake when TLS options are given, hello
//      with the auth token, welcome);
//   2. sends the request (or the push frames one by one, each acked);
//   3. reads one frame per item, checking request id, item index, task id and
//      checksum, and deserialises each value;
//   4. gives the connection back to the pool, or closes it after any error.
// A pooled connection that turns out closed before any answer arrived is
// replaced by a new one once. The timeout covers all of it.
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/fetch_items.hpp"
#include "net/frame.hpp"
#include "net/tls_context.hpp"
#include "runtime/value/value.hpp"

namespace tessera::net {

struct DataClientOptions {
  std::size_t io_threads = 1;
  std::size_t max_idle_per_peer = 4;  // idle connections kept per peer
  std::string auth_token{};
  FrameLimits limits{};
  TlsOptions tls{};  // all empty: plain TCP; else every peer must speak TLS with a cert signed by tls.ca
};

/// Item i of a fetch: the value, or nullopt when the peer does not hold it.
using FetchResult = std::vector<std::optional<Value>>;
/// Called exactly once, on an io thread: `error` is null on success. Errors:
/// TimeoutError, FrameError (malformed or corrupt data; names the key),
/// Error (refused, closed, protocol violations, the peer's own errors).
using FetchCallback = std::function<void(std::exception_ptr error, FetchResult values)>;
using PushCallback = std::function<void(std::exception_ptr error)>;

struct PushItem {
  std::uint64_t id = 0;
  std::string key;
  Value value;
};

/// Thread-safe: any thread may start transfers at any time. Callbacks must
/// not block on this client's transfers (they run on its io threads).
class DataClient {
 public:
  /// Throws Error when a TLS file is missing or unusable.
  explicit DataClient(DataClientOptions options = {});
  /// Fails transfers still running with Error("data client shut down") and joins.
  ~DataClient();
  DataClient(const DataClient&) = delete;
  DataClient& operator=(const DataClient&) = delete;

  void fetch_async(const Address& peer, std::vector<FetchItem> items, std::chrono::milliseconds timeout,
                   FetchCallback done);
  /// Blocks until done; rethrows the transfer's error.
  FetchResult fetch(const Address& peer, std::vector<FetchItem> items, std::chrono::milliseconds timeout);

  void push_async(const Address& peer, std::vector<PushItem> items, std::chrono::milliseconds timeout,
                  PushCallback done);
  void push(const Address& peer, std::vector<PushItem> items, std::chrono::milliseconds timeout);

  /// Idle pooled connections to `peer` (tests).
  std::size_t idle_connections(const Address& peer) const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tessera::net

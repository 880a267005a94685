#pragma once
// A worker process's end of the bulk-data plane: a DataServer serving the
// worker's large values (SharedValues) and a DataClient fetching large inputs
// from peers. In-process clusters have none: their values are shared in memory.
#include <cstddef>
#include <memory>
#include <string>

#include "actors/worker/shared_values.hpp"
#include "net/data_client.hpp"
#include "net/data_server.hpp"

namespace tessera::actors {

struct WorkerDataPlane {
  /// Binds a data server on `host` (an ephemeral port). Throws Error when it cannot.
  /// With `tls` (net/tls_context.hpp), server and client speak TLS only; throws Error on an unusable file.
  static std::shared_ptr<WorkerDataPlane> start(const std::string& host, const std::string& auth_token,
                                                const net::TlsOptions& tls = {},
                                                std::size_t threshold = std::size_t{1} << 20);

  std::shared_ptr<SharedValues> values;    // declared before the server: it outlives it
  std::unique_ptr<net::DataServer> server;
  std::shared_ptr<net::DataClient> client;
  std::string address;                     // tcp://host:port of the server
};

}  // namespace tessera::actors

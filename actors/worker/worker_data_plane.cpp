#include "actors/worker/worker_data_plane.hpp"

namespace tessera::actors {

std::shared_ptr<WorkerDataPlane> WorkerDataPlane::start(const std::string& host, const std::string& auth_token,
                                                        const net::TlsOptions& tls, std::size_t threshold) {
  auto plane = std::make_shared<WorkerDataPlane>();
  plane->values = std::make_shared<SharedValues>(threshold);
  net::DataServerOptions so;
  so.host = host;
  so.auth_token = auth_token;
  so.tls = tls;
  plane->server = std::make_unique<net::DataServer>(*plane->values, so);
  net::DataClientOptions co;
  co.auth_token = auth_token;
  co.tls = tls;
  plane->client = std::make_shared<net::DataClient>(co);
  plane->address = plane->server->address().str();
  return plane;
}

}  // namespace tessera::actors

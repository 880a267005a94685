#pragma once
// Dashboard: the scheduler's web pages and JSON, served by net::HttpServer
// from this process (every file is in the binary; nothing is fetched from
// elsewhere). It observes the scheduler only through snapshots it asks the
// scheduler actor for (dashboard_atom), with a timeout: a busy scheduler
// gives a 503, never a hang.
//
// Routes: /status (live page; also /), /workers, /graph, /info/task/KEY,
// /api/status, /api/workers, /api/graph, /api/task/KEY, /metrics (Prometheus
// text), /health.
#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace tessera::tools {

struct DashboardOptions {
  std::string host = "127.0.0.1";
  /// 0: any free port. A port in use falls back to a free one (as Dask).
  std::uint16_t port = 8787;
  std::chrono::milliseconds snapshot_timeout{3000};
};

class Dashboard {
 public:
  /// Starts serving. Throws Error when no port can be bound at all.
  Dashboard(caf::actor_system& system, caf::actor scheduler, DashboardOptions options);
  ~Dashboard();
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;

  std::uint16_t port() const noexcept;
  /// "http://HOST:PORT/status".
  std::string address() const;
  /// The asked-for port was taken: another one was bound (port() says which).
  bool fell_back() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::tools

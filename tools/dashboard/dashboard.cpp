#include "tools/dashboard/dashboard.hpp"

#include <caf/all.hpp>

#include <optional>

#include "actors/protocol/messages.hpp"
#include "actors/scheduler/dashboard_snapshot.hpp"
#include "net/http_server.hpp"
#include "runtime/util/error.hpp"
#include "tools/dashboard/dashboard_json.hpp"
#include "tools/dashboard/html_pages.hpp"
#include "tools/dashboard/prometheus.hpp"

namespace tessera::tools {
namespace {

using net::HttpRequest;
using net::HttpResponse;

/// JSON text; invalid UTF-8 in names and keys is replaced, never thrown on.
std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

struct Dashboard::Impl {
  caf::actor_system& system;
  caf::actor scheduler;
  DashboardOptions options;
  std::unique_ptr<net::HttpServer> server;
  bool fell_back = false;

  /// A snapshot, or a 503 naming why there is none.
  std::optional<actors::DashboardSnapshotPtr> snapshot(const actors::DashboardQuery& q, HttpResponse& error) const;
  /// Runs `f` on a snapshot; a 503 when the scheduler does not answer.
  template <class F>
  HttpResponse with_snapshot(const actors::DashboardQuery& q, F&& f) const {
    HttpResponse error;
    auto s = snapshot(q, error);
    return s ? f(**s) : error;
  }
  void add_routes(net::HttpServer& server) const;
  void add_page_routes(net::HttpServer& server) const;
  void add_api_routes(net::HttpServer& server) const;
};

std::optional<actors::DashboardSnapshotPtr> Dashboard::Impl::snapshot(const actors::DashboardQuery& q,
                                                                      HttpResponse& error) const {
  caf::scoped_actor self{system};
  std::optional<actors::DashboardSnapshotPtr> out;
  std::string why;
  self->request(scheduler, options.snapshot_timeout, actors::dashboard_atom_v, q)
      .receive([&](actors::DashboardSnapshotPtr& s) { out = std::move(s); },
               [&](caf::error& e) { why = system.render(e); });
  if (out && *out) return out;
  error = HttpResponse::text(503, "the scheduler did not answer within " +
                                      std::to_string(options.snapshot_timeout.count()) + " ms (" + why +
                                      "); it may be busy: try again\n");
  return std::nullopt;
}

void Dashboard::Impl::add_page_routes(net::HttpServer& server) const {
  auto status = [](const HttpRequest&) { return HttpResponse::html(status_page()); };
  server.route("GET", "/", status);
  server.route("GET", "/status", status);
  server.route("GET", "/graph", [](const HttpRequest&) { return HttpResponse::html(graph_page()); });
  server.route("GET", "/workers", [this](const HttpRequest&) {
    return with_snapshot({}, [](const actors::DashboardSnapshot& s) { return HttpResponse::html(workers_page(s)); });
  });
  server.route("GET", "/info/task/", [this](const HttpRequest& r) {
    auto key = r.path.substr(std::string_view("/info/task/").size());
    return with_snapshot({.task = key}, [&](const actors::DashboardSnapshot& s) {
      if (!s.task) return HttpResponse::html(missing_task_page(key), 404);
      return HttpResponse::html(task_page(*s.task));
    });
  });
}

void Dashboard::Impl::add_api_routes(net::HttpServer& server) const {
  server.route("GET", "/api/status", [this](const HttpRequest& r) {
    actors::DashboardQuery q;
    if (auto since = r.query_param("since")) q.stream_since = std::strtod(since->c_str(), nullptr);
    return with_snapshot(q, [](const auto& s) { return HttpResponse::json(dump(status_json(s))); });
  });
  server.route("GET", "/api/workers", [this](const HttpRequest&) {
    return with_snapshot({}, [](const auto& s) { return HttpResponse::json(dump(workers_json(s))); });
  });
  server.route("GET", "/api/graph", [this](const HttpRequest&) {
    return with_snapshot({.graph = true}, [](const auto& s) { return HttpResponse::json(dump(graph_json(s))); });
  });
  server.route("GET", "/api/task/", [this](const HttpRequest& r) {
    auto key = r.path.substr(std::string_view("/api/task/").size());
    return with_snapshot({.task = key}, [&](const actors::DashboardSnapshot& s) {
      if (!s.task) return HttpResponse::json(dump({{"error", "no task '" + key + "' on the scheduler"}}), 404);
      return HttpResponse::json(dump(task_json(*s.task)));
    });
  });
  server.route("GET", "/metrics", [this](const HttpRequest&) {
    return with_snapshot({}, [](const auto& s) {
      return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", prometheus_text(s)};
    });
  });
  // Healthy when the scheduler answers.
  server.route("GET", "/health", [this](const HttpRequest&) {
    return with_snapshot({}, [](const auto&) { return HttpResponse::text(200, "ok\n"); });
  });
}

void Dashboard::Impl::add_routes(net::HttpServer& server) const {
  add_page_routes(server);
  add_api_routes(server);
}

Dashboard::Dashboard(caf::actor_system& system, caf::actor scheduler, DashboardOptions options)
    : impl_(std::make_unique<Impl>(Impl{system, std::move(scheduler), std::move(options), nullptr, false})) {
  auto start = [this](std::uint16_t port) {
    auto server = std::make_unique<net::HttpServer>(net::HttpServerOptions{.host = impl_->options.host, .port = port});
    impl_->add_routes(*server);
    server->start();
    impl_->server = std::move(server);
  };
  try {
    start(impl_->options.port);
  } catch (const Error&) {
    if (impl_->options.port == 0) throw;
    start(0);  // taken (another scheduler?): any free port, as Dask does
    impl_->fell_back = true;
  }
  // The scheduler tells workers where its dashboard is (they print it).
  caf::scoped_actor self{system};
  self->send(impl_->scheduler, actors::dashboard_atom_v, actors::publish_atom_v, address());
}

Dashboard::~Dashboard() {
  if (impl_->server) impl_->server->stop();
}

std::uint16_t Dashboard::port() const noexcept { return impl_->server->port(); }
bool Dashboard::fell_back() const noexcept { return impl_->fell_back; }

std::string Dashboard::address() const {
  const auto& host = impl_->options.host;
  auto shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;  // IPv6 literal
  return "http://" + shown + ":" + std::to_string(port()) + "/status";
}

}  // namespace tessera::tools

#include "net/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <optional>
#include <thread>
#include <vector>

#include "runtime/util/error.hpp"

namespace tessera::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Route {
  std::string method;
  std::string path;
  HttpHandler handler;
};

bool path_matches(const std::string& route, const std::string& path) {
  if (route.size() > 1 && route.back() == '/') return path.compare(0, route.size(), route) == 0;
  return path == route;
}

/// Splits a Beast target into path (decoded) and query; nullopt when the
/// target is not origin-form ("/path?query"), which this server refuses.
std::optional<HttpRequest> to_request(const http::request<http::string_body>& req) {
  std::string_view target{req.target().data(), req.target().size()};
  if (target.empty() || target.front() != '/') return std::nullopt;
  HttpRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(target);
  auto q = target.find('?');
  r.path = percent_decode(target.substr(0, q));
  if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
  r.body = req.body();
  return r;
}

/// What sessions share: the limits and the routes (read-only once serving).
struct Core {
  HttpServerOptions options;
  std::vector<Route> routes;

  HttpResponse dispatch(const HttpRequest& req) const;
};

/// One connection: read a request, answer it, repeat while kept alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Core& server) : stream_(std::move(socket)), server_(server) {}

  void read() {
    const auto& o = server_.options;
    parser_.emplace();
    // The request line counts towards Beast's header limit: leave room for
    // a target up to max_target, which we then check ourselves (414).
    parser_->header_limit(static_cast<std::uint32_t>(o.max_target + o.max_header));
    parser_->body_limit(o.max_body);
    stream_.expires_after(o.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      close();
      return;
    }
    if (ec) {
      reply(refusal_status(ec), 11, false, std::string("cannot read the request: ") + ec.message() + "\n");
      return;
    }
    auto& req = parser_->get();
    if (req.target().size() > server_.options.max_target) {
      reply(414, req.version(), false,
            "the URL is longer than " + std::to_string(server_.options.max_target) + " bytes\n");
      return;
    }
    auto request = to_request(req);
    if (!request) {
      reply(400, req.version(), false, "the request target must be a path starting with '/'\n");
      return;
    }
    auto response = server_.dispatch(*request);
    write(std::move(response), req.version(), req.keep_alive());
  }

  /// 414 when the header limit was hit inside the request line (Beast had
  /// not parsed a target yet), 431 when in the header fields.
  int refusal_status(beast::error_code ec) const {
    if (ec == http::error::header_limit) return parser_->get().target().empty() ? 414 : 431;
    if (ec == http::error::body_limit) return 413;
    return 400;
  }

  void reply(int status, unsigned version, bool keep_alive, std::string text) {
    write(HttpResponse::text(status, std::move(text)), version, keep_alive);
  }

  void write(HttpResponse r, unsigned version, bool keep_alive) {
    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "tessera");
    res_.set(http::field::content_type, r.content_type);
    res_.set(http::field::cache_control, "no-store");
    res_.body() = std::move(r.body);
    res_.keep_alive(keep_alive);
    res_.prepare_payload();
    stream_.expires_after(server_.options.idle_timeout);  // the read's deadline may have passed in the handler
    http::async_write(stream_, res_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (keep_alive) return self->read();
      self->linger_close();
    });
  }

  /// Half-closes, then drains what the client still sends (an unread body)
  /// for a moment: closing with unread data would reset the connection and
  /// could destroy our answer before the client reads it.
  void linger_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    drain();
  }

  void drain() {
    stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  const Core& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  char scratch_[4096];
};

HttpResponse Core::dispatch(const HttpRequest& req) const {
  const Route* best = nullptr;
  bool path_known = false;
  for (const auto& r : routes) {
    if (!path_matches(r.path, req.path)) continue;
    path_known = true;
    if (r.method != req.method) continue;
    if (!best || r.path.size() > best->path.size()) best = &r;
  }
  if (!best) {
    return path_known ? HttpResponse::text(405, "method " + req.method + " is not allowed on " + req.path + "\n")
                      : HttpResponse::text(404, "nothing at " + req.path + "\n");
  }
  try {
    return best->handler(req);
  } catch (const std::exception& e) {
    return HttpResponse::text(500, std::string("internal error: ") + e.what() + "\n");
  }
}

}  // namespace

struct HttpServer::Impl {
  Core core;
  // Reset by stop(), which so closes every connection (destroying the
  // pending handlers destroys the sessions); always before `core`.
  std::optional<asio::io_context> ioc;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool started = false;
  bool stopped = false;

  explicit Impl(HttpServerOptions o) : core{std::move(o), {}} { ioc.emplace(std::max(1, core.options.threads)); }

  void accept();
};

void HttpServer::Impl::accept() {
  acceptor->async_accept(asio::make_strand(*ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), core)->read();
    accept();  // a failed accept (e.g. out of descriptors) does not stop the server
  });
}

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::route(std::string method, std::string path, HttpHandler handler) {
  if (impl_->started) throw Error("HttpServer: routes must be added before start()");
  impl_->core.routes.push_back({std::move(method), std::move(path), std::move(handler)});
}

namespace {

tcp::endpoint resolve(asio::io_context& ioc, const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, port};
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) throw Error("cannot resolve host '" + host + "': " + ec.message());
  return *results.begin();
}

}  // namespace

void HttpServer::start() {
  auto& im = *impl_;
  if (im.started) return;
  if (im.stopped) throw Error("HttpServer: a stopped server cannot start again");
  auto where = "http://" + im.core.options.host + ":" + std::to_string(im.core.options.port);
  auto endpoint = resolve(*im.ioc, im.core.options.host, im.core.options.port);
  beast::error_code ec;
  im.acceptor.emplace(*im.ioc);
  im.acceptor->open(endpoint.protocol(), ec);
  if (!ec) im.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) im.acceptor->bind(endpoint, ec);
  if (!ec) im.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    im.acceptor.reset();
    throw Error("cannot listen on " + where + ": " + ec.message());
  }
  im.port = im.acceptor->local_endpoint().port();
  im.started = true;
  im.accept();
  for (int i = 0; i < std::max(1, im.core.options.threads); ++i) im.threads.emplace_back([&im] { im.ioc->run(); });
}

std::uint16_t HttpServer::port() const noexcept { return impl_->port; }

void HttpServer::stop() {
  auto& im = *impl_;
  if (!im.started) return;
  im.started = false;
  im.stopped = true;
  im.ioc->stop();
  for (auto& t : im.threads) t.join();  // a handler still running is waited for
  im.threads.clear();
  im.acceptor.reset();
  im.ioc.reset();
}

}  // namespace tessera::net

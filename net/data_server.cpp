#include "net/data_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/strand.hpp>

#include <cstdio>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "net/fetch_items.hpp"
#include "net/frame_stream.hpp"
#include "runtime/serial/serialize.hpp"

namespace tessera::net {
namespace {

namespace asio = boost::asio;

/// Before the hello is accepted, a peer may send no more than this.
constexpr FrameLimits hello_limits{4096};

}  // namespace

class DataServer::Impl {
 public:
  class Session;

  Impl(DataProvider& provider, DataServerOptions options)
      : provider_(provider), options_(std::move(options)), acceptor_(io_) {}

  void start() {
    if (options_.tls.enabled()) tls_ = make_tls_context(options_.tls, TlsRole::server);
    tcp::resolver resolver(io_);
    boost::system::error_code ec;
    auto results = resolver.resolve(options_.host, std::to_string(options_.port), ec);
    if (ec || results.empty())
      throw Error("data server cannot resolve host '" + options_.host + "': " + ec.message());
    auto endpoint = results.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw Error("data server cannot listen on " + Address{endpoint.address().to_string(), options_.port}.str() +
                  ": " + ec.message());
    auto bound = acceptor_.local_endpoint();
    address_ = Address{bound.address().to_string(), bound.port()};
    accept();
    auto n = std::max<std::size_t>(1, options_.io_threads);
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
  }

  /// Closes the acceptor and every socket; the io threads then run out of
  /// work (pending operations end as cancelled) and are joined.
  void stop() {
    std::call_once(stopped_, [this] {
      asio::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
      });
      close_all_sessions();
      for (auto& t : threads_)
        if (t.joinable()) t.join();
      std::lock_guard lock(mutex_);
      sessions_.clear();
    });
  }

  Address address() const { return address_; }
  std::size_t connections() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
  }

  void log(const std::string& line) const {
    std::fprintf(stderr, "tessera data server %s: %s\n", address_.str().c_str(), line.c_str());
  }

  void forget(Session* s);

  DataProvider& provider_;
  DataServerOptions options_;
  std::shared_ptr<asio::ssl::context> tls_;  // null: plain TCP

 private:
  void accept();
  void close_all_sessions();

  asio::io_context io_;
  tcp::acceptor acceptor_;
  Address address_;
  std::vector<std::thread> threads_;
  std::once_flag stopped_;
  mutable std::mutex mutex_;
  std::set<std::shared_ptr<Session>> sessions_;
  bool stopping_ = false;  // guarded by mutex_
};

/// One client connection: reads a frame, answers it, reads the next. Every
/// handler runs on the socket's strand.
class DataServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)), socket_(stream_.socket), peer_(peer_name(socket_)) {}

  void start() {
    if (!server_.tls_) return read_next();
    stream_.use_tls(*server_.tls_);
    stream_.tls->async_handshake(asio::ssl::stream_base::server,
                                 [self = shared_from_this()](const boost::system::error_code& error) {
                                   if (self->closed_) return;
                                   if (error) {
                                     self->server_.log("refused connection from " + self->peer_ +
                                                       ": TLS handshake failed (a peer without TLS, or a "
                                                       "certificate not signed by --tls-ca): " + error.message());
                                     return self->shutdown();
                                   }
                                   self->read_next();
                                 });
  }
  auto executor() { return socket_.get_executor(); }

  void close() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->shutdown(); });
  }

 private:
  void read_next() {
    const FrameLimits& limits = authenticated_ ? server_.options_.limits : hello_limits;
    async_read_frame(stream_, limits,
                     [self = shared_from_this()](const boost::system::error_code& error, std::exception_ptr bad,
                                                 InFrame frame) { self->on_frame(error, bad, std::move(frame)); });
  }

  void on_frame(const boost::system::error_code& error, std::exception_ptr bad, InFrame frame) {
    if (error) {
      // A TLS client that closes without close_notify ends as stream_truncated: a normal close too.
      if (error != asio::error::eof && error != asio::error::operation_aborted &&
          error != asio::ssl::error::stream_truncated)
        server_.log("connection from " + peer_ + " failed: " + error.message());
      return shutdown();
    }
    if (bad) {
      try {
        std::rethrow_exception(bad);
      } catch (const std::exception& e) {
        server_.log("dropping connection from " + peer_ + ": " + e.what());
      }
      return shutdown();
    }
    if (!authenticated_) return on_hello(frame);
    switch (frame.header.kind) {
      case FrameKind::request: return on_request(frame);
      case FrameKind::push: return on_push(frame);
      case FrameKind::close: return shutdown();
      default:
        server_.log("dropping connection from " + peer_ + ": unexpected " +
                    frame_kind_name(static_cast<std::uint8_t>(frame.header.kind)) + " frame from a client");
        return shutdown();
    }
  }

  void on_hello(const InFrame& frame) {
    if (frame.header.kind != FrameKind::hello) {
      server_.log("dropping connection from " + peer_ + ": it sent a " +
                  frame_kind_name(static_cast<std::uint8_t>(frame.header.kind)) + " frame before hello");
      return shutdown();
    }
    const auto& token = server_.options_.auth_token;
    if (!token.empty() && !tokens_equal(as_chars(frame.payload()), token)) {
      server_.log("refused connection from " + peer_ + ": wrong or missing auth token");
      return reply_then_close(make_frame(FrameKind::error, 0, 0, 0, "",
                                         "authentication failed: this data server needs the cluster's auth token "
                                         "(--auth-token or TESSERA_AUTH_TOKEN)"));
    }
    authenticated_ = true;
    write(make_frame(FrameKind::welcome, 0, 0, 0, ""), [self = shared_from_this()] { self->read_next(); });
  }

  void on_request(const InFrame& frame) {
    std::vector<FetchItem> items;
    try {
      items = decode_fetch_items(frame.payload());
    } catch (const FrameError& e) {
      server_.log("dropping connection from " + peer_ + ": " + e.what());
      return shutdown();
    }
    auto shared = std::make_shared<std::vector<FetchItem>>(std::move(items));
    answer(frame.header.request_id, std::move(shared), 0);
  }

  /// Sends item `i` of a request, then the next, then reads again.
  void answer(std::uint64_t request, std::shared_ptr<std::vector<FetchItem>> items, std::size_t i) {
    if (i == items->size()) return read_next();
    auto& item = (*items)[i];
    std::shared_ptr<OutFrame> out;
    try {
      auto value = server_.provider_.find(item.id, item.key);
      out = value ? make_value_frame(FrameKind::value, request, i, item.id, item.key, SerializedValue(std::move(*value)))
                  : make_frame(FrameKind::not_found, request, i, item.id, item.key);
    } catch (const std::exception& e) {
      out = make_frame(FrameKind::error, request, i, item.id, item.key,
                       "cannot send '" + item.key + "': " + e.what());
    }
    write(std::move(out), [self = shared_from_this(), request, items = std::move(items), i]() mutable {
      self->answer(request, std::move(items), i + 1);
    });
  }

  void on_push(const InFrame& frame) {
    const auto& h = frame.header;
    std::string key(frame.key());
    std::shared_ptr<OutFrame> reply;
    try {
      auto value = deserialize_value(as_chars(frame.payload()), frame.body);
      server_.provider_.store(h.task_id, key, std::move(value));
      reply = make_frame(FrameKind::ack, h.request_id, h.item, h.task_id, key);
    } catch (const std::exception& e) {
      reply = make_frame(FrameKind::error, h.request_id, h.item, h.task_id, key,
                         "cannot store '" + key + "': " + e.what());
    }
    write(std::move(reply), [self = shared_from_this()] { self->read_next(); });
  }

  template <class Next>
  void write(std::shared_ptr<OutFrame> frame, Next next) {
    async_write_frame(stream_, std::move(frame),
                      [self = shared_from_this(), next = std::move(next)](const boost::system::error_code& error) mutable {
                        if (error) {
                          if (error != asio::error::operation_aborted)
                            self->server_.log("cannot write to " + self->peer_ + ": " + error.message());
                          return self->shutdown();
                        }
                        next();
                      });
  }

  void reply_then_close(std::shared_ptr<OutFrame> frame) {
    async_write_frame(stream_, std::move(frame),
                      [self = shared_from_this()](const boost::system::error_code&) { self->shutdown(); });
  }

  void shutdown() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    server_.forget(this);
  }

  Impl& server_;
  FrameSocket stream_;
  tcp::socket& socket_;  // stream_'s socket
  std::string peer_;
  bool authenticated_ = false;
  bool closed_ = false;
};

void DataServer::Impl::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& error, tcp::socket socket) {
    if (error) {
      if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
      log(std::string("accept failed: ") + error.message());
    } else {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto session = std::make_shared<Session>(*this, std::move(socket));
      std::lock_guard lock(mutex_);
      if (stopping_) return;  // the session closes its socket as it goes
      sessions_.insert(session);
      asio::post(session->executor(), [session] { session->start(); });
    }
    accept();
  });
}

void DataServer::Impl::forget(Session* s) {
  std::lock_guard lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
    if (it->get() == s) {
      // Erased after the current handler: the handler holds its own reference.
      sessions_.erase(it);
      return;
    }
}

void DataServer::Impl::close_all_sessions() {
  std::vector<std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    all.assign(sessions_.begin(), sessions_.end());
  }
  for (auto& s : all) s->close();
}

DataServer::DataServer(DataProvider& provider, DataServerOptions options)
    : impl_(std::make_unique<Impl>(provider, std::move(options))) {
  impl_->start();
}

DataServer::~DataServer() { stop(); }

Address DataServer::address() const { return impl_->address(); }
void DataServer::stop() { impl_->stop(); }
std::size_t DataServer::connections() const { return impl_->connections(); }

}  // namespace tessera::net

#include "net/data_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "net/frame_stream.hpp"
#include "runtime/serial/serialize.hpp"

namespace tessera::net {
namespace {

namespace asio = boost::asio;
using Executor = asio::any_io_executor;

struct Connection {
  explicit Connection(const Executor& ex) : stream(ex) {}
  FrameSocket stream;
  tcp::socket& socket = stream.socket;
};
using ConnectionPtr = std::unique_ptr<Connection>;

void log(const std::string& line) { std::fprintf(stderr, "tessera data client: %s\n", line.c_str()); }

/// "3 values ('a', 'b', ...)" for messages.
template <class Items>
std::string describe(const Items& items) {
  std::string s = std::to_string(items.size()) + (items.size() == 1 ? " value (" : " values (");
  for (std::size_t i = 0; i < items.size() && i < 3; ++i) s += (i ? ", '" : "'") + items[i].key + "'";
  return s + (items.size() > 3 ? ", ...)" : ")");
}

}  // namespace

class DataClient::Impl {
 public:
  class Transfer;

  explicit Impl(DataClientOptions options)
      : options_(std::move(options)),
        tls_(options_.tls.enabled() ? make_tls_context(options_.tls, TlsRole::client) : nullptr),
        work_(io_.get_executor()) {
    auto n = std::max<std::size_t>(1, options_.io_threads);
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
  }

  ~Impl() { shutdown(); }

  void shutdown();
  void start(std::shared_ptr<Transfer> t);

  /// An idle connection to `peer`, or null.
  ConnectionPtr take_idle(const std::string& peer) {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(peer);
    if (it == idle_.end() || it->second.empty()) return nullptr;
    auto c = std::move(it->second.back());
    it->second.pop_back();
    return c;
  }

  /// Keeps a healthy connection for the next transfer (or closes it).
  void release(const std::string& peer, ConnectionPtr c) {
    std::lock_guard lock(mutex_);
    auto& list = idle_[peer];
    if (!stopping_ && list.size() < options_.max_idle_per_peer) list.push_back(std::move(c));
  }

  std::size_t idle_count(const std::string& peer) const {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(peer);
    return it == idle_.end() ? 0 : it->second.size();
  }

  void finished(Transfer* t) {
    std::lock_guard lock(mutex_);
    live_.erase(t);
  }

  Executor new_strand() { return asio::make_strand(io_); }

  const DataClientOptions options_;
  const std::shared_ptr<asio::ssl::context> tls_;  // null: plain TCP
  std::atomic<std::uint64_t> next_request_{1};

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<ConnectionPtr>> idle_;
  std::map<Transfer*, std::weak_ptr<Transfer>> live_;
  bool stopping_ = false;
  std::once_flag stopped_;
};

/// One fetch or push. Every handler runs on `strand_`; `finished_` makes the
/// completion happen exactly once, whatever comes first (answer, error, timeout).
class DataClient::Impl::Transfer : public std::enable_shared_from_this<Transfer> {
 public:
  Transfer(Impl& client, const Address& peer, std::chrono::milliseconds timeout)
      : client_(client), peer_(peer), peer_text_(peer.str()), timeout_(timeout),
        request_(client.next_request_.fetch_add(1)) {}

  std::vector<FetchItem> fetch_items_;
  std::vector<PushItem> push_items_;
  FetchCallback fetch_done_;
  PushCallback push_done_;

  bool is_push() const noexcept { return static_cast<bool>(push_done_); }

  /// Runs on the caller's thread: picks a connection and with it the strand.
  void prepare() {
    conn_ = client_.take_idle(peer_text_);
    reused_ = conn_ != nullptr;
    strand_ = reused_ ? conn_->socket.get_executor() : client_.new_strand();
  }

  void begin() { asio::post(strand_, [self = shared_from_this()] { self->run(); }); }

  /// Fails the transfer from outside (client shutdown).
  void abort(std::exception_ptr error) {
    asio::post(strand_, [self = shared_from_this(), error] { self->fail(error); });
  }

 private:
  std::string action() const {
    return is_push() ? "pushing " + describe(push_items_) : "fetching " + describe(fetch_items_);
  }
  std::string what() const { return action() + (is_push() ? " to " : " from ") + peer_text_; }

  void run() {
    if (finished_) return;
    timer_.emplace(strand_);
    timer_->expires_after(timeout_);
    timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (error || self->finished_) return;
      self->fail(std::make_exception_ptr(TimeoutError(self->what() + ": no answer within " +
                                                      std::to_string(self->timeout_.count()) + " ms")));
    });
    if (conn_) send();
    else connect();
  }

  void connect() {
    conn_ = std::make_unique<Connection>(strand_);
    resolver_.emplace(strand_);
    resolver_->async_resolve(peer_.host, std::to_string(peer_.port),
                             [self = shared_from_this()](const boost::system::error_code& error,
                                                         tcp::resolver::results_type results) {
                               if (self->finished_) return;
                               if (error) return self->fail_text("cannot resolve " + self->peer_.host + ": " + error.message());
                               self->connect_to(std::move(results));
                             });
  }

  void connect_to(tcp::resolver::results_type results) {
    asio::async_connect(conn_->socket, results,
                        [self = shared_from_this()](const boost::system::error_code& error, const tcp::endpoint&) {
                          if (self->finished_) return;
                          if (error) return self->fail_text("cannot connect to " + self->peer_text_ + ": " + error.message());
                          boost::system::error_code ignored;
                          self->conn_->socket.set_option(tcp::no_delay(true), ignored);
                          self->handshake();
                        });
  }

  void handshake() {
    if (!client_.tls_) return hello();
    conn_->stream.use_tls(*client_.tls_);
    conn_->stream.tls->async_handshake(
        asio::ssl::stream_base::client, [self = shared_from_this()](const boost::system::error_code& error) {
          if (self->finished_) return;
          if (error) {
            auto msg = "TLS handshake with " + self->peer_text_ +
                       " failed (a peer without TLS, or a certificate not signed by --tls-ca): " + error.message();
            log(msg);
            return self->fail_text(msg);
          }
          self->hello();
        });
  }

  void hello() {
    write(make_frame(FrameKind::hello, 0, 0, 0, "", client_.options_.auth_token), [this] {
      read([this](InFrame f) {
        if (f.header.kind == FrameKind::welcome) return send();
        if (f.header.kind == FrameKind::error) {
          auto msg = peer_text_ + " refused the connection: " + std::string(as_chars(f.payload()));
          log(msg);
          return fail_text(msg);
        }
        protocol_error("expected welcome, got a " + kind_of(f) + " frame");
      });
    });
  }

  void send() {
    if (is_push()) return push_next(0);
    std::shared_ptr<OutFrame> request;
    try {
      request = make_frame(FrameKind::request, request_, 0, 0, "", encode_fetch_items(fetch_items_));
    } catch (...) {
      return fail(std::current_exception());
    }
    results_.assign(fetch_items_.size(), std::nullopt);
    seen_.assign(fetch_items_.size(), false);
    write(std::move(request), [this] { receive(); });
  }

  // ---- fetch

  void receive() {
    if (answered_ == fetch_items_.size()) return succeed();
    read([this](InFrame f) { on_answer(std::move(f)); });
  }

  void on_answer(InFrame f) {
    const auto& h = f.header;
    if (h.kind != FrameKind::value && h.kind != FrameKind::not_found && h.kind != FrameKind::error)
      return protocol_error("unexpected " + kind_of(f) + " frame in answer to a fetch");
    if (h.request_id != request_ || h.item >= fetch_items_.size() || seen_[h.item])
      return protocol_error("answer for request " + std::to_string(h.request_id) + " item " + std::to_string(h.item) +
                            " does not match request " + std::to_string(request_) + " of " +
                            std::to_string(fetch_items_.size()) + " items");
    const auto& item = fetch_items_[h.item];
    if (h.task_id != item.id || f.key() != item.key)
      return protocol_error("item " + std::to_string(h.item) + " came back as task " + std::to_string(h.task_id) +
                            " '" + std::string(f.key()) + "', asked for task " + std::to_string(item.id) + " '" +
                            item.key + "'");
    if (h.kind == FrameKind::error)
      return fail_text(peer_text_ + " could not send '" + item.key + "': " + std::string(as_chars(f.payload())));
    if (h.kind == FrameKind::value) {
      try {
        results_[h.item] = deserialize_value(as_chars(f.payload()), f.body);  // arrays in place
      } catch (const std::exception& e) {
        auto msg = "malformed value for key '" + item.key + "' from " + peer_text_ + ": " + e.what();
        log(msg + "; closing the connection");
        return fail(std::make_exception_ptr(FrameError(msg)));
      }
    }
    seen_[h.item] = true;
    ++answered_;
    receive();
  }

  // ---- push

  void push_next(std::size_t i) {
    if (i == push_items_.size()) return succeed();
    auto& item = push_items_[i];
    std::shared_ptr<OutFrame> frame;
    try {
      frame = make_value_frame(FrameKind::push, request_, i, item.id, item.key, SerializedValue(item.value));
    } catch (...) {
      return fail(std::current_exception());
    }
    write(std::move(frame), [this, i] {
      read([this, i](InFrame f) {
        const auto& h = f.header;
        if ((h.kind != FrameKind::ack && h.kind != FrameKind::error) || h.request_id != request_ || h.item != i)
          return protocol_error("expected the ack of push " + std::to_string(i) + ", got a " + kind_of(f) +
                                " frame for request " + std::to_string(h.request_id) + " item " +
                                std::to_string(h.item));
        if (h.kind == FrameKind::error)
          return fail_text(peer_text_ + " refused '" + push_items_[i].key + "': " + std::string(as_chars(f.payload())));
        push_next(i + 1);
      });
    });
  }

  // ---- plumbing

  static std::string kind_of(const InFrame& f) { return frame_kind_name(static_cast<std::uint8_t>(f.header.kind)); }

  /// Writes, then calls next() (on success, while not finished).
  template <class Next>
  void write(std::shared_ptr<OutFrame> frame, Next next) {
    async_write_frame(conn_->stream, std::move(frame),
                      [self = shared_from_this(), next](const boost::system::error_code& error) {
                        if (self->finished_) return;
                        if (error) return self->on_socket_error(error);
                        next();
                      });
  }

  /// Reads one frame, then calls next(frame) (while not finished).
  template <class Next>
  void read(Next next) {
    async_read_frame(conn_->stream, client_.options_.limits,
                     [self = shared_from_this(), next](const boost::system::error_code& error, std::exception_ptr bad,
                                                       InFrame frame) {
                       if (self->finished_) return;
                       if (error) return self->on_socket_error(error);
                       if (bad) {
                         try {
                           std::rethrow_exception(bad);
                         } catch (const std::exception& e) {
                           log("dropping the connection to " + self->peer_text_ + ": " + e.what());
                           return self->fail(std::make_exception_ptr(FrameError(self->what() + ": " + e.what())));
                         }
                       }
                       self->got_answer_ = true;
                       next(std::move(frame));
                     });
  }

  void on_socket_error(const boost::system::error_code& error) {
    if (reused_ && !got_answer_ && !retried_) {
      // The pooled connection had been closed by the peer while idle.
      retried_ = true;
      reused_ = false;
      close_connection();
      return connect();
    }
    if (error == asio::error::eof || error == asio::error::connection_reset) {
      if (!got_answer_ && !client_.tls_)  // a TLS server drops a plain hello
        return fail_text(peer_text_ + " closed the connection before answering the hello while " + action() +
                         " (if that node runs with TLS, give --tls-cert/--tls-key/--tls-ca)");
      return fail_text(peer_text_ + " closed the connection (the peer died or dropped it) while " + action());
    }
    fail_text(what() + ": " + error.message());
  }

  void protocol_error(const std::string& why) {
    auto msg = "protocol error from " + peer_text_ + ": " + why;
    log(msg + "; closing the connection");
    fail_text(msg);
  }

  void fail_text(const std::string& message) { fail(std::make_exception_ptr(Error(message))); }

  void close_connection() {
    if (!conn_) return;
    boost::system::error_code ignored;
    conn_->socket.close(ignored);
    conn_.reset();
  }

  void fail(std::exception_ptr error) {
    if (finished_) return;
    finished_ = true;
    if (timer_) timer_->cancel();
    if (resolver_) resolver_->cancel();
    close_connection();
    complete(error);
  }

  void succeed() {
    finished_ = true;
    if (timer_) timer_->cancel();
    client_.release(peer_text_, std::move(conn_));
    complete(nullptr);
  }

  void complete(std::exception_ptr error) {
    client_.finished(this);
    try {
      if (is_push()) push_done_(error);
      else fetch_done_(error, error ? FetchResult{} : std::move(results_));
    } catch (const std::exception& e) {
      log(std::string("a transfer's completion callback threw: ") + e.what());
    }
  }

  Impl& client_;
  Address peer_;
  std::string peer_text_;
  std::chrono::milliseconds timeout_;
  std::uint64_t request_;
  Executor strand_;
  ConnectionPtr conn_;
  std::optional<asio::steady_timer> timer_;
  std::optional<tcp::resolver> resolver_;
  FetchResult results_;
  std::vector<bool> seen_;
  std::size_t answered_ = 0;
  bool reused_ = false, retried_ = false, got_answer_ = false, finished_ = false;
};

void DataClient::Impl::start(std::shared_ptr<Transfer> t) {
  t->prepare();
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      live_.emplace(t.get(), t);
      t->begin();
      return;
    }
  }
  auto error = std::make_exception_ptr(Error("data client shut down"));
  if (t->is_push()) t->push_done_(error);
  else t->fetch_done_(error, {});
}

void DataClient::Impl::shutdown() {
  std::call_once(stopped_, [this] {
    std::vector<std::shared_ptr<Transfer>> running;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      for (auto& [ptr, weak] : live_)
        if (auto t = weak.lock()) running.push_back(std::move(t));
      idle_.clear();
    }
    for (auto& t : running) t->abort(std::make_exception_ptr(Error("data client shut down")));
    running.clear();
    work_.reset();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  });
}

DataClient::DataClient(DataClientOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

DataClient::~DataClient() { impl_->shutdown(); }

void DataClient::fetch_async(const Address& peer, std::vector<FetchItem> items, std::chrono::milliseconds timeout,
                             FetchCallback done) {
  if (!done) throw ValueError("fetch_async needs a completion callback");
  auto t = std::make_shared<Impl::Transfer>(*impl_, peer, timeout);
  t->fetch_items_ = std::move(items);
  t->fetch_done_ = std::move(done);
  impl_->start(std::move(t));
}

FetchResult DataClient::fetch(const Address& peer, std::vector<FetchItem> items, std::chrono::milliseconds timeout) {
  std::promise<FetchResult> promise;
  auto future = promise.get_future();
  fetch_async(peer, std::move(items), timeout, [&promise](std::exception_ptr error, FetchResult values) {
    if (error) promise.set_exception(error);
    else promise.set_value(std::move(values));
  });
  return future.get();
}

void DataClient::push_async(const Address& peer, std::vector<PushItem> items, std::chrono::milliseconds timeout,
                            PushCallback done) {
  if (!done) throw ValueError("push_async needs a completion callback");
  auto t = std::make_shared<Impl::Transfer>(*impl_, peer, timeout);
  t->push_items_ = std::move(items);
  t->push_done_ = std::move(done);
  impl_->start(std::move(t));
}

void DataClient::push(const Address& peer, std::vector<PushItem> items, std::chrono::milliseconds timeout) {
  std::promise<void> promise;
  auto future = promise.get_future();
  push_async(peer, std::move(items), timeout, [&promise](std::exception_ptr error) {
    if (error) promise.set_exception(error);
    else promise.set_value();
  });
  future.get();
}

std::size_t DataClient::idle_connections(const Address& peer) const { return impl_->idle_count(peer.str()); }

}  // namespace tessera::net

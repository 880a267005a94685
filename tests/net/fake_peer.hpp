#pragma once
// Test helper: a scripted peer on a loopback port, run on its own thread with
// blocking Asio calls, to play servers that misbehave (silent, dying, lying).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <functional>
#include <string>
#include <thread>

#include "net/address.hpp"
#include "net/frame.hpp"

namespace tessera::net::testing {

using boost::asio::ip::tcp;

/// Reads one whole frame (header and body) as bytes; throws on a closed socket.
inline std::string read_frame_bytes(tcp::socket& s) {
  std::string bytes(frame_header_size, '\0');
  boost::asio::read(s, boost::asio::buffer(bytes));
  auto h = decode_header(as_bytes(bytes));
  std::string body(static_cast<std::size_t>(h.body_size()), '\0');
  boost::asio::read(s, boost::asio::buffer(body));
  return bytes + body;
}

inline void write_bytes(tcp::socket& s, const std::string& bytes) {
  boost::asio::write(s, boost::asio::buffer(bytes));
}

/// Accepts one connection on 127.0.0.1 and runs `script` on it, on a thread.
class FakePeer {
 public:
  explicit FakePeer(std::function<void(tcp::socket&)> script)
      : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, script = std::move(script)] {
      try {
        tcp::socket s(io_);
        acceptor_.accept(s);
        script(s);
      } catch (const std::exception&) {
        // The client closed first: the script ends.
      }
    });
  }
  ~FakePeer() {
    // shutdown() wakes a blocking accept() (close() alone does not, on Linux).
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    thread_.join();
  }
  Address address() const { return Address{"127.0.0.1", acceptor_.local_endpoint().port()}; }

 private:
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace tessera::net::testing

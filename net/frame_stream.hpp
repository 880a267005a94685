#pragma once
// Reading and writing whole frames on a Boost.Asio TCP socket: the one place
// DataServer and DataClient share. Internal to net/ (it includes Asio).
//
// A read takes the 56 header bytes, validates them (decode_header), only then
// allocates the body (key + payload) in one Buffer, reads it and verifies the
// checksum. A write gathers header, key and the payload's spans into one
// sequence of buffers: a value's big blocks go to the socket from where they
// are, never copied into a frame.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/auth_token.hpp"
#include "net/frame.hpp"
#include "net/serialized_value.hpp"
#include "runtime/value/buffer.hpp"

namespace tessera::net {

using boost::asio::ip::tcp;

/// A received frame: its header and its body (key then payload).
struct InFrame {
  FrameHeader header;
  std::shared_ptr<Buffer> body;

  std::string_view key() const noexcept;
  ConstBytes payload() const noexcept;
};

/// A frame to send, owning everything its buffers point to.
struct OutFrame {
  std::array<std::byte, frame_header_size> header{};
  std::string key;
  std::string text;                     // a small payload
  std::optional<SerializedValue> value; // or a serialised value

  std::vector<boost::asio::const_buffer> buffers() const;
};

/// A frame with a small payload (hello, request, error, ...).
std::shared_ptr<OutFrame> make_frame(FrameKind kind, std::uint64_t request_id, std::uint64_t item,
                                     std::uint64_t task_id, std::string key, std::string payload = {});
/// A frame carrying a value (value, push); checksums its spans.
std::shared_ptr<OutFrame> make_value_frame(FrameKind kind, std::uint64_t request_id, std::uint64_t item,
                                           std::uint64_t task_id, std::string key, SerializedValue value);

/// A data-plane connection: a TCP socket, and over it a TLS stream once TLS is
/// on (net/tls_context.hpp). Not movable: the TLS stream refers to the socket.
struct FrameSocket {
  explicit FrameSocket(tcp::socket s) : socket(std::move(s)) {}
  explicit FrameSocket(const boost::asio::any_io_executor& ex) : socket(ex) {}
  FrameSocket(const FrameSocket&) = delete;
  FrameSocket& operator=(const FrameSocket&) = delete;

  /// Wraps the socket in TLS (before the handshake; at most once).
  void use_tls(boost::asio::ssl::context& context) {
    tls = std::make_unique<boost::asio::ssl::stream<tcp::socket&>>(socket, context);
  }

  tcp::socket socket;
  std::unique_ptr<boost::asio::ssl::stream<tcp::socket&>> tls;  // null: plain TCP
};

/// `error` is set when the socket failed (closed, reset, cancelled);
/// `bad_frame` holds the FrameError of a malformed frame. Otherwise `frame` is valid.
using ReadHandler =
    std::function<void(const boost::system::error_code& error, std::exception_ptr bad_frame, InFrame frame)>;
using WriteHandler = std::function<void(const boost::system::error_code& error)>;

/// Reads one frame. At most one read at a time per socket.
void async_read_frame(tcp::socket& socket, const FrameLimits& limits, ReadHandler done);
/// Writes one frame (kept alive until done). At most one write at a time per socket.
void async_write_frame(tcp::socket& socket, std::shared_ptr<OutFrame> frame, WriteHandler done);

/// The same on a FrameSocket: through TLS when it is on, else on the socket as above.
void async_read_frame(FrameSocket& socket, const FrameLimits& limits, ReadHandler done);
void async_write_frame(FrameSocket& socket, std::shared_ptr<OutFrame> frame, WriteHandler done);

/// "127.0.0.1:5000" for log lines ("?" when the socket is closed).
std::string peer_name(const tcp::socket& socket);

}  // namespace tessera::net

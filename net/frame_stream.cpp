#include "net/frame_stream.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace tessera::net {
namespace {

/// Asio's transfer_all moves at most 64 KiB per system call; big frames go
/// in larger steps (fewer calls and handler runs for a 256 MiB value).
std::size_t large_steps(const boost::system::error_code& error, std::size_t) {
  return error ? 0 : std::size_t{8} << 20;
}

/// A buffer for the body, placed so that body offset `header.align` is
/// 64-byte aligned (a view into a slightly larger allocation).
std::shared_ptr<Buffer> body_buffer(const FrameHeader& header) {
  auto size = static_cast<std::size_t>(header.body_size());
  if (header.align == 0) return make_buffer(size);
  std::shared_ptr<Buffer> whole = make_buffer(size + frame_align);
  auto shift = (frame_align - header.align) % frame_align;  // whole's data is 64-aligned
  auto* start = whole->mutable_data() + shift;
  // The view is writable by us, its producer, until the frame is handed on.
  return std::make_shared<Buffer>(std::shared_ptr<const void>(whole), start, size);
}

/// Bodies from this size on are checksummed piece by piece as they arrive,
/// while each piece is still in cache and while the sender is still sending,
/// instead of in one more pass over memory at the end.
constexpr std::size_t incremental_checksum_from = std::size_t{1} << 20;

/// Reads a large body in the pieces the socket delivers (at most 8 MiB each),
/// hashing each one, then compares the sum with the header's.
template <class Stream>
class BodyReader : public std::enable_shared_from_this<BodyReader<Stream>> {
 public:
  BodyReader(Stream& socket, FrameHeader header, std::shared_ptr<Buffer> body, ReadHandler done)
      : socket_(socket), header_(header), body_(std::move(body)), done_(std::move(done)) {}

  void next() {
    auto* data = body_->mutable_data() + received_;
    auto want = std::min(body_->size() - received_, std::size_t{8} << 20);
    socket_.async_read_some(boost::asio::buffer(data, want),
                            [self = this->shared_from_this()](const boost::system::error_code& error, std::size_t n) {
                              self->on_piece(error, n);
                            });
  }

 private:
  void on_piece(const boost::system::error_code& error, std::size_t n) {
    if (error) return done_(error, nullptr, {});
    sum_.update(ConstBytes(body_->data() + received_, n));
    received_ += n;
    if (received_ < body_->size()) return next();
    try {
      check_checksum(header_, ConstBytes(body_->data(), body_->size()), sum_.digest());
    } catch (const FrameError&) {
      return done_({}, std::current_exception(), {});
    }
    done_({}, nullptr, InFrame{header_, std::move(body_)});
  }

  Stream& socket_;
  FrameHeader header_;
  std::shared_ptr<Buffer> body_;
  ReadHandler done_;
  std::size_t received_ = 0;
  StreamingChecksum sum_;
};

template <class Stream>
void read_body(Stream& socket, FrameHeader header, ReadHandler done) {
  std::shared_ptr<Buffer> body;
  try {
    body = body_buffer(header);
  } catch (const std::bad_alloc&) {
    done({}, std::make_exception_ptr(FrameError("cannot allocate " + std::to_string(header.body_size()) +
                                                " bytes for a " + frame_kind_name(static_cast<std::uint8_t>(header.kind)) +
                                                " frame")),
         {});
    return;
  }
  if (body->size() >= incremental_checksum_from) {
    std::make_shared<BodyReader<Stream>>(socket, header, std::move(body), std::move(done))->next();
    return;
  }
  auto* data = body->mutable_data();
  auto size = body->size();
  boost::asio::async_read(socket, boost::asio::buffer(data, size),
                          [header, body = std::move(body), done = std::move(done)](
                              const boost::system::error_code& error, std::size_t) mutable {
                            if (error) return done(error, nullptr, {});
                            try {
                              verify_body(header, ConstBytes(body->data(), body->size()));
                            } catch (const FrameError&) {
                              return done({}, std::current_exception(), {});
                            }
                            done({}, nullptr, InFrame{header, std::move(body)});
                          });
}

}  // namespace

std::string_view InFrame::key() const noexcept {
  return as_chars(ConstBytes(body->data(), header.key_size));
}

ConstBytes InFrame::payload() const noexcept {
  return ConstBytes(body->data() + header.key_size, static_cast<std::size_t>(header.payload_size));
}

std::vector<boost::asio::const_buffer> OutFrame::buffers() const {
  std::vector<boost::asio::const_buffer> out;
  out.reserve(3 + (value ? value->spans().size() : 0));
  out.emplace_back(header.data(), header.size());
  if (!key.empty()) out.emplace_back(key.data(), key.size());
  if (!text.empty()) out.emplace_back(text.data(), text.size());
  if (value)
    for (auto s : value->spans()) out.emplace_back(s.data(), s.size());
  return out;
}

namespace {
std::shared_ptr<OutFrame> frame_with_header(FrameKind kind, std::uint64_t request_id, std::uint64_t item,
                                            std::uint64_t task_id, std::string key) {
  if (key.size() > max_frame_key_size)
    throw ValueError("cannot send key '" + key.substr(0, 80) + "...' of " + std::to_string(key.size()) +
                     " bytes (at most " + std::to_string(max_frame_key_size) + ")");
  auto f = std::make_shared<OutFrame>();
  f->key = std::move(key);
  FrameHeader h;
  h.kind = kind;
  h.request_id = request_id;
  h.item = item;
  h.task_id = task_id;
  h.key_size = static_cast<std::uint32_t>(f->key.size());
  f->header = encode_header(h);
  return f;
}

void finish_header(OutFrame& f, FrameKind kind, std::uint64_t request_id, std::uint64_t item, std::uint64_t task_id,
                   std::uint64_t payload_size, std::uint64_t checksum, std::uint32_t align = 0) {
  FrameHeader h;
  h.align = align;
  h.kind = kind;
  h.request_id = request_id;
  h.item = item;
  h.task_id = task_id;
  h.key_size = static_cast<std::uint32_t>(f.key.size());
  h.payload_size = payload_size;
  h.checksum = checksum;
  f.header = encode_header(h);
}
}  // namespace

std::shared_ptr<OutFrame> make_frame(FrameKind kind, std::uint64_t request_id, std::uint64_t item,
                                     std::uint64_t task_id, std::string key, std::string payload) {
  auto f = frame_with_header(kind, request_id, item, task_id, std::move(key));
  f->text = std::move(payload);
  const ConstBytes parts[] = {as_bytes(f->key), as_bytes(f->text)};
  finish_header(*f, kind, request_id, item, task_id, f->text.size(), frame_checksum(parts));
  return f;
}

std::shared_ptr<OutFrame> make_value_frame(FrameKind kind, std::uint64_t request_id, std::uint64_t item,
                                           std::uint64_t task_id, std::string key, SerializedValue value) {
  auto f = frame_with_header(kind, request_id, item, task_id, std::move(key));
  std::vector<ConstBytes> parts;
  parts.reserve(1 + value.spans().size());
  parts.push_back(as_bytes(f->key));
  parts.insert(parts.end(), value.spans().begin(), value.spans().end());
  // Where the largest block (an array's data) starts in the body, modulo 64.
  std::uint64_t offset = f->key.size(), largest_at = 0, largest = 0;
  for (auto s : value.spans()) {
    if (s.size() > largest) {
      largest = s.size();
      largest_at = offset;
    }
    offset += s.size();
  }
  auto size = value.size();
  f->value.emplace(std::move(value));
  finish_header(*f, kind, request_id, item, task_id, size, frame_checksum(parts),
                static_cast<std::uint32_t>(largest_at % frame_align));
  return f;
}

namespace {
template <class Stream>
void read_frame(Stream& socket, const FrameLimits& limits, ReadHandler done) {
  auto header = std::make_shared<std::array<std::byte, frame_header_size>>();
  boost::asio::async_read(
      socket, boost::asio::buffer(*header),
      [&socket, limits, header, done = std::move(done)](const boost::system::error_code& error, std::size_t) mutable {
        if (error) return done(error, nullptr, {});
        FrameHeader h;
        try {
          h = decode_header(ConstBytes(header->data(), header->size()), limits);
        } catch (const FrameError&) {
          return done({}, std::current_exception(), {});
        }
        if (h.body_size() == 0) {
          try {
            verify_body(h, {});
          } catch (const FrameError&) {
            return done({}, std::current_exception(), {});
          }
          return done({}, nullptr, InFrame{h, make_buffer(0)});
        }
        read_body(socket, h, std::move(done));
      });
}

template <class Stream>
void write_frame(Stream& socket, std::shared_ptr<OutFrame> frame, WriteHandler done) {
  auto buffers = frame->buffers();
  boost::asio::async_write(socket, buffers, large_steps,
                           [frame = std::move(frame), done = std::move(done)](const boost::system::error_code& error,
                                                                              std::size_t) { done(error); });
}

}  // namespace

void async_read_frame(tcp::socket& socket, const FrameLimits& limits, ReadHandler done) {
  read_frame(socket, limits, std::move(done));
}

void async_write_frame(tcp::socket& socket, std::shared_ptr<OutFrame> frame, WriteHandler done) {
  write_frame(socket, std::move(frame), std::move(done));
}

void async_read_frame(FrameSocket& socket, const FrameLimits& limits, ReadHandler done) {
  if (socket.tls) read_frame(*socket.tls, limits, std::move(done));
  else read_frame(socket.socket, limits, std::move(done));
}

void async_write_frame(FrameSocket& socket, std::shared_ptr<OutFrame> frame, WriteHandler done) {
  if (socket.tls) write_frame(*socket.tls, std::move(frame), std::move(done));
  else write_frame(socket.socket, std::move(frame), std::move(done));
}

std::string peer_name(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "?";
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

}  // namespace tessera::net

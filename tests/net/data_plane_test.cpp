// DataServer and DataClient together on loopback, and against scripted peers
// that stay silent, die, lie about checksums or send garbage.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "net/data_client.hpp"
#include "net/data_server.hpp"
#include "runtime/value/buffer.hpp"
#include "runtime/value/ndarray.hpp"
#include "tests/net/fake_peer.hpp"
#include "tests/support/error_of.hpp"

namespace tessera::net {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using testing::FakePeer;
using tessera::testing::error_of;
using Clock = std::chrono::steady_clock;

Value float_array(std::size_t n, double scale = 1.0) {
  auto buf = make_buffer(n * sizeof(double));
  auto d = buf->mutable_as<double>();
  for (std::size_t i = 0; i < n; ++i) d[i] = scale * static_cast<double>(i);
  return Value(NDArray(DType::float64, {static_cast<std::int64_t>(n)}, std::move(buf)));
}

template <class E, class F>
std::string error_of_type(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception type: ") + e.what();
  }
  return "(no exception)";
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

TEST(DataPlane, ServerReportsItsEphemeralPort) {
  MapDataProvider store;
  DataServer server(store);
  EXPECT_EQ(server.address().host, "127.0.0.1");
  EXPECT_NE(server.address().port, 0);
}

TEST(DataPlane, BindingATakenPortIsAClearError) {
  MapDataProvider store;
  DataServer first(store);
  auto msg = error_of_type<Error>([&] { DataServer second(store, {.port = first.address().port}); });
  EXPECT_NE(msg.find("cannot listen on tcp://127.0.0.1:" + std::to_string(first.address().port)), std::string::npos)
      << msg;
}

TEST(DataPlane, FetchesValuesAndReportsMissingOnes) {
  MapDataProvider store;
  auto big = float_array(1 << 17);  // 1 MiB
  store.store(1, "('x', 0)", big);
  store.store(2, "small", Value(ValueList{Value(1), Value("two")}));
  store.store(3, "other-key", Value(3));
  DataServer server(store);
  DataClient client;
  auto got = client.fetch(server.address(), {{1, "('x', 0)"}, {2, "small"}, {3, "wrong-key"}, {4, "missing"}}, 5s);
  ASSERT_EQ(got.size(), 4u);
  ASSERT_TRUE(got[0].has_value());
  EXPECT_EQ(*got[0], big);
  EXPECT_NE(got[0]->as_ndarray().buffer()->data(), big.as_ndarray().buffer()->data());  // really transferred
  EXPECT_EQ(*got[1], Value(ValueList{Value(1), Value("two")}));
  EXPECT_FALSE(got[2].has_value()) << "a key that does not match the id is not found";
  EXPECT_FALSE(got[3].has_value());
  EXPECT_TRUE(client.fetch(server.address(), {}, 5s).empty());
}

TEST(DataPlane, PushesValuesToTheServer) {
  MapDataProvider store;
  DataServer server(store);
  DataClient client;
  client.push(server.address(), {{7, "a", float_array(5000, 2.0)}, {8, "b", Value("text")}}, 5s);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.find(7, "a"), float_array(5000, 2.0));
  EXPECT_EQ(store.find(8, "b"), Value("text"));
}

TEST(DataPlane, StoreErrorsReachThePusher) {
  struct Refusing : MapDataProvider {
    void store(std::uint64_t, std::string, Value) override { throw ValueError("worker memory is full"); }
  } store;
  DataServer server(store);
  DataClient client;
  auto msg = error_of_type<Error>([&] { client.push(server.address(), {{1, "k", Value(1)}}, 5s); });
  EXPECT_NE(msg.find("refused 'k': cannot store 'k': worker memory is full"), std::string::npos) << msg;
}

TEST(DataPlane, UnsendableValueIsAnErrorNamingTheKey) {
  MapDataProvider store;
  store.store(1, "bad", Value(NDArray()));
  DataServer server(store);
  DataClient client;
  auto msg = error_of_type<Error>([&] { client.fetch(server.address(), {{1, "bad"}}, 5s); });
  EXPECT_NE(msg.find("could not send 'bad'"), std::string::npos) << msg;
}

TEST(DataPlane, ConnectionsArePooledAndReused) {
  MapDataProvider store;
  store.store(1, "a", Value(1));
  DataServer server(store);
  DataClient client;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(*client.fetch(server.address(), {{1, "a"}}, 5s)[0], Value(1));
  EXPECT_EQ(client.idle_connections(server.address()), 1u);
  EXPECT_EQ(server.connections(), 1u);
}

TEST(DataPlane, APooledConnectionClosedByTheServerIsReplaced) {
  MapDataProvider store;
  store.store(1, "a", Value(1));
  auto server = std::make_unique<DataServer>(store);
  auto port = server->address().port;
  DataClient client;
  EXPECT_EQ(*client.fetch(server->address(), {{1, "a"}}, 5s)[0], Value(1));
  server.reset();  // closes the pooled connection's other end
  DataServer again(store, {.port = port});
  EXPECT_EQ(*client.fetch(again.address(), {{1, "a"}}, 5s)[0], Value(1));
}

TEST(DataPlane, ManyConcurrentTransfersAllComplete) {
  MapDataProvider store;
  for (std::uint64_t i = 0; i < 16; ++i) store.store(i, "k" + std::to_string(i), float_array(20000, double(i)));
  DataServer server(store);
  DataClient client({.io_threads = 2});
  std::vector<std::future<FetchResult>> results;
  for (std::uint64_t i = 0; i < 16; ++i)
    results.push_back(std::async(std::launch::async, [&, i] {
      return client.fetch(server.address(), {{i, "k" + std::to_string(i)}}, 10s);
    }));
  for (std::uint64_t i = 0; i < 16; ++i) EXPECT_EQ(*results[i].get()[0], float_array(20000, double(i)));
}

TEST(DataPlane, ASlowTransferDoesNotBlockAnother) {
  struct Slow : MapDataProvider {
    std::optional<Value> find(std::uint64_t id, std::string_view key) override {
      if (id == 1) std::this_thread::sleep_for(1500ms);
      return MapDataProvider::find(id, key);
    }
  } store;
  store.store(1, "slow", Value(1));
  store.store(2, "fast", Value(2));
  DataServer server(store);
  DataClient client;
  std::promise<double> slow_done;
  auto t0 = Clock::now();
  client.fetch_async(server.address(), {{1, "slow"}}, 10s,
                     [&](std::exception_ptr, FetchResult) { slow_done.set_value(seconds_since(t0)); });
  std::this_thread::sleep_for(100ms);  // the slow request is being served
  auto fast = client.fetch(server.address(), {{2, "fast"}}, 10s);
  double fast_s = seconds_since(t0);
  EXPECT_EQ(*fast[0], Value(2));
  double slow_s = slow_done.get_future().get();
  EXPECT_GE(slow_s, 1.5);
  EXPECT_LT(fast_s, slow_s) << "the fast fetch waited for the slow one";
}

TEST(DataPlane, ASilentPeerTimesOut) {
  FakePeer silent([](tcp::socket& s) {
    char c;
    boost::asio::read(s, boost::asio::buffer(&c, 1));  // the hello's first byte, then nothing
    std::string rest(1024, '\0');
    boost::system::error_code ec;
    while (!ec) s.read_some(boost::asio::buffer(rest), ec);  // until the client gives up
  });
  DataClient client;
  auto t0 = Clock::now();
  auto msg = error_of_type<TimeoutError>([&] { client.fetch(silent.address(), {{1, "k"}}, 300ms); });
  EXPECT_NE(msg.find("fetching 1 value ('k') from " + silent.address().str() + ": no answer within 300 ms"),
            std::string::npos)
      << msg;
  EXPECT_LT(seconds_since(t0), 2.0);
}

TEST(DataPlane, APeerThatDiesFailsPromptly) {
  FakePeer dying([](tcp::socket& s) {
    testing::read_frame_bytes(s);  // hello
    testing::write_bytes(s, encode_frame(FrameKind::welcome, 0, 0, 0, "", ""));
    testing::read_frame_bytes(s);  // the request; then the process "dies"
  });
  DataClient client;
  auto t0 = Clock::now();
  auto msg = error_of_type<Error>([&] { client.fetch(dying.address(), {{1, "k"}, {2, "j"}}, 10s); });
  EXPECT_NE(msg.find("closed the connection (the peer died or dropped it) while fetching 2 values ('k', 'j')"),
            std::string::npos)
      << msg;
  EXPECT_LT(seconds_since(t0), 2.0);
}

TEST(DataPlane, ConnectionRefusedIsAnError) {
  Address nobody{"127.0.0.1", free_loopback_port()};
  DataClient client;
  auto msg = error_of_type<Error>([&] { client.fetch(nobody, {{1, "k"}}, 5s); });
  EXPECT_NE(msg.find("cannot connect to " + nobody.str()), std::string::npos) << msg;
}

TEST(DataPlane, ACorruptValueIsAChecksumErrorNamingTheKey) {
  // Small bodies are checked in one pass, large ones piece by piece as they arrive.
  for (std::size_t size : {std::size_t{12}, std::size_t{3} << 20}) {
    FakePeer liar([size](tcp::socket& s) {
      testing::read_frame_bytes(s);
      testing::write_bytes(s, encode_frame(FrameKind::welcome, 0, 0, 0, "", ""));
      auto request = decode_frame(as_bytes(testing::read_frame_bytes(s)));
      auto frame = encode_frame(FrameKind::value, request.header.request_id, 0, 5, "('y', 2)", std::string(size, 'p'));
      frame[frame.size() - size / 2] ^= 0x20;  // one flipped bit in transit
      testing::write_bytes(s, frame);
      char c;
      boost::system::error_code ec;
      s.read_some(boost::asio::buffer(&c, 1), ec);
    });
    DataClient client;
    auto msg = error_of_type<FrameError>([&] { client.fetch(liar.address(), {{5, "('y', 2)"}}, 5s); });
    EXPECT_NE(msg.find("checksum mismatch in the value frame of key '('y', 2)'"), std::string::npos)
        << size << " bytes: " << msg;
  }
}

TEST(DataPlane, AnAnswerForAnotherItemIsAProtocolError) {
  FakePeer confused([](tcp::socket& s) {
    testing::read_frame_bytes(s);
    testing::write_bytes(s, encode_frame(FrameKind::welcome, 0, 0, 0, "", ""));
    auto request = decode_frame(as_bytes(testing::read_frame_bytes(s)));
    testing::write_bytes(s, encode_frame(FrameKind::not_found, request.header.request_id, 0, 99, "other", ""));
    char c;
    boost::system::error_code ec;
    s.read_some(boost::asio::buffer(&c, 1), ec);
  });
  DataClient client;
  auto msg = error_of_type<Error>([&] { client.fetch(confused.address(), {{5, "k"}}, 5s); });
  EXPECT_NE(msg.find("protocol error from " + confused.address().str() +
                     ": item 0 came back as task 99 'other', asked for task 5 'k'"),
            std::string::npos)
      << msg;
}

TEST(DataPlane, GarbageIsDroppedAndTheServerGoesOn) {
  MapDataProvider store;
  store.store(1, "a", Value(1));
  DataServer server(store);
  boost::asio::io_context io;
  for (std::string garbage : {std::string(56, 'x'), std::string("GET / HTTP/1.1\r\n\r\n") + std::string(40, ' '),
                              encode_frame(FrameKind::request, 1, 0, 0, "", "no hello first")}) {
    tcp::socket s(io);
    s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server.address().port));
    testing::write_bytes(s, garbage);
    char c;
    boost::system::error_code ec;
    s.read_some(boost::asio::buffer(&c, 1), ec);
    EXPECT_EQ(ec, boost::asio::error::eof) << "the server should close a connection that sent garbage";
  }
  DataClient client;
  EXPECT_EQ(*client.fetch(server.address(), {{1, "a"}}, 5s)[0], Value(1));
}

TEST(DataPlane, OversizedFramesAreRefused) {
  MapDataProvider store;
  DataServer server(store, {.limits = {1024}});
  DataClient client;
  auto msg = error_of_type<Error>([&] { client.push(server.address(), {{1, "big", float_array(1000)}}, 5s); });
  EXPECT_NE(msg.find("closed the connection"), std::string::npos) << msg;
  EXPECT_EQ(store.size(), 0u);
  client.push(server.address(), {{2, "small", Value(2)}}, 5s);
  EXPECT_EQ(store.size(), 1u);
}

TEST(DataPlane, AuthTokenIsRequiredWhenTheServerHasOne) {
  MapDataProvider store;
  store.store(1, "a", Value(1));
  DataServer server(store, {.auth_token = "s3cret"});
  DataClient good({.auth_token = "s3cret"});
  EXPECT_EQ(*good.fetch(server.address(), {{1, "a"}}, 5s)[0], Value(1));
  for (std::string token : {"", "s3creT", "s3cret-and-more"}) {
    DataClient bad({.auth_token = token});
    auto msg = error_of_type<Error>([&] { bad.fetch(server.address(), {{1, "a"}}, 5s); });
    EXPECT_NE(msg.find("refused the connection: authentication failed"), std::string::npos) << msg;
  }
}

TEST(DataPlane, ShuttingDownTheClientFailsItsTransfers) {
  FakePeer silent([](tcp::socket& s) {
    std::string rest(1024, '\0');
    boost::system::error_code ec;
    while (!ec) s.read_some(boost::asio::buffer(rest), ec);
  });
  std::promise<std::string> outcome;
  {
    DataClient client;
    client.fetch_async(silent.address(), {{1, "k"}}, 60s, [&](std::exception_ptr e, FetchResult) {
      outcome.set_value(e ? error_of([&] { std::rethrow_exception(e); }) : "(no error)");
    });
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(outcome.get_future().get(), "data client shut down");
}

}  // namespace
}  // namespace tessera::net

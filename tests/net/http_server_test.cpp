// HttpServer on loopback: routing, limits and malformed requests, over a
// plain socket client (tests/support/http_client.hpp).
#include "net/http_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "runtime/util/error.hpp"
#include "tests/support/http_client.hpp"

namespace tessera::net {
namespace {

using testing::http_get;
using testing::http_raw;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server.route("GET", "/", [](const HttpRequest&) { return HttpResponse::text(200, "root"); });
    server.route("GET", "/hello", [](const HttpRequest&) { return HttpResponse::text(200, "hello\n"); });
    server.route("GET", "/echo/", [](const HttpRequest& r) {
      return HttpResponse::json("{\"path\":\"" + r.path + "\",\"q\":\"" + r.query_param("q").value_or("-") + "\"}");
    });
    server.route("GET", "/echo/deeper/", [](const HttpRequest&) { return HttpResponse::text(200, "deeper"); });
    server.route("POST", "/body", [](const HttpRequest& r) { return HttpResponse::text(200, r.body); });
    server.route("GET", "/throws", [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
    server.start();
  }
  HttpServer server{HttpServerOptions{.max_target = 1024, .max_header = 4096, .max_body = 1000}};
};

TEST_F(HttpServerTest, RoutesExactPathsAndPrefixes) {
  auto r = http_get(server.port(), "/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello\n");
  EXPECT_EQ(r.headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_EQ(http_get(server.port(), "/hello/more").status, 404);  // exact route
  EXPECT_EQ(http_get(server.port(), "/").body, "root");
  EXPECT_EQ(http_get(server.port(), "/other").status, 404);       // "/" is exact too
  r = http_get(server.port(), "/echo/inc%2D1?q=a+b%21");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"path":"/echo/inc-1","q":"a b!"})");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(http_get(server.port(), "/echo/deeper/x").body, "deeper");  // the longest prefix wins
}

TEST_F(HttpServerTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(http_get(server.port(), "/nothing").status, 404);
  auto r = http_raw(server.port(), "DELETE /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.status, 405);
}

TEST_F(HttpServerTest, ThrowingHandlerGives500AndServerLivesOn) {
  auto r = http_get(server.port(), "/throws");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("boom"), std::string::npos);
  EXPECT_EQ(http_get(server.port(), "/hello").status, 200);
}

TEST_F(HttpServerTest, LongUrlIs414WithinAndBeyondTheHeaderLimit) {
  EXPECT_EQ(http_get(server.port(), "/echo/" + std::string(2000, 'a')).status, 414);
  // Longer than the whole header limit: Beast stops parsing; still 414.
  EXPECT_EQ(http_get(server.port(), "/echo/" + std::string(100000, 'a')).status, 414);
  EXPECT_EQ(http_get(server.port(), "/hello").status, 200);
}

TEST_F(HttpServerTest, LargeHeadersAre431AndLargeBodiesAre413) {
  auto big_header = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(10000, 'b') + "\r\n\r\n";
  EXPECT_EQ(http_raw(server.port(), big_header).status, 431);
  auto big_body = "POST /body HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x');
  EXPECT_EQ(http_raw(server.port(), big_body).status, 413);
  auto small_body = std::string("POST /body HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(http_raw(server.port(), small_body).body, "abc");
}

TEST_F(HttpServerTest, MalformedRequestsAre400OrClosedNeverACrash) {
  for (const std::string& junk : std::vector<std::string>{"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                           "GET http://x/hello HTTP/1.1\r\nHost: x\r\n\r\n",
                           "GET /hello HTTP/1.1\r\nContent-Length: -4\r\n\r\n", std::string("\0\1\2\3\r\n\r\n", 8)}) {
    auto r = http_raw(server.port(), junk, std::chrono::seconds(5));
    EXPECT_TRUE(r.status == 400 || r.status == 404 || r.status == 0) << "status " << r.status << " for " << junk;
  }
  // A client that connects and sends half a request, then goes away.
  http_raw(server.port(), "GET /hel", std::chrono::milliseconds(100));
  EXPECT_EQ(http_get(server.port(), "/hello").status, 200);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto two = std::string("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n") +
             "GET /echo/z HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto r = http_raw(server.port(), two);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("/echo/z"), std::string::npos) << r.body;  // the second answer follows the first
}

TEST_F(HttpServerTest, ConcurrentClients) {
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&] {
      for (int j = 0; j < 20; ++j) ok += http_get(server.port(), "/hello").status == 200;
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 160);
}

TEST(HttpServer, PortInUseIsAClearError) {
  HttpServer first;
  first.start();
  HttpServer second{HttpServerOptions{.port = first.port()}};
  try {
    second.start();
    FAIL() << "a second server bound the same port";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on http://127.0.0.1:" + std::to_string(first.port())),
              std::string::npos)
        << e.what();
  }
}

TEST(HttpServer, StopsWithOpenIdleConnections) {
  HttpServer server;
  server.route("GET", "/", [](const HttpRequest&) { return HttpResponse::text(200, "x"); });
  server.start();
  // A kept-alive connection, idle after its answer: stop() closes it.
  std::chrono::steady_clock::duration client_waited{};
  std::thread idle([&, port = server.port()] {
    auto t0 = std::chrono::steady_clock::now();
    http_raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(10));
    client_waited = std::chrono::steady_clock::now() - t0;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t0 = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  idle.join();
  EXPECT_LT(client_waited, std::chrono::seconds(5)) << "the idle connection was not closed";
  EXPECT_THROW(server.start(), Error);
}

}  // namespace
}  // namespace tessera::net

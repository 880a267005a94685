// The data plane over TLS: certificates made by the openssl command in this
// test's private temp dir; a TLS round trip (fetch and push of a >1 MiB
// array), and clean refusals of a plain client, of a certificate signed by
// another CA and of missing files.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "net/data_client.hpp"
#include "net/data_server.hpp"
#include "runtime/value/buffer.hpp"
#include "runtime/value/ndarray.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/tls_certs.hpp"

namespace tessera::net {
namespace {

using namespace std::chrono_literals;
using tessera::testing::error_of;
using tessera::testing::make_tls_certs;

Value float_array(std::size_t n, double scale = 1.0) {
  auto buf = make_buffer(n * sizeof(double));
  auto d = buf->mutable_as<double>();
  for (std::size_t i = 0; i < n; ++i) d[i] = scale * static_cast<double>(i);
  return Value(NDArray(DType::float64, {static_cast<std::int64_t>(n)}, std::move(buf)));
}

TEST(TlsDataPlane, FetchAndPushOverTls) {
  auto certs = make_tls_certs("cluster");
  MapDataProvider store;
  auto big = float_array(300'000);  // 2.4 MB: several TLS records
  store.store(1, "('x', 0)", big);
  store.store(2, "small", Value("two"));
  DataServer server(store, {.tls = certs.options()});
  DataClient client({.tls = certs.options()});
  auto got = client.fetch(server.address(), {{1, "('x', 0)"}, {2, "small"}, {3, "missing"}}, 10s);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], big);
  EXPECT_EQ(got[1], Value("two"));
  EXPECT_FALSE(got[2].has_value());
  // The pooled TLS connection is reused for the next transfer.
  EXPECT_EQ(client.idle_connections(server.address()), 1u);
  client.push(server.address(), {{7, "pushed", float_array(200'000, 2.0)}}, 10s);
  EXPECT_EQ(store.find(7, "pushed"), float_array(200'000, 2.0));
  EXPECT_EQ(client.idle_connections(server.address()), 1u);
}

TEST(TlsDataPlane, PlainClientIsRefusedByATlsServer) {
  auto certs = make_tls_certs("cluster");
  MapDataProvider store;
  store.store(1, "a", Value(1));
  DataServer server(store, {.tls = certs.options()});
  DataClient plain;
  auto msg = error_of([&] { plain.fetch(server.address(), {{1, "a"}}, 10s); });
  EXPECT_NE(msg.find("closed the connection"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--tls-cert"), std::string::npos) << msg;
  // The server goes on serving TLS clients.
  DataClient good({.tls = certs.options()});
  EXPECT_EQ(good.fetch(server.address(), {{1, "a"}}, 10s)[0], Value(1));
}

TEST(TlsDataPlane, TlsClientAgainstAPlainServerFailsCleanly) {
  auto certs = make_tls_certs("cluster");
  MapDataProvider store;
  DataServer server(store);
  DataClient client({.tls = certs.options()});
  auto msg = error_of([&] { client.fetch(server.address(), {{1, "a"}}, 10s); });
  EXPECT_NE(msg.find("TLS handshake with " + server.address().str()), std::string::npos) << msg;
}

TEST(TlsDataPlane, CertificateFromAnotherCaIsRefusedBothWays) {
  auto certs = make_tls_certs("cluster");
  auto rogue = make_tls_certs("rogue");
  MapDataProvider store;
  store.store(1, "a", Value(1));
  DataServer server(store, {.tls = certs.options()});
  {
    // A client whose certificate and CA are another cluster's: it does not trust the server.
    DataClient client({.tls = rogue.options()});
    auto msg = error_of([&] { client.fetch(server.address(), {{1, "a"}}, 10s); });
    EXPECT_NE(msg.find("TLS handshake"), std::string::npos) << msg;
    EXPECT_NE(msg.find("certificate verify failed"), std::string::npos) << msg;
  }
  {
    // A client that trusts the server's CA but presents a certificate the server's CA did not sign.
    DataClient client({.tls = {rogue.cert, rogue.key, certs.ca}});
    auto msg = error_of([&] { client.fetch(server.address(), {{1, "a"}}, 10s); });
    EXPECT_NE(msg, "(no exception)");
  }
  DataClient good({.tls = certs.options()});
  EXPECT_EQ(good.fetch(server.address(), {{1, "a"}}, 10s)[0], Value(1));
  EXPECT_EQ(server.connections(), 1u);
}

TEST(TlsDataPlane, MissingOrBadFilesAreNamed) {
  auto certs = make_tls_certs("cluster");
  MapDataProvider store;
  auto missing = error_of([&] { DataServer s(store, {.tls = {certs.cert, "/nonexistent/node.key", certs.ca}}); });
  EXPECT_NE(missing.find("--tls-key file '/nonexistent/node.key' cannot be read"), std::string::npos) << missing;
  auto partial = error_of([&] { DataClient c({.tls = {certs.cert, certs.key, ""}}); });
  EXPECT_NE(partial.find("--tls-ca is missing"), std::string::npos) << partial;
  auto garbage = tessera::testing::write_file("not-a-cert.pem", "hello\n");
  auto bad = error_of([&] { DataClient c({.tls = {garbage, certs.key, certs.ca}}); });
  EXPECT_NE(bad.find("--tls-cert file '" + garbage + "' is not usable"), std::string::npos) << bad;
  auto other = make_tls_certs("rogue");
  auto mismatch = error_of([&] { DataClient c({.tls = {certs.cert, other.key, certs.ca}}); });
  EXPECT_NE(mismatch.find("--tls-key file '" + other.key + "' is not usable"), std::string::npos) << mismatch;
}

}  // namespace
}  // namespace tessera::net

// A cluster of real processes with TLS on both planes: scheduler, 2 workers
// and the client all given a certificate made by openssl in this test, a
// graph whose >1 MiB values move between workers and to the client over TLS
// data streams; a client without TLS, or with another CA's certificate, is refused.
#include <gtest/gtest.h>

#include <thread>

#include "actors/tessera.hpp"
#include "tests/actors/arrays_held_apart.hpp"
#include "tests/plugins/dist_functions.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/process_cluster.hpp"
#include "tests/support/tls_certs.hpp"

using namespace tessera;
using namespace std::chrono_literals;
using tessera::testing::error_of;
using tessera::testing::make_tls_certs;
using tessera::testing::ProcessCluster;

namespace dist = tessera::testing;

namespace {

std::vector<std::string> tls_args(const tessera::testing::TlsCerts& c) {
  return {"--tls-cert", c.cert, "--tls-key", c.key, "--tls-ca", c.ca};
}

std::string tls_address(const std::string& tcp) { return "tls://" + tcp.substr(std::string("tcp://").size()); }

}  // namespace

// A refused peer (plain, or another CA's certificate) must not close the
// others: CAF 0.17's openssl sessions left the refusal in OpenSSL's error
// queue, and every TLS connection of the scheduler then dropped
// (actors/cluster/openssl_error_queue.hpp). The client computes after both refusals.
TEST(TlsCluster, ComputesWithBigValuesAndRefusesPlainClients) {
  auto certs = make_tls_certs("cluster");
  ProcessCluster cluster(ProcessCluster::Options{2, 1, tls_args(certs), tls_args(certs)});
  ClientOptions options;
  options.tls = certs.options();
  Client client{tls_address(cluster.address()), options};
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (client.scheduler_info().workers.size() != 2) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "workers did not join over TLS\n" << cluster.log();
    std::this_thread::sleep_for(20ms);
  }
  dist::dot_of_arrays_held_apart(client);  // one array moves over TLS
  // A plain client is refused (no crash anywhere); a tls:// address without files is an error.
  auto plain = error_of([&] { Client c{cluster.address(), ClientOptions{.timeout = 3s}}; });
  EXPECT_NE(plain.find("cannot connect to the scheduler"), std::string::npos) << plain;
  auto no_files = error_of([&] { Client c{tls_address(cluster.address())}; });
  EXPECT_NE(no_files.find("asks for TLS"), std::string::npos) << no_files;
  // A client whose certificate another CA signed is refused too.
  auto rogue = make_tls_certs("rogue");
  ClientOptions rogue_options;
  rogue_options.tls = rogue.options();
  rogue_options.timeout = 3s;
  auto refused = error_of([&] { Client c{tls_address(cluster.address()), rogue_options}; });
  EXPECT_NE(refused.find("cannot connect to the scheduler"), std::string::npos) << refused;
  // The cluster still works, with the same workers (none lost and rejoined).
  EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{41}).result(60s), 42);
  dist::dot_of_arrays_held_apart(client);
  EXPECT_EQ(cluster.log().find("lost worker"), std::string::npos) << cluster.log();
  EXPECT_TRUE(cluster.scheduler().running()) << cluster.log();
}

TEST(TlsCluster, ClientJoinsATlsScheduler) {
  auto certs = make_tls_certs("cluster");
  ProcessCluster cluster(ProcessCluster::Options{0, 1, tls_args(certs), tls_args(certs)});
  ClientOptions options;
  options.tls = certs.options();
  Client client{tls_address(cluster.address()), options};
  EXPECT_EQ(client.scheduler_info().workers.size(), 0u);
  std::this_thread::sleep_for(1500ms);  // heartbeats go on over TLS
  EXPECT_EQ(client.scheduler_info().workers.size(), 0u);
  auto no_files = error_of([&] { Client c{tls_address(cluster.address())}; });
  EXPECT_NE(no_files.find("asks for TLS"), std::string::npos) << no_files;
  EXPECT_TRUE(cluster.scheduler().running()) << cluster.log();
  // A plain Client against the TLS scheduler: CAF 0.17 waits for the server's
  // BASP handshake while the TLS server waits for a ClientHello
  // (zeek/zeek#837); the client's connect timeout ends the wait.
  auto start = std::chrono::steady_clock::now();
  auto plain = error_of([&] { Client c{cluster.address(), ClientOptions{.timeout = 3s}}; });
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(plain.find("cannot connect to the scheduler"), std::string::npos) << plain;
  EXPECT_LT(took, 10.0);
  EXPECT_TRUE(cluster.scheduler().running()) << cluster.log();
  // The refusal did not close the TLS client's connection.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(client.scheduler_info().workers.size(), 0u);
}

#pragma once
// Test helper: a throw-away certificate authority and node certificates made
// by the `openssl` command in this test process's private temp directory.
// If openssl is missing the test fails (cmake/deps.sh installs it), never skips.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "net/tls_context.hpp"
#include "tests/support/temp_files.hpp"

namespace tessera::testing {

/// A CA and one node certificate it signed, under `name` (made once per process).
struct TlsCerts {
  std::string dir, ca, cert, key;

  /// The node's TlsOptions (the same certificate serves every node of a test cluster).
  net::TlsOptions options() const { return {cert, key, ca}; }
};

namespace detail {
inline void run_openssl(const std::string& args, const std::string& dir) {
  std::string cmd = "cd '" + dir + "' && openssl " + args + " >>openssl.log 2>&1";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("cannot make test certificates: `openssl " + args + "` failed in " + dir +
                             " (is the openssl command installed? cmake/deps.sh installs it)");
}
}  // namespace detail

/// Makes (once per `name`) a CA "<name>-ca" and a certificate for 127.0.0.1 signed by it.
inline TlsCerts make_tls_certs(const std::string& name) {
  TlsCerts c;
  c.dir = temp_path("tls-" + name);
  c.ca = c.dir + "/ca.pem";
  c.cert = c.dir + "/node.pem";
  c.key = c.dir + "/node.key";
  if (std::filesystem::exists(c.cert)) return c;
  std::filesystem::create_directories(c.dir);
  const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  detail::run_openssl("req -x509 " + ec + "-keyout ca.key -out ca.pem -days 2 -subj /CN=" + name + "-ca", c.dir);
  detail::run_openssl("req " + ec + "-keyout node.key -out node.csr -subj /CN=127.0.0.1", c.dir);
  detail::run_openssl("x509 -req -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out node.pem -days 2",
                      c.dir);
  return c;
}

}  // namespace tessera::testing

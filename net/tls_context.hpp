#pragma once
// TLS for the data plane: the certificate, key and CA files a node is given
// (`--tls-cert/--tls-key/--tls-ca`), and the Boost.Asio ssl::context made
// from them. Both sides present a certificate signed by the cluster's CA and
// verify the other's against it (mutual TLS, as Dask's `tls://` with a
// Security object); host names are not checked, the CA is the trust root.
#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace tessera::net {

/// Files in PEM format. All empty: TLS off (plain TCP). Thread-safety: a value.
struct TlsOptions {
  std::string cert;  // this node's certificate (chain)
  std::string key;   // its private key
  std::string ca;    // the CA that signs every node's certificate

  /// True when any file is given (then all three must be).
  bool enabled() const noexcept { return !cert.empty() || !key.empty() || !ca.empty(); }
};

enum class TlsRole { server, client };

/// An ssl::context for `role`: TLS 1.2 or newer, this node's certificate and
/// key, peers verified against the CA (a server requires a client
/// certificate). Throws tessera::Error naming the option and the file when one
/// is missing, unreadable or invalid, or the key does not match the certificate.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsOptions& options, TlsRole role);

/// Dask-style addresses: "tls://HOST:PORT" names a node that speaks TLS. Returns
/// the same address as "tcp://HOST:PORT" (the transport under TLS); throws
/// ValueError when a tls:// address comes without TLS files. A "tcp://"
/// address is returned as it is (with `options` given, TLS is used all the same).
std::string tcp_address_of(const std::string& address, const TlsOptions& options);

/// Throws tessera::Error unless all three files are given and readable (a
/// quick check for command lines, before any socket is opened).
void check_tls_files(const TlsOptions& options);

}  // namespace tessera::net

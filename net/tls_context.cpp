#include "net/tls_context.hpp"

#include <boost/asio/ssl/context.hpp>
#include <openssl/err.h>

#include <fstream>

#include "runtime/util/error.hpp"

namespace tessera::net {
namespace {

namespace ssl = boost::asio::ssl;

void check_file(const std::string& path, const char* option) {
  if (path.empty())
    throw Error(std::string("TLS needs --tls-cert, --tls-key and --tls-ca together: ") + option + " is missing");
  std::ifstream in(path);
  if (!in)
    throw Error(std::string("TLS ") + option + " file '" + path + "' cannot be read (missing or no permission)");
}

/// Runs one context setup step; a failure names the option, the file and OpenSSL's reason.
template <class Step>
void step(const std::string& path, const char* option, Step&& f) {
  boost::system::error_code ec;
  f(ec);
  if (ec) {
    ERR_clear_error();
    throw Error(std::string("TLS ") + option + " file '" + path + "' is not usable: " + ec.message());
  }
}

}  // namespace

std::string tcp_address_of(const std::string& address, const TlsOptions& options) {
  constexpr std::string_view tls = "tls://";
  if (address.compare(0, tls.size(), tls) != 0) return address;
  if (!options.enabled())
    throw ValueError("address '" + address + "' asks for TLS: give the certificate, key and CA " +
                     "(ClientOptions::tls, or --tls-cert/--tls-key/--tls-ca)");
  return "tcp://" + address.substr(tls.size());
}

void check_tls_files(const TlsOptions& options) {
  check_file(options.cert, "--tls-cert");
  check_file(options.key, "--tls-key");
  check_file(options.ca, "--tls-ca");
}

std::shared_ptr<ssl::context> make_tls_context(const TlsOptions& options, TlsRole role) {
  check_tls_files(options);
  auto ctx = std::make_shared<ssl::context>(role == TlsRole::server ? ssl::context::tls_server
                                                                    : ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  step(options.cert, "--tls-cert", [&](auto& ec) { ctx->use_certificate_chain_file(options.cert, ec); });
  step(options.key, "--tls-key", [&](auto& ec) { ctx->use_private_key_file(options.key, ssl::context::pem, ec); });
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    ERR_clear_error();
    throw Error("TLS --tls-key file '" + options.key + "' does not match the certificate in '" + options.cert + "'");
  }
  step(options.ca, "--tls-ca", [&](auto& ec) { ctx->load_verify_file(options.ca, ec); });
  ctx->set_verify_mode(role == TlsRole::server ? ssl::verify_peer | ssl::verify_fail_if_no_peer_cert
                                               : ssl::verify_peer);
  return ctx;
}

}  // namespace tessera::net

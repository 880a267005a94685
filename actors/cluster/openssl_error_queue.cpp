#include "actors/cluster/openssl_error_queue.hpp"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <cstdlib>

namespace {

/// libssl's definition of `name`: the next one after this executable's.
template <class Fn>
Fn next_definition(const char* name) {
  void* fn = dlsym(RTLD_NEXT, name);
  if (fn == nullptr) {
    std::fprintf(stderr, "tessera: cannot find OpenSSL's %s (%s)\n", name, dlerror());
    std::abort();
  }
  return reinterpret_cast<Fn>(fn);
}

}  // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static const auto real = next_definition<int (*)(SSL*, void*, int)>("SSL_read");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static const auto real = next_definition<int (*)(SSL*, const void*, int)>("SSL_write");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_accept(SSL* ssl) {
  static const auto real = next_definition<int (*)(SSL*)>("SSL_accept");
  ERR_clear_error();
  return real(ssl);
}

int SSL_connect(SSL* ssl) {
  static const auto real = next_definition<int (*)(SSL*)>("SSL_connect");
  ERR_clear_error();
  return real(ssl);
}

}  // extern "C"

namespace tessera::actors {

bool openssl_error_queue_guarded() {
  using read_fn = int (*)(SSL*, void*, int);
  return reinterpret_cast<read_fn>(dlsym(RTLD_DEFAULT, "SSL_read")) == &::SSL_read;
}

}  // namespace tessera::actors

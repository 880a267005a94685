#pragma once
// A workaround for CAF 0.17's openssl module, which never clears OpenSSL's
// per-thread error queue before an I/O call. One refused handshake (a plain
// client, a certificate from another CA) leaves an error in the queue of the
// middleman's thread; from then on SSL_get_error reports SSL_ERROR_SSL for
// every would-block read or write on that thread, and CAF closes each healthy
// TLS connection of the process as it next waits for data.
//
// This file's object defines SSL_read, SSL_write, SSL_accept and SSL_connect:
// each clears the calling thread's queue (as OpenSSL's documentation asks of
// callers) and calls libssl's function. Linked into the executable, they come
// first in the dynamic symbol lookup, so libcaf_openssl's calls go through them.

namespace tessera::actors {

/// True when libcaf_openssl's SSL_read resolves to the clearing wrapper, i.e.
/// the workaround is active in this process (it is not when Tessera's static
/// libraries are linked into a shared object that the executable loads).
bool openssl_error_queue_guarded();

}  // namespace tessera::actors

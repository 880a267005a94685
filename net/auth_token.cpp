#include "net/auth_token.hpp"

#include <algorithm>
#include <cstdlib>

namespace tessera::net {

bool tokens_equal(std::string_view a, std::string_view b) noexcept {
  // Walk the longer one whole so that the time does not tell where they differ.
  std::size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  for (std::size_t i = 0; i < n; ++i) {
    auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0u;
    auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0u;
    diff |= x ^ y;
  }
  return diff == 0;
}

std::string auth_token_or_env(const std::string& explicit_token) {
  if (!explicit_token.empty()) return explicit_token;
  const char* env = std::getenv("TESSERA_AUTH_TOKEN");
  return env ? std::string(env) : std::string();
}

}  // namespace tessera::net

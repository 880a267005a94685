#include "actors/util/auth.hpp"

#include <cstdlib>

namespace tessera::actors {

bool secrets_equal(std::string_view a, std::string_view b) noexcept {
  // Every byte of the longer string is looked at whatever the contents.
  std::size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::string auth_token_or_env(const std::string& explicit_token) {
  if (!explicit_token.empty()) return explicit_token;
  const char* env = std::getenv("TESSERA_AUTH_TOKEN");
  return env ? std::string(env) : std::string();
}

}  // namespace tessera::actors

#pragma once
// The cluster secret (--auth-token / TESSERA_AUTH_TOKEN): compared in time
// independent of where the strings differ, so a peer cannot guess it byte by byte.
#include <string>
#include <string_view>

namespace tessera::actors {

bool secrets_equal(std::string_view a, std::string_view b) noexcept;

/// `explicit_token` when not empty, else $TESSERA_AUTH_TOKEN, else "".
std::string auth_token_or_env(const std::string& explicit_token);

}  // namespace tessera::actors

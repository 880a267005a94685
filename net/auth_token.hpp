#pragma once
// The cluster secret (--auth-token / TESSERA_AUTH_TOKEN), shared by the
// control plane (actors) and the data plane (DataServer/DataClient).
#include <string>
#include <string_view>

namespace tessera::net {

/// Compares two secrets in time that depends on their lengths only.
bool tokens_equal(std::string_view a, std::string_view b) noexcept;

/// `explicit_token` when not empty, else $TESSERA_AUTH_TOKEN, else "".
std::string auth_token_or_env(const std::string& explicit_token);

}  // namespace tessera::net

#include "actors/protocol/protocol_error.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/make_message.hpp>

namespace tessera::actors {
namespace {
constexpr caf::atom_value category = caf::atom("tessera");
}

caf::error make_protocol_error(ProtocolError code, std::string message) {
  return caf::error(static_cast<std::uint8_t>(code), category, caf::make_message(std::move(message)));
}

bool is_protocol_error(const caf::error& e, ProtocolError code) noexcept {
  return e && e.category() == category && e.code() == static_cast<std::uint8_t>(code);
}

std::string protocol_error_message(const caf::error& e) {
  if (e && e.context().match_elements<std::string>()) return e.context().get_as<std::string>(0);
  return e ? to_string(e) : std::string("no error");
}

void add_protocol_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(category, [](std::uint8_t, caf::atom_value, const caf::message& ctx) {
    if (ctx.match_elements<std::string>()) return ctx.get_as<std::string>(0);
    return std::string("tessera error");
  });
}

}  // namespace tessera::actors

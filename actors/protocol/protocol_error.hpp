#pragma once
// Tessera's own CAF error category ("tessera"), so a peer can tell our
// refusals apart from CAF's transport errors after they cross the wire.
#include <caf/error.hpp>

#include <cstdint>
#include <string>

namespace tessera::actors {

enum class ProtocolError : std::uint8_t {
  refused = 1,         // wrong or missing cluster secret
  scheduler_lost = 2,  // the connection to the scheduler is gone
  closed = 3,          // the cluster is shutting down
};

caf::error make_protocol_error(ProtocolError code, std::string message);
bool is_protocol_error(const caf::error& e, ProtocolError code) noexcept;
/// The error's message (its context string), or CAF's rendering of it.
std::string protocol_error_message(const caf::error& e);
/// Lets the actor system render the category.
void add_protocol_error_category(caf::actor_system_config& cfg);

}  // namespace tessera::actors

#include "actors/util/default_handlers.hpp"

#include <caf/all.hpp>

#include <iostream>

namespace tessera::actors {

void install_default_handlers(caf::scheduled_actor* self, const char* who) {
  self->set_default_handler([who](caf::scheduled_actor* s, caf::message_view& x) -> caf::result<caf::message> {
    std::cerr << "tessera: " << who << " dropped an unexpected message: "
              << x.content().stringify() << "\n";
    if (s->current_message_id().is_request()) return caf::sec::unexpected_message;
    return caf::delegated<caf::message>{};
  });
  self->set_error_handler([who, self](caf::error& e) {
    std::cerr << "tessera: " << who << " received an error: " << self->system().render(e) << "\n";
  });
}

}  // namespace tessera::actors

#include "actors/fault/fault_channel.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <iostream>

namespace tessera::actors::fault {

void FaultChannel::send_message(caf::event_based_actor* self, const caf::actor& dest, MessageKind kind,
                                caf::message msg) {
  if (!dest) return;
  auto fate = faults_->decide(kind);
  int copies = fate.drop ? 0 : fate.duplicate ? 2 : 1;
  if (audited(kind)) sent_ += static_cast<std::uint64_t>(std::max(copies, 1));
  if (fate.drop) {
    std::cerr << "tessera fault: dropped a " << message_kind_name(kind) << " message" << std::endl;
    return;
  }
  if (!faults_->delays_messages()) {
    for (int i = 0; i < copies; ++i) self->send(dest, msg);
    return;
  }
  // Through the clock at non-decreasing times per destination: the clock
  // delivers messages due at the same time in the order they were scheduled.
  auto& last = release_[dest.address()];
  auto at = std::max(self->clock().now() + fate.delay, last);
  last = at;
  for (int i = 0; i < copies; ++i) self->scheduled_send(dest, at, msg);
}

}  // namespace tessera::actors::fault

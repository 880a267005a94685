#pragma once
// DeliveryAudit: the scheduler's half of loss detection (see
// fault_channel.hpp). It counts the audited messages (done, fetched, steal
// replies) received from each worker; a heartbeat says how many the worker
// sent before it, and since messages between two actors arrive in order,
// any difference is a loss.
#include <absl/container/flat_hash_map.h>

#include <cstdint>

#include "actors/protocol/messages.hpp"

namespace tessera::actors::fault {

class DeliveryAudit {
 public:
  /// One audited message arrived from `worker`.
  void received(WorkerId worker) { ++received_[worker]; }
  /// Messages lost on `worker`'s link, given that it sent `sent` audited
  /// messages before the heartbeat being handled (0: none lost).
  std::uint64_t lost(WorkerId worker, std::uint64_t sent) const {
    auto it = received_.find(worker);
    std::uint64_t got = it == received_.end() ? 0 : it->second;
    return sent > got ? sent - got : 0;
  }
  /// The worker left: its count goes (ids are never reused).
  void forget(WorkerId worker) { received_.erase(worker); }

 private:
  absl::flat_hash_map<WorkerId, std::uint64_t> received_;
};

}  // namespace tessera::actors::fault

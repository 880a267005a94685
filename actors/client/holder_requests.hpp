#pragma once
// Asks several workers for data at once (a gather round), from a helper
// actor that monitors each of them. Each ask ends with the worker's answer,
// its error, the worker's death (CAF never fails a request to a dead node by
// itself), the timeout, or the caller giving up on it (the scheduler no
// longer lists that worker as a holder: it hung, or left and was replaced).
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "actors/protocol/messages.hpp"

namespace tessera::actors {

struct HolderAsk {
  caf::actor worker;
  std::vector<TaskId> ids;
};

struct HolderAnswer {
  bool ended = false;
  bool ok = false;
  /// The worker died or was given up on: its data may come back elsewhere.
  bool holder_gone = false;
  DataReply reply;
  std::string error;
};

class HolderRequests {
 public:
  HolderRequests(caf::actor_system& sys, std::vector<HolderAsk> asks, std::chrono::milliseconds timeout);
  ~HolderRequests();
  HolderRequests(const HolderRequests&) = delete;
  HolderRequests& operator=(const HolderRequests&) = delete;

  /// Waits up to `slice` for more answers; true when every ask has ended.
  bool wait_for(std::chrono::milliseconds slice);
  /// True when ask `i` has ended.
  bool ended(std::size_t i) const;
  /// Ends ask `i` unanswered, as if its worker had died.
  void abandon(std::size_t i, const std::string& why);
  /// The answers, in the order of the asks (call once every ask has ended).
  std::vector<HolderAnswer> take();

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
  caf::actor helper_;
};

}  // namespace tessera::actors

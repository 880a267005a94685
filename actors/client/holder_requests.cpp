#include "actors/client/holder_requests.hpp"

#include <caf/all.hpp>

#include <condition_variable>
#include <mutex>

namespace tessera::actors {

struct HolderRequests::Shared {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<HolderAsk> asks;
  std::vector<HolderAnswer> answers;

  /// Ends ask `i` once (later news about it is ignored).
  template <class Fill>
  void end(std::size_t i, Fill fill) {
    {
      std::lock_guard lock(mutex);
      if (answers[i].ended) return;
      answers[i].ended = true;
      fill(answers[i]);
    }
    changed.notify_all();
  }

  void worker_down(const caf::actor_addr& who) {
    for (std::size_t i = 0; i < asks.size(); ++i)
      if (asks[i].worker.address() == who)
        end(i, [](HolderAnswer& a) {
          a.holder_gone = true;
          a.error = "the worker died before answering";
        });
  }
};

namespace {

caf::behavior ask_all(caf::event_based_actor* self, std::shared_ptr<HolderRequests::Shared> shared,
                      std::chrono::milliseconds timeout) {
  self->set_down_handler([shared](caf::down_msg& msg) { shared->worker_down(msg.source); });
  for (std::size_t i = 0; i < shared->asks.size(); ++i) {
    const auto& ask = shared->asks[i];
    self->monitor(ask.worker);
    self->request(ask.worker, timeout, get_data_atom_v, ask.ids)
        .then(
            [shared, i](DataReply& reply) {
              shared->end(i, [&](HolderAnswer& a) {
                a.ok = true;
                a.reply = std::move(reply);
              });
            },
            [self, shared, i](caf::error& e) {
              auto text = self->system().render(e);
              shared->end(i, [&](HolderAnswer& a) { a.error = text; });
            });
  }
  // Lives until the owner is done with it (its exit drops late answers).
  return {[](close_atom) {}};
}

}  // namespace

HolderRequests::HolderRequests(caf::actor_system& sys, std::vector<HolderAsk> asks, std::chrono::milliseconds timeout)
    : shared_(std::make_shared<Shared>()) {
  shared_->answers.resize(asks.size());
  shared_->asks = std::move(asks);
  helper_ = sys.spawn(ask_all, shared_, timeout);
}

HolderRequests::~HolderRequests() { caf::anon_send_exit(helper_, caf::exit_reason::user_shutdown); }

bool HolderRequests::wait_for(std::chrono::milliseconds slice) {
  std::unique_lock lock(shared_->mutex);
  auto all_ended = [&] {
    for (const auto& a : shared_->answers)
      if (!a.ended) return false;
    return true;
  };
  return shared_->changed.wait_for(lock, slice, all_ended);
}

bool HolderRequests::ended(std::size_t i) const {
  std::lock_guard lock(shared_->mutex);
  return shared_->answers[i].ended;
}

void HolderRequests::abandon(std::size_t i, const std::string& why) {
  shared_->end(i, [&](HolderAnswer& a) {
    a.holder_gone = true;
    a.error = why;
  });
}

std::vector<HolderAnswer> HolderRequests::take() {
  std::lock_guard lock(shared_->mutex);
  return std::move(shared_->answers);
}

}  // namespace tessera::actors

#pragma once
// Future<T>: a task's result on the cluster, as Dask's distributed.Future.
// Copies share one reference; when the last copy of the last future for a
// key is dropped, the key is released and its data freed on the workers.
// Thread-safety: a Future may be used from any thread.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "actors/client/client_core.hpp"
#include "collections/delayed/delayed.hpp"
#include "runtime/util/error.hpp"

namespace tessera {

namespace detail {
/// One reference to a key held for a client; releasing it on destruction.
struct FutureRef {
  std::shared_ptr<actors::ClientCore> core;
  Key key;
  FutureRef(std::shared_ptr<actors::ClientCore> c, Key k) : core(std::move(c)), key(std::move(k)) {}
  ~FutureRef() { core->release(key); }
  FutureRef(const FutureRef&) = delete;
  FutureRef& operator=(const FutureRef&) = delete;
};
}  // namespace detail

template <class T = Value>
class Future {
 public:
  using value_type = T;
  Future() = default;
  /// Adopts one reference to `key` that the caller acquired on `core`.
  Future(std::shared_ptr<actors::ClientCore> core, Key key)
      : ref_(std::make_shared<detail::FutureRef>(std::move(core), std::move(key))) {}

  const Key& key() const { return ref().key; }
  /// "pending", "finished", "error", "cancelled" or "lost".
  std::string status() const {
    return std::string(actors::future_status_name(ref().core->status(ref().key)));
  }
  bool done() const { return ref().core->status(ref().key) != actors::FutureStatus::pending; }
  /// Waits and returns the value; throws the task's TaskError, a
  /// CancelledError, or TimeoutError when `timeout` passes first.
  T result(std::optional<std::chrono::duration<double>> timeout = std::nullopt) const {
    const auto& r = ref();
    if (timeout) {
      auto deadline = std::chrono::steady_clock::now() +
                      std::chrono::duration_cast<std::chrono::steady_clock::duration>(*timeout);
      if (!r.core->wait({r.key}, deadline))
        throw TimeoutError("result of " + r.key.str() + " not ready within " +
                           std::to_string(timeout->count()) + " s");
    }
    return from_value<T>(r.core->gather({r.key}).front());
  }
  /// The exception of an erred or cancelled future (waits first); nullptr when it succeeded.
  std::exception_ptr exception() const {
    ref().core->wait({ref().key});
    return ref().core->exception(ref().key);
  }
  /// Cancels the computation behind this future.
  void cancel() const { ref().core->cancel({ref().key}); }
  /// Blocks until the future is done (finished, erred or cancelled).
  void wait() const { ref().core->wait({ref().key}); }

  /// As an argument of submit() or delayed(): a reference to the key, kept
  /// alive while the graph that uses it exists.
  Arg to_graph_arg(GraphArgs& g) const {
    g.keep_alive.push_back(ref_);
    g.token.add(std::string_view(ref().key.str()));
    return Arg(ref().key);
  }
  const std::shared_ptr<actors::ClientCore>& core() const { return ref().core; }

 private:
  const detail::FutureRef& ref() const {
    if (!ref_) throw ValueError("this Future is empty (default-constructed)");
    return *ref_;
  }
  std::shared_ptr<detail::FutureRef> ref_;
};

}  // namespace tessera

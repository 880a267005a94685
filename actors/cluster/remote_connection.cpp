#include "actors/cluster/remote_connection.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include <thread>

#include "net/address.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {

struct RemoteConnection::Impl {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::actor scheduler;
};

RemoteConnection::RemoteConnection(const std::string& address, std::chrono::milliseconds timeout,
                                   NodeConfig node)
    : impl_(std::make_unique<Impl>()) {
  auto addr = net::parse_address(address);
  address_ = addr.str();
  configure_node(impl_->cfg, node);
  impl_->sys = std::make_unique<caf::actor_system>(impl_->cfg);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto delay = std::chrono::milliseconds(50);
  for (;;) {
    auto h = remote_node(*impl_->sys, addr.host, addr.port, node.tls);
    if (h) {
      impl_->scheduler = *h;
      return;
    }
    if (std::chrono::steady_clock::now() + delay > deadline)
      throw Error("cannot connect to the scheduler at " + address_ + ": " + impl_->sys->render(h.error()));
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(1000));
  }
}

RemoteConnection::~RemoteConnection() {
  impl_->scheduler = nullptr;
  impl_->sys.reset();
}

caf::actor_system& RemoteConnection::system() { return *impl_->sys; }
const caf::actor& RemoteConnection::scheduler() const { return impl_->scheduler; }

}  // namespace tessera::actors

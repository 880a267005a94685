#include "actors/cluster/scheduler_node.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "net/address.hpp"
#include "actors/protocol/messages.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {

struct SchedulerNode::Impl {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::actor scheduler;
  SchedulerNodeOptions options;
  bool stopped = false;
};

SchedulerNode::SchedulerNode(SchedulerNodeOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto& o = impl_->options;
  configure_node(impl_->cfg, o.node);
  impl_->sys = std::make_unique<caf::actor_system>(impl_->cfg);
  impl_->scheduler = spawn_scheduler(*impl_->sys, o.scheduler);
  auto port = publish_node(impl_->scheduler, o.port, o.host, o.node.tls);
  if (!port) {
    auto why = impl_->sys->render(port.error());
    caf::anon_send_exit(impl_->scheduler, caf::exit_reason::user_shutdown);
    impl_->stopped = true;
    throw Error("tessera scheduler: cannot listen on " + net::Address{o.host, o.port}.str() + ": " + why);
  }
  port_ = *port;
}

SchedulerNode::~SchedulerNode() {
  stop();
  impl_->sys.reset();  // waits for every actor to finish
}

std::string SchedulerNode::address() const { return net::Address{impl_->options.host, port_}.str(); }
caf::actor_system& SchedulerNode::system() { return *impl_->sys; }
const caf::actor& SchedulerNode::scheduler() const { return impl_->scheduler; }

void SchedulerNode::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  {
    // The scheduler answers once it has told every worker to close.
    caf::scoped_actor self{*impl_->sys};
    self->request(impl_->scheduler, std::chrono::seconds(5), close_atom_v)
        .receive([](bool) {}, [](caf::error&) {});
  }
  unpublish_node(impl_->scheduler, port_, impl_->options.node.tls);
  caf::anon_send_exit(impl_->scheduler, caf::exit_reason::user_shutdown);
}

}  // namespace tessera::actors

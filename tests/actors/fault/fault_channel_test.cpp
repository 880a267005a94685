// FaultChannel between two actors of one process: without faults a plain
// send; with them, messages dropped / duplicated / delayed as decided, and
// the order per destination kept however they are delayed. Then the loss
// detection end to end: the scheduler resets a worker whose heartbeat says
// it sent more than arrived, and a worker told it is lost ends.
#include <gtest/gtest.h>

#include <caf/all.hpp>

#include <chrono>
#include <vector>

#include "actors/fault/fault_channel.hpp"
#include "actors/protocol/message_types.hpp"
#include "actors/protocol/protocol_error.hpp"
#include "actors/scheduler/scheduler_actor.hpp"
#include "actors/worker/worker_actor.hpp"

namespace tessera::actors::fault {
namespace {

using namespace std::chrono_literals;

struct ChannelTest : ::testing::Test {
  ChannelTest() : sys(init(cfg)) {}
  static caf::actor_system_config& init(caf::actor_system_config& c) {
    add_message_types(c);
    return c;
  }

  /// Sends done(0..n-1) from a fresh actor through a channel with `spec`
  /// (empty: no injector); returns the channel's sent() count.
  std::uint64_t send_all(const std::string& spec, int n, std::shared_ptr<FaultInjector>* keep = nullptr) {
    auto faults = spec.empty() ? nullptr : std::make_shared<FaultInjector>(parse_fault_spec(spec, Role::worker),
                                                                          Role::worker);
    if (keep) *keep = faults;
    auto sent = std::make_shared<std::uint64_t>(0);
    caf::actor dest = receiver;
    auto sender = sys.spawn([=](caf::event_based_actor* self) {
      FaultChannel channel(faults, Role::worker);
      for (int i = 0; i < n; ++i) channel.send(self, dest, done_atom_v, static_cast<std::uint64_t>(i));
      *sent = channel.sent();
    });
    caf::scoped_actor waiter{sys};
    waiter->wait_for(sender);
    return *sent;
  }

  /// Everything that arrives within `quiet` of the last message.
  std::vector<std::uint64_t> received(std::chrono::milliseconds quiet = 300ms) {
    std::vector<std::uint64_t> got;
    bool more = true;
    while (more)
      receiver->receive([&](done_atom, std::uint64_t i) { got.push_back(i); },
                        caf::after(quiet) >> [&] { more = false; });
    return got;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor receiver{sys};
};

TEST_F(ChannelTest, WithoutFaultsMessagesGoAsTheyAre) {
  EXPECT_EQ(send_all("", 100), 100u);  // done messages are audited
  auto got = received();
  ASSERT_EQ(got.size(), 100u);
  for (std::uint64_t i = 0; i < 100; ++i) EXPECT_EQ(got[i], i);
}

TEST_F(ChannelTest, DelayedMessagesKeepTheirOrder) {
  std::shared_ptr<FaultInjector> faults;
  EXPECT_EQ(send_all("seed=4;delay=0.5:20ms", 300, &faults), 300u);
  auto got = received();
  ASSERT_EQ(got.size(), 300u);
  for (std::uint64_t i = 0; i < 300; ++i) ASSERT_EQ(got[i], i) << "message " << i << " overtaken";
  EXPECT_GT(faults->counts().delayed, 100u);
}

TEST_F(ChannelTest, DuplicatesArriveTwiceAndCountTwice) {
  EXPECT_EQ(send_all("duplicate=1", 10), 20u);
  auto got = received();
  ASSERT_EQ(got.size(), 20u);
  for (std::uint64_t i = 0; i < 20; ++i) EXPECT_EQ(got[i], i / 2);
}

TEST_F(ChannelTest, DroppedMessagesNeverArriveButCountAsSent) {
  EXPECT_EQ(send_all("drop=1", 10), 10u);
  EXPECT_TRUE(received(100ms).empty());
}

TEST_F(ChannelTest, MixedFaultsLoseOnlyWhatWasDropped) {
  std::shared_ptr<FaultInjector> faults;
  const int n = 400;
  auto sent = send_all("seed=9;drop=0.2;duplicate=0.2;delay=0.5:5ms", n, &faults);
  auto c = faults->counts();
  EXPECT_EQ(sent, n + c.duplicated);
  auto got = received();
  EXPECT_EQ(got.size(), n - c.dropped + c.duplicated);
  for (std::size_t i = 1; i < got.size(); ++i) ASSERT_LE(got[i - 1], got[i]) << "out of order at " << i;
}

// ---- loss detection, scheduler and worker actors in one process -----------

struct LossTest : ChannelTest {
  LossTest() {
    SchedulerActorOptions o;
    o.worker_timeout = 60s;  // only the audit removes workers here
    scheduler = spawn_scheduler(sys, o);
  }
  ~LossTest() override { caf::anon_send_exit(scheduler, caf::exit_reason::user_shutdown); }

  /// Registers `self` as a worker; returns its id.
  WorkerId register_worker(caf::scoped_actor& self) {
    WorkerId id = 0;
    self->request(scheduler, 5s, register_atom_v, caf::actor_cast<caf::actor>(self), std::string("fake"),
                  std::uint32_t{1}, std::string())
        .receive([&](WorkerId w) { id = w; }, [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
    return id;
  }
  std::size_t workers() {
    caf::scoped_actor self{sys};
    std::size_t n = 0;
    self->request(scheduler, 5s, info_atom_v).receive([&](SchedulerInfo& i) { n = i.workers.size(); },
                                                      [&](caf::error&) {});
    return n;
  }
  /// True when `self` is told it is lost within `timeout`.
  bool told_lost(caf::scoped_actor& self, std::chrono::milliseconds timeout) {
    bool lost = false, waiting = true;
    while (waiting)
      self->receive([&](lost_atom) { lost = true, waiting = false; },
                    caf::after(timeout) >> [&] { waiting = false; });
    return lost;
  }

  caf::actor scheduler;
};

TEST_F(LossTest, HeartbeatThatCountsALostMessageResetsTheWorker) {
  caf::scoped_actor worker{sys};
  auto id = register_worker(worker);
  WorkerMetrics m;
  m.sent = 1;  // one done batch "sent", none arrived
  worker->send(scheduler, done_atom_v, id, OutcomeBatch{});
  worker->send(scheduler, heartbeat_atom_v, id, m);
  EXPECT_FALSE(told_lost(worker, 200ms)) << "the counts matched: nothing was lost";
  EXPECT_EQ(workers(), 1u);
  m.sent = 3;  // two more sent, none arrived
  worker->send(scheduler, heartbeat_atom_v, id, m);
  EXPECT_TRUE(told_lost(worker, 5s));
  EXPECT_EQ(workers(), 0u);
  // Its later messages are refused; a heartbeat is answered with lost again.
  worker->send(scheduler, heartbeat_atom_v, id, m);
  EXPECT_TRUE(told_lost(worker, 5s));
}

TEST_F(LossTest, UnknownWorkerIsToldItIsLost) {
  caf::scoped_actor stranger{sys};
  stranger->send(scheduler, heartbeat_atom_v, WorkerId{7}, WorkerMetrics{});
  EXPECT_TRUE(told_lost(stranger, 5s));
}

TEST_F(LossTest, WorkerToldItIsLostByItsSchedulerEnds) {
  caf::scoped_actor fake_scheduler{sys};
  WorkerOptions o;
  o.name = "w";
  auto worker = spawn_worker(sys, caf::actor_cast<caf::actor>(fake_scheduler), o);
  // It registers first.
  fake_scheduler->receive([&](register_atom, caf::actor&, std::string&, std::uint32_t, std::string&) {
    return WorkerId{0};
  });
  caf::scoped_actor observer{sys};
  observer->monitor(worker);
  // A lost notice from anyone else is ignored.
  observer->send(worker, lost_atom_v);
  bool ended = false;
  observer->receive([&](caf::down_msg&) { ended = true; }, caf::after(300ms) >> [] {});
  EXPECT_FALSE(ended);
  fake_scheduler->send(worker, lost_atom_v);
  caf::error reason;
  observer->receive([&](caf::down_msg& d) { reason = d.reason; },
                    caf::after(5s) >> [&] { ADD_FAILURE() << "the worker did not end"; });
  EXPECT_TRUE(is_protocol_error(reason, ProtocolError::scheduler_lost)) << sys.render(reason);
  EXPECT_NE(protocol_error_message(reason).find("declared this worker lost"), std::string::npos);
}

}  // namespace
}  // namespace tessera::actors::fault

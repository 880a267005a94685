// The Dashboard against stand-in scheduler actors in this process: one that
// answers with a fixed snapshot (the JSON and Prometheus text it becomes),
// one that never answers and one that is gone (503, not a hang).
#include <gtest/gtest.h>

#include <caf/all.hpp>

#include <nlohmann/json.hpp>

#include "actors/protocol/message_types.hpp"
#include "actors/protocol/messages.hpp"
#include "actors/scheduler/dashboard_snapshot.hpp"
#include "tests/support/http_client.hpp"
#include "tools/dashboard/dashboard.hpp"

namespace tessera::tools {
namespace {

using namespace std::chrono_literals;
using testing::http_get;

actors::DashboardSnapshotPtr fixed_snapshot() {
  auto s = std::make_shared<actors::DashboardSnapshot>();
  s->time = 1000;
  actors::DashboardWorker w;
  w.id = 3;
  w.name = "alpha";
  w.address = "node#1";
  w.nthreads = 4;
  w.bytes_in_memory = 2048;
  w.metrics.bytes_spilled = 100;
  w.metrics.memory_rss = 1 << 20;
  w.metrics.cpu = 150;
  s->workers.push_back(w);
  s->tasks_by_state = {1, 2, 3, 4, 5, 6};
  s->tasks_total = 21;
  s->prefixes.push_back({"inc", 7, 5, 4, 3, 0});
  s->stream.push_back({"inc-1", "inc", 3, 1, 999.5, 999.75, true});
  s->durations.add(0.25);
  s->tasks_finished = 7;
  s->bytes_transferred = 4096;
  return s;
}

struct Stand_in_state {
  std::vector<caf::response_promise> never;  // kept: never delivered, never broken
};

struct Answering_state {
  std::string url;  // what the dashboard said its address is
};

caf::behavior answering(caf::stateful_actor<Answering_state>* self) {
  return {[self](actors::dashboard_atom, actors::publish_atom, const std::string& url) { self->state.url = url; },
          [self](actors::dashboard_atom, const std::string&) { return self->state.url; },
          [](actors::dashboard_atom, const actors::DashboardQuery& q) {
    auto s = std::make_shared<actors::DashboardSnapshot>(*fixed_snapshot());
    if (q.task == "inc-1") s->task = actors::TaskDetail{"inc-1", "memory", "inc", 8, 0, {"alpha"}, "", {}, {}, {}, ""};
    return actors::DashboardSnapshotPtr(s);
  }};
}

caf::behavior silent(caf::stateful_actor<Stand_in_state>* self) {
  return {[](actors::dashboard_atom, actors::publish_atom, const std::string&) {},
          [self](actors::dashboard_atom, const actors::DashboardQuery&) {
    self->state.never.push_back(self->make_response_promise());
    return caf::delegated<actors::DashboardSnapshotPtr>{};
  }};
}

class DashboardServerTest : public ::testing::Test {
 protected:
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::vector<caf::actor> actors_;
  void SetUp() override {
    actors::add_message_types(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
  void TearDown() override {
    for (auto& a : actors_) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }
  template <class F>
  caf::actor spawn(F f) {
    actors_.push_back(sys->spawn(f));
    return actors_.back();
  }
  DashboardOptions options{.port = 0, .snapshot_timeout = 300ms};
};

TEST_F(DashboardServerTest, SnapshotBecomesJsonAndPrometheusText) {
  auto scheduler = spawn(answering);
  Dashboard d{*sys, scheduler, options};
  EXPECT_EQ(d.address(), "http://127.0.0.1:" + std::to_string(d.port()) + "/status");
  // It told the scheduler where it listens (workers ask for it).
  caf::scoped_actor self{*sys};
  std::string told;
  self->request(scheduler, 2s, actors::dashboard_atom_v, std::string{}).receive(
      [&](const std::string& url) { told = url; }, [](caf::error&) {});
  EXPECT_EQ(told, d.address());
  auto status = nlohmann::json::parse(http_get(d.port(), "/api/status").body);
  EXPECT_EQ(status["tasks"]["memory"], 5);
  EXPECT_EQ(status["tasks"]["total"], 21);
  EXPECT_EQ(status["workers"][0]["name"], "alpha");
  EXPECT_EQ(status["workers"][0]["memory"]["managed"], 2048);
  EXPECT_EQ(status["prefixes"][0]["total"], 7 + 4 + 3);
  EXPECT_EQ(status["stream"][0]["lane"], 1);
  EXPECT_EQ(status["bytes_transferred"], 4096);
  auto task = nlohmann::json::parse(http_get(d.port(), "/api/task/inc-1").body);
  EXPECT_EQ(task["who_has"], nlohmann::json::array({"alpha"}));
  EXPECT_EQ(http_get(d.port(), "/api/task/inc-2").status, 404);

  auto metrics = http_get(d.port(), "/metrics").body;
  for (std::string line :
       {"tessera_scheduler_tasks{state=\"released\"} 1", "tessera_scheduler_tasks{state=\"erred\"} 6",
        "tessera_scheduler_workers 1", "tessera_scheduler_threads 4", "tessera_memory_bytes{type=\"managed\"} 2048",
        "tessera_memory_bytes{type=\"spilled\"} 100", "tessera_transfer_bytes_total 4096",
        "tessera_scheduler_task_duration_seconds_bucket{le=\"0.1\"} 0",
        "tessera_scheduler_task_duration_seconds_bucket{le=\"0.0001\"} 0",
        "tessera_scheduler_task_duration_seconds_bucket{le=\"0.5\"} 1",
        "tessera_scheduler_task_duration_seconds_sum 0.25", "tessera_scheduler_task_duration_seconds_count 1"})
    EXPECT_NE(metrics.find(line + "\n"), std::string::npos) << line << " not in\n" << metrics;
  auto workers = http_get(d.port(), "/workers").body;
  EXPECT_NE(workers.find("<td>alpha</td><td>node#1</td>"), std::string::npos) << workers;
  EXPECT_NE(workers.find("2.0 KiB"), std::string::npos);
}

TEST_F(DashboardServerTest, SchedulerThatNeverAnswersGives503InTime) {
  Dashboard d{*sys, spawn(silent), options};
  auto t0 = std::chrono::steady_clock::now();
  auto r = http_get(d.port(), "/api/status");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("did not answer within 300 ms"), std::string::npos) << r.body;
  EXPECT_EQ(http_get(d.port(), "/health").status, 503);
  EXPECT_EQ(http_get(d.port(), "/metrics").status, 503);
  EXPECT_EQ(http_get(d.port(), "/status").status, 200);  // the page itself needs no snapshot
}

TEST_F(DashboardServerTest, SchedulerThatIsGoneGives503) {
  auto gone = spawn(answering);
  caf::anon_send_exit(gone, caf::exit_reason::user_shutdown);
  std::this_thread::sleep_for(50ms);
  Dashboard d{*sys, gone, options};
  EXPECT_EQ(http_get(d.port(), "/api/workers").status, 503);
  EXPECT_EQ(http_get(d.port(), "/info/task/x").status, 503);
}

}  // namespace
}  // namespace tessera::tools

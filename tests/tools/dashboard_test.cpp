// The scheduler's dashboard over HTTP: a real `tessera scheduler` with
// worker processes (tests/support/process_cluster.hpp), a client in this
// process, and a plain-socket HTTP client (tests/support/http_client.hpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "actors/tessera.hpp"
#include "net/http_server.hpp"
#include "tests/actors/arrays_held_apart.hpp"
#include "tests/plugins/dist_functions.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process_cluster.hpp"
#include "tests/tools/dashboard_support.hpp"

using namespace tessera;
using namespace std::chrono_literals;
using nlohmann::json;
using tessera::testing::http_get;
using tessera::testing::http_raw;
using tessera::testing::ProcessCluster;
namespace dist = tessera::testing;
namespace support = tessera::testing::dashboard;

namespace {

class DashboardTest : public ::testing::Test {
 protected:
  ProcessCluster cluster{ProcessCluster::Options{2, 2, {"--dashboard-port", "0"}}};
  std::uint16_t port = support::dashboard_port(cluster);

  json get_json(const std::string& target, int expect = 200) {
    auto r = http_get(port, target);
    EXPECT_EQ(r.status, expect) << target << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json") << target;
    return json::parse(r.body, nullptr, false);
  }
};

TEST_F(DashboardTest, PrintsItsAddressAndWritesItToTheSchedulerFile) {
  auto address = "http://127.0.0.1:" + std::to_string(port) + "/status";
  EXPECT_NE(cluster.log().find("tessera scheduler: dashboard at " + address), std::string::npos) << cluster.log();
  // Workers print it, whether given the address (the cluster's two) or the
  // scheduler file (a third).
  auto worker = actors::ChildProcess::start(
      TESSERA_BINARY, {"worker", "--scheduler-file", cluster.scheduler_file(), "--exit-with-parent"},
      cluster.log_file());
  auto printed = [&] {
    std::size_t n = 0;
    auto log = cluster.log(), line = "tessera worker: the scheduler's dashboard is at " + address;
    for (auto at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++n;
    return n;
  };
  EXPECT_TRUE(support::wait_until([&] { return printed() == 3; })) << cluster.log();
}

TEST_F(DashboardTest, HealthAndPagesAnswer) {
  auto health = http_get(port, "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  for (std::string page : {"/", "/status", "/graph", "/workers"}) {
    auto r = http_get(port, page);
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8") << page;
    EXPECT_NE(r.body.find("<!DOCTYPE html>"), std::string::npos) << page;
    // Served by the binary itself: nothing is loaded from elsewhere.
    EXPECT_EQ(r.body.find("http://"), std::string::npos) << page;
    EXPECT_EQ(r.body.find("https://"), std::string::npos) << page;
  }
  EXPECT_NE(http_get(port, "/status").body.find("id=\"stream\""), std::string::npos);
  EXPECT_EQ(http_get(port, "/nothing-here").status, 404);
}

TEST_F(DashboardTest, WorkersPageAndApiListEveryWorker) {
  // Both registered, and each has sent a heartbeat with its metrics.
  ASSERT_TRUE(support::wait_until([&] {
    auto ws = get_json("/api/workers")["workers"];
    return ws.size() == 2 && std::all_of(ws.begin(), ws.end(), [](auto& w) { return w["memory"]["rss"] > 0; });
  }));
  auto j = get_json("/api/workers");
  for (const auto& w : j["workers"]) {
    for (auto field : {"id", "name", "address", "nthreads", "processing", "executing", "keys_in_memory", "memory",
                       "cpu", "last_seen"})
      EXPECT_TRUE(w.contains(field)) << field << " missing in " << w.dump();
    EXPECT_EQ(w["nthreads"], 2);
    for (auto field : {"managed", "spilled", "rss", "limit"}) EXPECT_TRUE(w["memory"].contains(field)) << field;
    EXPECT_GT(w["memory"]["rss"].get<double>(), 0) << "no heartbeat metrics: " << w.dump();
  }
  auto page = http_get(port, "/workers").body;
  EXPECT_NE(page.find("data-worker=\"w0\""), std::string::npos) << page;
  EXPECT_NE(page.find("data-worker=\"w1\""), std::string::npos) << page;
  EXPECT_NE(page.find("last heartbeat"), std::string::npos);
}

TEST_F(DashboardTest, ApiFollowsAComputation) {
  Client client{cluster.address()};
  client.wait_for_workers(2, 30s);
  std::vector<Future<std::int64_t>> leaves;
  for (std::int64_t i = 0; i < 20; ++i) leaves.push_back(client.submit(dist::dist_slow_inc, i, std::int64_t{20}));
  auto prefix = std::string(leaves[0].key().prefix());
  auto values = client.gather(leaves);
  ASSERT_EQ(values.size(), 20u);

  auto s = get_json("/api/status");
  for (auto field : {"time", "tasks", "workers", "prefixes", "stream", "tasks_finished", "bytes_transferred"})
    EXPECT_TRUE(s.contains(field)) << field;
  EXPECT_EQ(s["tasks"]["memory"], 20);
  EXPECT_EQ(s["tasks"]["total"], 20);
  EXPECT_GE(s["tasks_finished"].get<int>(), 20);
  auto p = std::find_if(s["prefixes"].begin(), s["prefixes"].end(), [&](auto& x) { return x["prefix"] == prefix; });
  ASSERT_NE(p, s["prefixes"].end()) << s["prefixes"].dump();
  EXPECT_EQ((*p)["done"], 20);
  EXPECT_EQ((*p)["memory"], 20);
  EXPECT_EQ((*p)["total"], 20);
  EXPECT_EQ((*p)["processing"], 0);
  // The task stream: one record per task, on a lane within its worker's threads.
  ASSERT_EQ(s["stream"].size(), 20u) << s["stream"].dump();
  for (const auto& r : s["stream"]) {
    EXPECT_EQ(r["prefix"], prefix);
    EXPECT_LE(r["start"].get<double>(), r["stop"].get<double>());
    EXPECT_GE(r["stop"].get<double>() - r["start"].get<double>(), 0.015);  // the task slept 20 ms
    EXPECT_LT(r["lane"].get<int>(), 2) << s["stream"].dump();
  }
  // ?since= gives only what finished later.
  auto last = s["stream"].back()["stop"].get<double>();
  EXPECT_TRUE(get_json("/api/status?since=" + std::to_string(last + 1))["stream"].empty());

  auto key = leaves[3].key().str();
  auto t = get_json("/api/task/" + key);
  EXPECT_EQ(t["key"], key);
  EXPECT_EQ(t["state"], "memory");
  EXPECT_EQ(t["who_has"].size(), 1u);
  EXPECT_TRUE(t["dependencies"].empty());
  auto info = http_get(port, "/info/task/" + key);
  EXPECT_EQ(info.status, 200);
  EXPECT_NE(info.body.find("<td id=\"task-state\">memory</td>"), std::string::npos) << info.body;

  auto g = get_json("/api/graph");
  EXPECT_TRUE(g["included"].get<bool>());
  EXPECT_EQ(g["nodes"].size(), 20u);
  EXPECT_EQ(g["nodes"][0]["state"], "memory");

  auto metrics = http_get(port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  for (std::string line : {"tessera_scheduler_tasks{state=\"memory\"} 20", "tessera_scheduler_workers 2",
                           "tessera_scheduler_task_duration_seconds_count 20",
                           "tessera_scheduler_task_duration_seconds_bucket{le=\"0.01\"} 0",
                           "tessera_scheduler_task_duration_seconds_bucket{le=\"+Inf\"} 20",
                           "tessera_memory_bytes{type=\"spilled\"} 0", "# TYPE tessera_transfer_bytes_total counter"})
    EXPECT_NE(metrics.body.find(line + "\n"), std::string::npos) << line << " not in\n" << metrics.body;
}

TEST_F(DashboardTest, GraphShowsDependencies) {
  Client client{cluster.address()};
  client.wait_for_workers(2, 30s);
  auto a = delayed(dist::dist_inc)(std::int64_t{1});
  auto b = delayed(dist::dist_inc)(std::int64_t{2});
  auto c = client.compute(delayed(dist::dist_add)(a, b));
  ASSERT_EQ(c.result(30s), 5);
  auto g = get_json("/api/graph");
  ASSERT_TRUE(g["included"].get<bool>());
  // The inputs' records stay (released) while their dependent lives.
  ASSERT_EQ(g["nodes"].size(), 3u) << g.dump();
  auto node = std::find_if(g["nodes"].begin(), g["nodes"].end(), [&](auto& n) { return n["key"] == c.key().str(); });
  ASSERT_NE(node, g["nodes"].end());
  EXPECT_EQ((*node)["state"], "memory");
  ASSERT_EQ((*node)["deps"].size(), 2u);
  for (auto d : (*node)["deps"]) EXPECT_EQ(g["nodes"][d.get<std::size_t>()]["prefix"], a.key().prefix());
  auto t = get_json("/api/task/" + c.key().str());
  EXPECT_EQ(t["state"], "memory");
  EXPECT_EQ(t["dependencies"].size(), 2u);
}

TEST_F(DashboardTest, UnknownTaskIs404) {
  auto j = get_json("/api/task/no-such-key-123", 404);
  EXPECT_NE(j["error"].get<std::string>().find("no-such-key-123"), std::string::npos);
  auto page = http_get(port, "/info/task/no-such-key-123");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("No task no-such-key-123"), std::string::npos);
  // Keys with quotes and brackets come percent-encoded; still a clean 404.
  EXPECT_EQ(http_get(port, "/api/task/%28%27x-1%27%2C%200%29").status, 404);
  EXPECT_EQ(http_get(port, "/info/task/%3Cscript%3E").body.find("<script>"), std::string::npos);
}

TEST_F(DashboardTest, MalformedRequestsAndLongUrlsDoNotHurtTheScheduler) {
  EXPECT_EQ(http_get(port, "/api/task/" + std::string(20000, 'k')).status, 414);
  EXPECT_EQ(http_get(port, "/status?" + std::string(1'000'000, 'q')).status, 414);
  for (std::string junk : {"\r\n\r\n", "NOT HTTP AT ALL\r\n\r\n", "GET /status HTTP/1.1\r\nHost x\r\n\r\n",
                           "POST /health HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"}) {
    auto r = http_raw(port, junk, 5s);
    EXPECT_TRUE(r.status == 0 || (r.status >= 400 && r.status < 500)) << r.status << " for " << junk;
  }
  EXPECT_EQ(http_raw(port, "DELETE /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 405);
  EXPECT_EQ(http_get(port, "/health").status, 200);
  EXPECT_TRUE(cluster.scheduler().running());
  Client client{cluster.address()};
  EXPECT_EQ(client.submit(dist::dist_inc, std::int64_t{41}).result(30s), 42);
}

TEST(DashboardStream, TransfersAndSpillsAreBarsOfTheirOwnKind) {
  // Workers that spill every value (a 1 MB target; the process-memory steps
  // off, as sanitized workers are large), and a dot of two 8 MiB arrays held
  // by different workers: one array crosses the data plane, and values go
  // to disk and come back.
  ProcessCluster cluster{ProcessCluster::Options{
      2, 1, {"--dashboard-port", "0"},
      {"--memory-limit", "2MB", "--memory-target-fraction", "0.5", "--memory-spill-fraction", "0",
       "--memory-pause-fraction", "0", "--memory-terminate-fraction", "0"}}};
  const auto port = support::dashboard_port(cluster);
  Client client{cluster.address()};
  client.wait_for_workers(2, 30s);
  dist::dot_of_arrays_held_apart(client);

  std::map<std::string, json> first;  // kind -> its first record
  std::string last;
  ASSERT_TRUE(support::wait_until([&] {
    auto r = http_get(port, "/api/status");
    last = r.body;
    auto s = json::parse(r.body, nullptr, false);
    if (s.is_discarded() || !s.contains("stream")) return false;
    for (const auto& rec : s["stream"]) first.emplace(rec.value("kind", std::string("?")), rec);
    return first.count("transfer") && first.count("spill") && first.count("unspill");
  })) << "kinds seen: " << [&] { std::string k; for (auto& [n, _] : first) k += n + " "; return k; }()
      << "\nlast answer: " << last.substr(0, 2000);
  const auto& t = first["transfer"];
  EXPECT_EQ(t["prefix"], "transfer");
  EXPECT_GE(t["bytes"].get<std::uint64_t>(), 8u << 20);
  EXPECT_LE(t["start"].get<double>(), t["stop"].get<double>());
  EXPECT_NE(t["key"].get<std::string>().find("dist.ones"), std::string::npos) << t.dump();
  EXPECT_GE(first["spill"]["bytes"].get<std::uint64_t>(), 8u << 20);
  EXPECT_EQ(first["task"]["kind"], "task");
  // The page draws them in their own colours.
  auto page = http_get(port, "/status");
  EXPECT_NE(page.body.find("KIND_COLOURS"), std::string::npos);
}

TEST(Dashboard, NoDashboardServesNothing) {
  ProcessCluster cluster{ProcessCluster::Options{0, 1, {"--no-dashboard"}}};
  std::ifstream in(cluster.scheduler_file());
  auto file = json::parse(in);
  EXPECT_FALSE(file.contains("dashboard")) << file.dump();
  EXPECT_EQ(cluster.log().find("dashboard at"), std::string::npos) << cluster.log();
}

TEST(Dashboard, PortInUseFallsBackToAFreePort) {
  net::HttpServer squatter;
  squatter.start();
  ProcessCluster cluster{ProcessCluster::Options{0, 1, {"--dashboard-port", std::to_string(squatter.port())}}};
  auto port = support::dashboard_port(cluster);
  EXPECT_NE(port, squatter.port());
  EXPECT_NE(cluster.log().find("dashboard port " + std::to_string(squatter.port()) + " is in use"),
            std::string::npos)
      << cluster.log();
  EXPECT_EQ(http_get(port, "/health").status, 200);
}

}  // namespace

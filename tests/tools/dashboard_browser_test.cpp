// The dashboard's /status page in headless Chromium during a computation on
// a real cluster: the workers appear, and the computation's progress bar
// reaches complete; /graph draws the graph. A screenshot of /status is saved
// into the build folder (dashboard-status.png). Without chromium the test
// fails: ./test installs it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "actors/tessera.hpp"
#include "tests/plugins/dist_functions.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process_cluster.hpp"
#include "tests/tools/chromium.hpp"
#include "tests/tools/dashboard_support.hpp"

using namespace tessera;
using namespace std::chrono_literals;
namespace dist = tessera::testing;
namespace tt = tessera::testing;
namespace support = tessera::testing::dashboard;

namespace {

/// The progress row of `prefix` in a dumped DOM ("" when absent).
std::string progress_row(const std::string& dom, const std::string& prefix) {
  auto at = dom.find("data-prefix=\"" + prefix + "\"");
  if (at == std::string::npos) return {};
  auto start = dom.rfind("<div", at);
  auto end = dom.find("</span></div>", at);
  return dom.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST(DashboardBrowser, StatusPageShowsWorkersAndProgressReachesComplete) {
  ASSERT_FALSE(tt::chromium_path().empty())
      << "chromium is not installed: ./test installs it (cmake/deps.sh), or run apt-get install chromium";
  tt::ProcessCluster cluster{tt::ProcessCluster::Options{2, 1, {"--dashboard-port", "0"}}};
  auto port = support::dashboard_port(cluster);
  auto url = "http://127.0.0.1:" + std::to_string(port) + "/status";
  std::filesystem::path work = TESSERA_BUILD_DIR;

  Client client{cluster.address()};
  client.wait_for_workers(2, 30s);
  std::vector<Delayed<std::int64_t>> leaves;
  for (std::int64_t i = 0; i < 40; ++i) leaves.push_back(delayed(dist::dist_slow_inc)(i, std::int64_t{150}));
  auto prefix = std::string(leaves[0].key().prefix());
  auto total = client.compute(delayed(dist::dist_sum)(leaves));
  // The computation is under way: some tasks finished, most did not.
  ASSERT_TRUE(support::wait_until([&] {
    auto s = nlohmann::json::parse(tt::http_get(port, "/api/status").body, nullptr, false);
    return !s.is_discarded() && s["tasks_finished"].get<int>() > 0;
  }));

  // Opened during the computation: the workers appear, the bar is there.
  auto during = tt::run_chromium(url, work, 20000);
  ASSERT_EQ(during.exit_code, 0) << during.stderr_text;
  EXPECT_NE(during.dom.find("data-worker=\"w0\""), std::string::npos) << during.dom;
  EXPECT_NE(during.dom.find("data-worker=\"w1\""), std::string::npos) << during.dom;
  EXPECT_NE(progress_row(during.dom, prefix), "") << during.dom;
  EXPECT_NE(during.dom.find("<rect class=\"task\""), std::string::npos) << "no task stream bars";

  // Opened again once the computation has ended: the bar is complete.
  EXPECT_EQ(total.result(60s), 40 * 41 / 2);
  auto after = tt::run_chromium(url, work, 3000);
  ASSERT_EQ(after.exit_code, 0) << after.stderr_text;
  auto row = progress_row(after.dom, prefix);
  EXPECT_NE(row.find("data-complete=\"true\""), std::string::npos) << row;
  EXPECT_NE(row.find("40 / 40"), std::string::npos) << row;

  // The graph page draws the live graph: the result in memory, its 40
  // inputs released (kept while their dependent lives).
  auto graph = tt::run_chromium("http://127.0.0.1:" + std::to_string(port) + "/graph", work, 3000);
  ASSERT_EQ(graph.exit_code, 0) << graph.stderr_text;
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = graph.dom.find(what); at != std::string::npos; at = graph.dom.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<circle class=\"node\" data-state=\"memory\""), 1u) << graph.dom;
  EXPECT_EQ(count("<circle class=\"node\" data-state=\"released\""), 40u) << graph.dom;
  EXPECT_EQ(count("stroke=\"#ccc\"></line>"), 40u);  // the edges, as drawn (not the script's text)

  auto png = work / "dashboard-status.png";
  std::filesystem::remove(png);
  auto shot = tt::run_chromium(url, work, 3000, png.string());
  EXPECT_EQ(shot.exit_code, 0) << shot.stderr_text;
  ASSERT_TRUE(std::filesystem::exists(png)) << shot.stderr_text;
  EXPECT_GT(std::filesystem::file_size(png), 5000u);
}

}  // namespace

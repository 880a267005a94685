// persist: on a cluster of worker processes the partitions stay on the
// workers (the CSV file can be deleted afterwards and derived frames still
// compute, against pandas' results); releasing the frame releases them;
// client.persist does the same; elsewhere the values sit in the graph.
#include <filesystem>
#include <fstream>

#include "actors/tessera.hpp"
#include "tests/collections/dataframe/ops_test_util.hpp"
#include "tests/support/nothing_left.hpp"

namespace tessera::dataframe::test {
namespace {

using namespace std::chrono_literals;

const nlohmann::json& expected_div(const std::string& key) {
  static const nlohmann::json all = [] {
    std::ifstream in(fixture("divisions_expected.json"));
    return nlohmann::json::parse(in);
  }();
  return all.at(key);
}

std::string copy_of_keyed(const std::string& name) {
  std::ifstream in(fixture("keyed.csv"));
  std::stringstream ss;
  ss << in.rdbuf();
  return write_file(name, ss.str());
}

DataFrame read_keyed(const std::string& path) {
  ReadCsvOptions o;
  o.blocksize = 1000;
  return read_csv(path, o);
}

std::size_t held_keys_named(Client& client, const std::string& name) {
  std::size_t n = 0;
  for (const auto& [key, holders] : client.who_has())
    if (key.find(name) != std::string::npos) ++n;
  return n;
}

void expect_persisted_results(const DataFrame& p) {
  const auto& want = expected_div("persisted");
  EXPECT_EQ(p.length(), want["len"].get<std::int64_t>());
  expect_frame(p.groupby("g")["x"].sum().to_frame().compute(), want["g_x_sum"]);
  EXPECT_EQ(p[p["x"] > 0.0].length(), want["positive_x_count"].get<std::int64_t>());
  EXPECT_DOUBLE_EQ((p["x"] + p["k"]).sum().compute().as_float(), want["x_plus_k_sum"].get<double>());
}

class PersistOnProcesses : public ::testing::Test {
 protected:
  static LocalClusterOptions options() {
    LocalClusterOptions o;
    o.n_workers = 2;
    o.threads_per_worker = 1;
    o.processes = true;
    o.program = TESSERA_BINARY;
    return o;
  }
};

TEST_F(PersistOnProcesses, DerivedFramesReadTheHeldPartitionsNotTheFile) {
  Client client(options());
  client.wait_for_workers(2, 60s);
  ASSERT_EQ(client.cluster()->worker_pids().size(), 2u);  // real processes
  const std::string path = copy_of_keyed("persist-keyed.csv");
  {
    auto df = read_keyed(path);
    ASSERT_GT(df.npartitions(), 2);
    auto p = df.persist();
    // The same keys and metadata; the graph is only the held keys.
    EXPECT_EQ(p.name(), df.name());
    EXPECT_EQ(p.keys(), df.keys());
    EXPECT_EQ(p.schema(), df.schema());
    EXPECT_TRUE(p.layer()->tasks.empty());
    EXPECT_EQ(p.layer()->external.size(), static_cast<std::size_t>(df.npartitions()));
    EXPECT_EQ(held_keys_named(client, df.name()), static_cast<std::size_t>(df.npartitions()));
    // Nothing reads the file any more.
    std::filesystem::remove(path);
    expect_persisted_results(p);
    // The frame that was not persisted would read it, and fails.
    EXPECT_NE(error_of([&] { df.length(); }).find("persist-keyed.csv"), std::string::npos);
    // Still held after computations.
    EXPECT_EQ(held_keys_named(client, df.name()), static_cast<std::size_t>(df.npartitions()));
  }
  // Released with the last frame that uses them.
  tessera::testing::expect_nothing_left(client);
}

TEST_F(PersistOnProcesses, SetIndexOfAPersistedFrameKeepsDivisionsAndLoc) {
  Client client(options());
  client.wait_for_workers(2, 60s);
  const std::string path = copy_of_keyed("persist-keyed-2.csv");
  {
    auto raw = client.persist(read_keyed(path));  // Client::persist, the same as raw.persist()
    std::filesystem::remove(path);
    auto ix = raw.set_index("k", 3).persist();
    EXPECT_TRUE(ix.known_divisions());
    EXPECT_EQ(ix.divisions().front().as_int(), expected_div("k_min").get<std::int64_t>());
    EXPECT_TRUE(ix.layer()->tasks.empty());
    expect_frame(ix.loc(Value(42)).compute(), expected_div("loc_k_42"));
    expect_frame(ix.loc(Value(10), Value(30)).compute(), expected_div("loc_k_10_30"));
    expect_frame(ix.compute(), expected_div("set_index_k"));
  }
  tessera::testing::expect_nothing_left(client);
}

TEST_F(PersistOnProcesses, AFailedPartitionFailsPersistAndHoldsNothing) {
  Client client(options());
  client.wait_for_workers(2, 60s);
  const std::string path = copy_of_keyed("persist-gone.csv");
  auto df = read_keyed(path);
  std::filesystem::remove(path);
  EXPECT_NE(error_of([&] { df.persist(); }).find("persist-gone.csv"), std::string::npos);
  tessera::testing::expect_nothing_left(client);
}

TEST(PersistLocal, ValuesSitInTheGraphWithTheMetadata) {
  for (const char* scheduler : {"sync", "threads"}) {
    SCOPED_TRACE(scheduler);
    const std::string path = copy_of_keyed(std::string("local-") + scheduler + ".csv");
    auto ix = read_keyed(path).set_index("k", 3, {scheduler});
    auto p = ix.persist({scheduler});
    std::filesystem::remove(path);
    EXPECT_EQ(p.divisions(), ix.divisions());
    EXPECT_EQ(p.index(), ix.index());
    expect_frame(p.loc(Value(42)).compute({scheduler}), expected_div("loc_k_42"));
  }
}

}  // namespace
}  // namespace tessera::dataframe::test

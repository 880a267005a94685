// SpillStore: least recently used values go to disk past the target, come
// back on demand, every value kind survives the trip, files go with their
// values and the folder with the store, and a full disk (/dev/full) is a
// clear error that loses nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>

#include "actors/worker/spill_store.hpp"
#include "runtime/serial/serialize.hpp"
#include "runtime/value/ndarray.hpp"
#include "runtime/value/table.hpp"
#include "tests/support/error_of.hpp"

namespace tessera::actors {
namespace {

namespace fs = std::filesystem;
using tessera::testing::error_of;

// A private local directory, removed after the test.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("tessera-spill-test-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::remove_all(path); }
  ~TempDir() { fs::remove_all(path); }
};

Value array_of(std::size_t n, double x) { return Value(NDArray::from_vector(std::vector<double>(n, x))); }

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(SpillStore, SpillsTheLeastRecentlyUsedPastTheTarget) {
  TempDir tmp;
  const std::size_t one = array_of(1000, 0).nbytes();  // 8,000 bytes
  SpillStore store(tmp.path, 3 * one);
  store.put(1, array_of(1000, 1));
  store.put(2, array_of(1000, 2));
  store.put(3, array_of(1000, 3));
  EXPECT_EQ(store.num_spilled(), 0u);
  EXPECT_EQ(store.get(1).as_ndarray().values<double>()[0], 1.0);  // 1 is now the most recent
  store.put(4, array_of(1000, 4));                              // 2 is the least recent: out
  EXPECT_TRUE(store.is_spilled(2));
  EXPECT_FALSE(store.is_spilled(1));
  EXPECT_EQ(store.memory_bytes(), 3 * one);
  EXPECT_EQ(store.spilled_bytes(), one);
  EXPECT_TRUE(fs::exists(store.path_of(2)));
  // Reading 2 back brings it in and sends out the least recent (3).
  EXPECT_EQ(store.get(2).as_ndarray().values<double>()[999], 2.0);
  EXPECT_FALSE(store.is_spilled(2));
  EXPECT_FALSE(fs::exists(store.path_of(2)));
  EXPECT_TRUE(store.is_spilled(3));
  EXPECT_EQ(store.metrics().spilled, 2u);
  EXPECT_EQ(store.metrics().unspilled, 1u);
  EXPECT_EQ(store.metrics().spilled_bytes, 2 * one);
  EXPECT_GE(store.metrics().spill_seconds, 0.0);
  EXPECT_EQ(store.find_in_memory(3), nullptr);
  ASSERT_NE(store.find_in_memory(4), nullptr);
}

TEST(SpillStore, EveryValueKindRoundTrips) {
  TempDir tmp;
  SpillStore store(tmp.path, 1);  // everything goes to disk at once
  auto strings = Column::from_strings("s", {"", "é", "abc"});
  std::vector<Value> values{
      Value(),
      Value(true),
      Value(std::numeric_limits<std::int64_t>::min()),
      Value(-0.5),
      Value(std::string("a\0b", 3)),
      Value::bytes(std::string_view("\x00\xff", 2)),
      Value(ValueList{Value(1), Value("x"), Value(ValueList{})}),
      Value(ValueDict{{"k", Value(2.5)}, {"n", Value()}}),
      array_of(100000, 7.25),
      Value(NDArray::from_vector(std::vector<std::int64_t>{1, -2, 3})),
      Value(Table({Column::from_int64("a", {1, 2, 3}), Column::from_float64("b", {0.5, 1.5, 2.5}), strings}, "a")),
  };
  for (std::size_t i = 0; i < values.size(); ++i) store.put(i, values[i]);
  EXPECT_EQ(store.num_spilled(), values.size());
  EXPECT_EQ(store.memory_bytes(), 0u);
  EXPECT_EQ(files_in(store.directory()), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    Value back = store.get(i);
    EXPECT_EQ(back.kind(), values[i].kind()) << i;
    EXPECT_EQ(serialize_value(back), serialize_value(values[i])) << values[i].repr(100);
  }
  EXPECT_EQ(store.get(8).as_ndarray().values<double>()[99999], 7.25);
  EXPECT_EQ(store.get(10).as_table().column("s").string_at(1), "é");
}

TEST(SpillStore, ReleasedValuesTakeTheirFilesAndTheStoreItsFolder) {
  TempDir tmp;
  fs::path folder;
  {
    SpillStore store(tmp.path, 1);
    folder = store.directory();
    EXPECT_EQ(folder.parent_path(), tmp.path);
    store.put(1, array_of(10, 1));
    store.put(2, array_of(10, 2));
    EXPECT_EQ(files_in(folder), 2u);
    EXPECT_TRUE(store.erase(1));
    EXPECT_FALSE(store.erase(1));
    EXPECT_EQ(files_in(folder), 1u);
    EXPECT_EQ(store.spilled_bytes(), array_of(10, 2).nbytes());
    store.put(2, Value(5));  // replacing a spilled value drops its file
    EXPECT_EQ(store.get(2), Value(5));
    store.put(3, array_of(10, 3));
    store.clear();
    EXPECT_EQ(store.size(), 0u);
    EXPECT_EQ(files_in(folder), 0u);
    EXPECT_NE(error_of([&] { store.get(1); }).find("no value 1"), std::string::npos);
    store.put(4, array_of(10, 4));
  }
  EXPECT_FALSE(fs::exists(folder));  // files and folder gone with the store
  EXPECT_TRUE(fs::exists(tmp.path));  // the local directory stays
}

TEST(SpillStore, AFullDiskIsAClearErrorAndLosesNothing) {
  TempDir tmp;
  SpillStore store(tmp.path, 0);  // no spilling until asked
  store.put(1, array_of(1000, 1));
  store.put(2, array_of(1000, 2));
  // The file 1 would go to is /dev/full: every write fails with ENOSPC.
  fs::create_symlink("/dev/full", store.path_of(1));
  EXPECT_FALSE(store.spill_to(0));
  EXPECT_EQ(store.metrics().failed, 1u);
  EXPECT_NE(store.metrics().last_error.find("No space left on device"), std::string::npos)
      << store.metrics().last_error;
  EXPECT_NE(store.metrics().last_error.find(store.path_of(1).string()), std::string::npos);
  EXPECT_FALSE(store.is_spilled(1));
  EXPECT_EQ(store.get(1).as_ndarray().values<double>()[0], 1.0);  // still here, now the most recent
  EXPECT_TRUE(store.spill_to(0));                                // 2 goes; then 1, to a real file now
  EXPECT_EQ(store.num_spilled(), 2u);
  EXPECT_EQ(store.get(2).as_ndarray().values<double>()[0], 2.0);
}

TEST(SpillStore, AnUnreadableFileIsAnErrorNamingIt) {
  TempDir tmp;
  SpillStore store(tmp.path, 1);
  store.put(1, array_of(1000, 1));
  ASSERT_TRUE(store.is_spilled(1));
  fs::resize_file(store.path_of(1), 10);  // truncated behind the store's back
  auto error = error_of([&] { store.get(1); });
  EXPECT_NE(error.find(store.path_of(1).string()), std::string::npos) << error;
  EXPECT_TRUE(store.is_spilled(1));
}

TEST(SpillStore, RefusesALocalDirectoryItCannotCreate) {
  auto error = error_of([] { SpillStore store("/dev/null/spill", 1); });
  EXPECT_NE(error.find("cannot create the local directory '/dev/null/spill'"), std::string::npos) << error;
}

}  // namespace
}  // namespace tessera::actors

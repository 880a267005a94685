// WorkerState over its SpillStore: values past the target go to disk and come
// back for tasks, peers and the data plane; SharedValues lets go of spilled
// values and serves them from their files; releasing a value deletes its file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "actors/worker/worker_state.hpp"
#include "runtime/value/ndarray.hpp"

namespace tessera::actors {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("tessera-worker-spill-test-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { fs::remove_all(path); }
  ~TempDir() { fs::remove_all(path); }
};

Value array_of(std::size_t n, double x) { return Value(NDArray::from_vector(std::vector<double>(n, x))); }
double first(const Value& v) { return v.as_ndarray().values<double>()[0]; }

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

ComputeTask task_on(TaskId id, std::int64_t priority, std::vector<TaskId> inputs) {
  ComputeTask t;
  t.id = id;
  t.spec = std::make_shared<TaskSpec>(TaskSpec{Key("t" + std::to_string(id)), nullptr, {Arg(Value(1))}});
  t.priority = priority;
  for (auto in : inputs) t.deps.push_back(DepLocation{in, Key("in" + std::to_string(in)), {}});
  return t;
}

TEST(WorkerSpill, NoFolderUntilSomethingSpills) {
  WorkerState w;
  w.store(1, array_of(1000, 1));
  EXPECT_TRUE(w.spill_directory().empty());
  EXPECT_EQ(w.num_spilled(), 0u);
}

TEST(WorkerSpill, ValuesPastTheTargetSpillAndComeBackForTasksAndPeers) {
  TempDir tmp;
  const std::size_t one = array_of(1000, 0).nbytes();
  WorkerState w;
  w.configure_memory(tmp.path, 2 * one);
  for (TaskId id = 1; id <= 4; ++id) w.store(id, array_of(1000, static_cast<double>(id)));
  EXPECT_EQ(w.num_spilled(), 2u);  // 1 and 2, the least recently used
  EXPECT_EQ(w.bytes_in_memory(), 2 * one);
  EXPECT_EQ(w.bytes_spilled(), 2 * one);
  EXPECT_EQ(w.bytes_stored(), 4 * one);
  ASSERT_FALSE(w.spill_directory().empty());
  EXPECT_EQ(w.spill_directory().parent_path(), tmp.path);
  EXPECT_EQ(files_in(w.spill_directory()), 2u);

  // A task on 1 and 3: 1 is read back for it.
  ComputeBatch batch;
  batch.push_back(task_on(10, 0, {1, 3}));
  EXPECT_TRUE(w.add_tasks(std::move(batch)).empty());
  auto runs = w.take_ready(10);
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_EQ(runs[0].inputs.size(), 2u);
  EXPECT_EQ(first(runs[0].inputs[0].second), 1.0);
  EXPECT_EQ(first(runs[0].inputs[1].second), 3.0);
  // 1 read back sent 3 (then the least recent) out, and 3 was read back in turn.
  EXPECT_EQ(w.spill_metrics().unspilled, 2u);

  // A peer asks for whatever is on disk now: every value comes back right.
  auto reply = w.get_data({1, 2, 3, 4, 5});
  EXPECT_EQ(reply.found, (std::vector<char>{1, 1, 1, 1, 0}));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(first(reply.values[static_cast<std::size_t>(i)]), i + 1.0);
  EXPECT_GT(w.spill_metrics().spilled, 2u);
  EXPECT_GT(w.spill_metrics().spill_seconds, 0.0);

  // Released values take their files with them.
  w.free({1, 2, 3, 4});
  EXPECT_EQ(w.num_stored(), 0u);
  EXPECT_EQ(w.bytes_stored(), 0u);
  EXPECT_EQ(files_in(w.spill_directory()), 0u);
}

TEST(WorkerSpill, ATaskNeedingReadBackStartsABatchOfItsOwn) {
  TempDir tmp;
  const std::size_t one = array_of(1000, 0).nbytes();
  WorkerState w;
  w.configure_memory(tmp.path, one);
  w.store(1, array_of(1000, 1));
  w.store(2, array_of(1000, 2));  // 1 spilled
  ComputeBatch batch;
  batch.push_back(task_on(10, 0, {2}));
  batch.push_back(task_on(11, 1, {1}));
  batch.push_back(task_on(12, 2, {}));
  w.add_tasks(std::move(batch));
  auto runs = w.take_ready(10);
  ASSERT_EQ(runs.size(), 1u);  // 11 needs 1 back from disk: it waits for a batch of its own
  EXPECT_EQ(runs[0].id, 10u);
  runs = w.take_ready(10);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, 11u);
  EXPECT_EQ(first(runs[0].inputs[0].second), 1.0);
}

TEST(WorkerSpill, SharedValuesDropSpilledValuesAndServeThemFromDisk) {
  TempDir tmp;
  const std::size_t one = array_of(1000, 0).nbytes();
  WorkerState w;
  w.configure_memory(tmp.path, 2 * one);
  auto shared = std::make_shared<SharedValues>(1024);
  w.share_large_values(shared, "tcp://127.0.0.1:4000");
  w.store(1, array_of(1000, 1));
  Value big = array_of(1000, 2);
  std::weak_ptr<const Buffer> buffer_of_2 = big.as_ndarray().buffer();
  w.store(2, std::move(big));
  w.store(3, array_of(1000, 3));  // 1 spilled
  w.store(4, array_of(1000, 4));  // 2 spilled
  EXPECT_TRUE(buffer_of_2.expired()) << "the data plane's view must not keep a spilled value in memory";
  auto served = shared->find(2, "in2");
  ASSERT_TRUE(served);
  EXPECT_EQ(first(*served), 2.0);
  EXPECT_EQ(w.get_data({2}).on_data_plane, std::vector<char>{1});  // large: still on the data plane
  EXPECT_EQ(w.num_spilled(), 2u) << "serving from disk does not read the value back into the store";

  // Read back for a task: the data plane serves it from memory again.
  ComputeBatch batch;
  batch.push_back(task_on(10, 0, {2}));
  w.add_tasks(std::move(batch));
  ASSERT_EQ(w.take_ready(1).size(), 1u);
  served = shared->find(2, "in2");
  ASSERT_TRUE(served);
  EXPECT_EQ(first(*served), 2.0);

  w.free({1, 2, 3, 4});
  EXPECT_EQ(shared->size(), 0u);
  EXPECT_EQ(files_in(w.spill_directory()), 0u);
}

TEST(WorkerSpill, ValuesSpilledBeforeSharingAreServedFromTheirFiles) {
  TempDir tmp;
  const std::size_t one = array_of(1000, 0).nbytes();
  WorkerState w;
  w.configure_memory(tmp.path, one);
  w.store(1, array_of(1000, 1));
  w.store(2, array_of(1000, 2));  // 1 spilled
  auto shared = std::make_shared<SharedValues>(1024);
  w.share_large_values(shared, "tcp://127.0.0.1:4000");
  EXPECT_EQ(shared->size(), 2u);
  auto served = shared->find(1, "in1");
  ASSERT_TRUE(served);
  EXPECT_EQ(first(*served), 1.0);
}

TEST(WorkerSpill, SpillOldestEmptiesMemoryOnDemand) {
  TempDir tmp;
  WorkerState w;
  w.configure_memory(tmp.path, 0);  // no target: spills only when asked (process memory is high)
  w.store(1, array_of(1000, 1));
  w.store(2, array_of(1000, 2));
  EXPECT_EQ(w.num_spilled(), 0u);
  EXPECT_TRUE(w.spill_oldest());
  EXPECT_EQ(w.num_spilled(), 1u);
  EXPECT_TRUE(w.spill_oldest());
  EXPECT_FALSE(w.spill_oldest());
  EXPECT_EQ(w.bytes_in_memory(), 0u);
  EXPECT_EQ(first(*w.find(1)), 1.0);
  w.clear();
  EXPECT_EQ(files_in(w.spill_directory()), 0u);
}

TEST(WorkerSpill, AnUnreadableSpillFileFailsTheTaskNotTheWorker) {
  TempDir tmp;
  WorkerState w;
  w.configure_memory(tmp.path, 1);  // everything spills
  w.store(1, array_of(1000, 1));
  fs::resize_file(w.spill_directory() / "1.spill", 10);
  ComputeBatch batch;
  batch.push_back(task_on(10, 0, {1}));
  w.add_tasks(std::move(batch));
  auto runs = w.take_ready(1);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].inputs.empty());  // left out: the task fails naming it
  auto errors = w.take_read_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("1.spill"), std::string::npos) << errors[0];
  EXPECT_FALSE(w.get_data({1}).found[0]);
}

}  // namespace
}  // namespace tessera::actors

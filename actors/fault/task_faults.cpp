#include "actors/fault/task_faults.hpp"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

namespace tessera::actors::fault {
namespace {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

OutcomeBatch take_injected_failures(const FaultInjector& faults, TaskRunBatch& batch) {
  OutcomeBatch failed;
  if (faults.spec().fail.empty()) return failed;
  std::erase_if(batch, [&](const TaskRun& run) {
    const auto* pattern = faults.failing_pattern(run.spec->key.str());
    if (!pattern) return false;
    TaskOutcome o;
    o.id = run.id;
    o.ok = false;
    o.error_key = run.spec->key.str();
    o.error_function = run.spec->function_name();
    o.error_message = "injected fault: fail=" + *pattern + " matches this task's key";
    o.start = o.stop = now_seconds();
    failed.push_back(std::move(o));
    return true;
  });
  return failed;
}

void on_tasks_finished(FaultInjector& faults, std::size_t n, const std::string& worker) {
  auto event = faults.tasks_finished(n);
  if (event.kill) {
    std::cerr << "tessera fault: worker " << worker << " exits after " << event.tasks
              << " tasks (kill-after=" << faults.spec().kill_after << ")" << std::endl;
    ::_exit(killed_exit_code);
  }
  if (event.cut.count() > 0) {
    auto seconds = std::chrono::duration<double>(event.cut).count();
    std::cerr << "tessera fault: worker " << worker << " cut off for " << seconds << " s after " << event.tasks
              << " tasks (cut-after=" << faults.spec().cut_after << ")" << std::endl;
    std::this_thread::sleep_for(event.cut);
    std::cerr << "tessera fault: worker " << worker << " is back after its cut" << std::endl;
  }
}

}  // namespace tessera::actors::fault

#include "tools/dashboard/prometheus.hpp"

#include <charconv>
#include <sstream>

#include "actors/scheduler/scheduler_state.hpp"

namespace tessera::tools {
namespace {

/// A number as Prometheus reads it: the shortest form that reads back
/// exactly ("0.1", not "0.10000000000000001"); no locale.
std::string num(double x) {
  char buf[400];  // fixed notation of any double fits
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
  return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

void family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

void task_metrics(std::ostringstream& out, const actors::DashboardSnapshot& s) {
  family(out, "tessera_scheduler_tasks", "gauge", "Tasks on the scheduler, by state.");
  for (std::size_t i = 0; i < s.tasks_by_state.size(); ++i)
    out << "tessera_scheduler_tasks{state=\"" << actors::task_state_name(static_cast<actors::TaskState>(i))
        << "\"} " << s.tasks_by_state[i] << '\n';
  family(out, "tessera_scheduler_tasks_finished_total", "counter", "Tasks finished, by outcome.");
  out << "tessera_scheduler_tasks_finished_total{outcome=\"memory\"} " << s.tasks_finished << '\n';
  out << "tessera_scheduler_tasks_finished_total{outcome=\"erred\"} " << s.tasks_failed << '\n';
  family(out, "tessera_scheduler_task_duration_seconds", "histogram", "How long finished tasks ran.");
  const auto& h = s.durations;
  for (std::size_t i = 0; i < h.bounds.size(); ++i)
    out << "tessera_scheduler_task_duration_seconds_bucket{le=\"" << num(h.bounds[i]) << "\"} " << h.counts[i]
        << '\n';
  out << "tessera_scheduler_task_duration_seconds_bucket{le=\"+Inf\"} " << h.count << '\n';
  out << "tessera_scheduler_task_duration_seconds_sum " << num(h.sum) << '\n';
  out << "tessera_scheduler_task_duration_seconds_count " << h.count << '\n';
}

void worker_metrics(std::ostringstream& out, const actors::DashboardSnapshot& s) {
  std::size_t managed = 0, spilled = 0, threads = 0;
  for (const auto& w : s.workers) {
    managed += w.bytes_in_memory;
    spilled += w.metrics.bytes_spilled;
    threads += w.nthreads;
  }
  family(out, "tessera_scheduler_workers", "gauge", "Workers connected to the scheduler.");
  out << "tessera_scheduler_workers " << s.workers.size() << '\n';
  family(out, "tessera_scheduler_threads", "gauge", "Task threads of all workers.");
  out << "tessera_scheduler_threads " << threads << '\n';
  family(out, "tessera_scheduler_clients", "gauge", "Clients connected to the scheduler.");
  out << "tessera_scheduler_clients " << s.clients << '\n';
  family(out, "tessera_memory_bytes", "gauge", "Bytes of task results held by the workers.");
  out << "tessera_memory_bytes{type=\"managed\"} " << managed << '\n';
  out << "tessera_memory_bytes{type=\"spilled\"} " << spilled << '\n';
  family(out, "tessera_transfer_bytes_total", "counter", "Bytes of task results copied between workers.");
  out << "tessera_transfer_bytes_total " << s.bytes_transferred << '\n';
}

}  // namespace

std::string prometheus_text(const actors::DashboardSnapshot& s) {
  std::ostringstream out;
  task_metrics(out, s);
  worker_metrics(out, s);
  return out.str();
}

}  // namespace tessera::tools

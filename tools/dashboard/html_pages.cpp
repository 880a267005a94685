#include "tools/dashboard/html_pages.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <sstream>

namespace tessera::tools {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_bytes(double bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

std::string_view page_style() {
  return R"CSS(<style>
body{font-family:sans-serif;margin:0;color:#222;background:#fafafa}
nav{background:#2b3a55;padding:6px 12px}nav a{color:#fff;margin-right:16px;text-decoration:none;font-weight:bold}
main{padding:12px}h2{font-size:16px;margin:14px 0 6px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#eee}.num{text-align:right}.muted{color:#777}
</style>)CSS";
}

std::string_view page_nav() {
  return R"(<nav><a href="/status">Status</a><a href="/workers">Workers</a><a href="/graph">Graph</a>)"
         R"(<a href="/metrics">Metrics</a></nav>)";
}

namespace {

std::string page(std::string_view title, const std::string& body) {
  std::ostringstream out;
  out << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" << html_escape(title)
      << " — Tessera</title>" << page_style() << "</head><body>" << page_nav() << "<main>" << body
      << "</main></body></html>";
  return out.str();
}

std::string task_link(const std::string& key) {
  std::string encoded;
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      encoded += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  return "<a href=\"/info/task/" + encoded + "\">" + html_escape(key) + "</a>";
}

std::string key_list(const std::vector<std::string>& keys) {
  if (keys.empty()) return "<span class=\"muted\">none</span>";
  std::string out = "<ul>";
  for (const auto& k : keys) out += "<li>" + task_link(k) + "</li>";
  return out + "</ul>";
}

std::string seconds_ago(double then, double now) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s ago", std::max(0.0, now - then));
  return buf;
}

}  // namespace

std::string workers_page(const actors::DashboardSnapshot& s) {
  std::ostringstream b;
  b << "<h2>Workers (" << s.workers.size() << ")</h2><table id=\"workers\"><tr><th>name</th><th>address</th>"
    << "<th>threads</th><th>memory (managed / rss / limit)</th><th>spilled</th><th>cpu</th><th>executing</th>"
    << "<th>processing</th><th>in memory</th><th>last heartbeat</th></tr>";
  for (const auto& w : s.workers) {
    const auto& m = w.metrics;
    b << "<tr data-worker=\"" << html_escape(w.name) << "\"><td>" << html_escape(w.name) << "</td><td>"
      << html_escape(w.address) << "</td><td class=\"num\">" << w.nthreads << "</td><td class=\"num\">"
      << format_bytes(static_cast<double>(w.bytes_in_memory)) << " / "
      << format_bytes(static_cast<double>(m.memory_rss)) << " / "
      << (m.memory_limit ? format_bytes(static_cast<double>(m.memory_limit)) : std::string("none"))
      << "</td><td class=\"num\">" << format_bytes(static_cast<double>(m.bytes_spilled)) << "</td><td class=\"num\">"
      << static_cast<int>(m.cpu) << "%</td><td class=\"num\">" << m.executing << "</td><td class=\"num\">"
      << w.processing << "</td><td class=\"num\">" << w.keys_in_memory << "</td><td>"
      << seconds_ago(w.last_seen, s.time) << (w.retiring ? " (retiring)" : "") << "</td></tr>";
  }
  b << "</table>";
  return page("Workers", b.str());
}

std::string task_page(const actors::TaskDetail& t) {
  std::ostringstream b;
  b << "<h2>Task " << html_escape(t.key) << "</h2><table id=\"task\">"
    << "<tr><th>state</th><td id=\"task-state\">" << html_escape(t.state) << "</td></tr>"
    << "<tr><th>prefix</th><td>" << html_escape(t.prefix) << "</td></tr>"
    << "<tr><th>bytes</th><td>" << format_bytes(static_cast<double>(t.nbytes)) << "</td></tr>"
    << "<tr><th>priority</th><td>" << t.priority << "</td></tr>"
    << "<tr><th>held by</th><td>";
  for (const auto& w : t.who_has) b << html_escape(w) << " ";
  b << "</td></tr><tr><th>processing on</th><td>" << html_escape(t.processing_on) << "</td></tr>"
    << "<tr><th>wanted by</th><td>";
  for (const auto& c : t.wanted_by) b << html_escape(c) << " ";
  b << "</td></tr>";
  if (!t.error.empty()) b << "<tr><th>error</th><td>" << html_escape(t.error) << "</td></tr>";
  b << "</table><h2>Dependencies</h2>" << key_list(t.dependencies) << "<h2>Dependents</h2>"
    << key_list(t.dependents);
  return page("Task " + t.key, b.str());
}

std::string missing_task_page(const std::string& key) {
  return page("No such task", "<h2>No task " + html_escape(key) +
                                  "</h2><p>The scheduler does not have this key: it was never submitted, or it "
                                  "finished and was forgotten when nothing needed it any more.</p>");
}

}  // namespace tessera::tools

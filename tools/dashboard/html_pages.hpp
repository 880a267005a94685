#pragma once
// The dashboard's HTML pages. /status and /graph are static pages whose
// script polls the JSON API; /workers and /info/task/KEY are rendered here
// from a snapshot (they read without script). Everything is inline: no
// file, font or script comes from anywhere but this binary.
#include <string>
#include <string_view>

#include "actors/scheduler/dashboard_snapshot.hpp"

namespace tessera::tools {

/// The live page (status_page.cpp).
const std::string& status_page();
/// The graph page (graph_page.cpp).
const std::string& graph_page();
/// A table of the workers.
std::string workers_page(const actors::DashboardSnapshot& s);
/// One task: state, holders, dependencies and dependents (linked).
std::string task_page(const actors::TaskDetail& t);
/// The 404 page for a key the scheduler does not have.
std::string missing_task_page(const std::string& key);

/// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);
/// "1.5 MiB"; bytes below 1 KiB as "512 B".
std::string format_bytes(double bytes);
/// The CSS and navigation every page shares.
std::string_view page_style();
std::string_view page_nav();

}  // namespace tessera::tools

#pragma once
// /metrics: the scheduler's numbers in Prometheus' text exposition format
// (version 0.0.4), names prefixed tessera_ as Dask's are dask_.
#include <string>

#include "actors/scheduler/dashboard_snapshot.hpp"

namespace tessera::tools {

std::string prometheus_text(const actors::DashboardSnapshot& s);

}  // namespace tessera::tools

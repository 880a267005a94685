#pragma once
// Functions the multi-process tests run on remote workers. They are compiled
// into test_actors (so the client can name them) and into the plugin
// libtessera_test_plugin.so that the tests' `tessera worker --plugin` loads.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/value/ndarray.hpp"

namespace tessera::testing {

std::int64_t dist_inc(std::int64_t x);
std::int64_t dist_add(std::int64_t a, std::int64_t b);
std::int64_t dist_sum(const std::vector<std::int64_t>& xs);
/// Sleeps `ms` milliseconds, then returns x + 1.
std::int64_t dist_slow_inc(std::int64_t x, std::int64_t ms);
/// Sleeps `ms` milliseconds, then returns the worker process's pid.
std::int64_t dist_pid_after(std::int64_t ms, std::int64_t tag);
/// An n-element float64 array filled with `fill` (big values over the data plane).
NDArray dist_ones(std::int64_t n, double fill);
double dist_total(const NDArray& xs);
double dist_dot(const NDArray& a, const NDArray& b);
/// Appends a line "x" to the file at `path` (one line per execution, from
/// any process), then returns x + 1: tests count how often a task ran.
std::int64_t dist_logged_inc(std::int64_t x, const std::string& path);
/// The first run (no file at `path`: it makes it) holds `bytes` of resident
/// memory for up to a minute, then returns 0; later runs return 1 at once.
/// Tests drive one worker past its memory limit with it, once.
std::int64_t dist_hog_once(std::int64_t bytes, const std::string& path);
/// Sleeps 20 ms, then returns {x + 1, the worker process's pid}: tests
/// count which worker ran what.
std::vector<std::int64_t> dist_inc_pid_20ms(std::int64_t x);

}  // namespace tessera::testing

#pragma once
// Test helper: the message of the exception `f` throws, or "(no exception)".
#include <exception>
#include <string>

namespace tessera::testing {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace tessera::testing

#include "runtime/registry/function.hpp"

namespace tessera {

Value invoke(const Function& fn, std::span<const Value> args) {
  try {
    return fn.call(args);
  } catch (const FunctionFailure&) {
    throw;
  } catch (const std::exception& e) {
    throw FunctionFailure(fn.name, e.what());
  } catch (...) {
    throw FunctionFailure(fn.name, "unknown exception");
  }
}

}  // namespace tessera

#include "runtime/registry/make_function.hpp"

namespace tessera::detail {

void throw_arity(const std::string& fn, std::size_t want, std::size_t got) {
  throw TypeError(fn + "() takes " + std::to_string(want) + " argument" + (want == 1 ? "" : "s") +
                  " but " + std::to_string(got) + (got == 1 ? " was" : " were") + " given");
}

void throw_argument(const std::string& fn, std::size_t index, const char* want,
                    const std::string& detail) {
  throw TypeError(fn + "() argument " + std::to_string(index + 1) + " must be " + want + ": " +
                  detail);
}

}  // namespace tessera::detail

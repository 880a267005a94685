#include "collections/dataframe/operations.hpp"

#include "runtime/registry/registry.hpp"

namespace tessera::dataframe {

void register_operation_functions() { register_dataframe_functions(); }

FunctionPtr op_function(std::string_view name) {
  register_operation_functions();
  return Registry::global().get(name);
}

}  // namespace tessera::dataframe

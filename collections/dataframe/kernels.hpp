#pragma once
// The dataframe's task functions, registered in the global Registry under
// stable names ("dataframe.filter", "dataframe.agg_chunk", ...) so that any
// worker can run them. Nothing relies on static initialisers (the
// collection is a static library): register_dataframe_functions() registers
// everything on first call (thread-safe, idempotent); df_function(name)
// calls it. A worker process that runs dataframe graphs calls
// register_dataframe_functions() once at start-up.
#include <span>
#include <string_view>
#include <vector>

#include "runtime/registry/function.hpp"

namespace tessera::dataframe {

using Kernel = Value (*)(std::span<const Value>);

struct KernelEntry {
  const char* name;
  Kernel kernel;
  const char* doc;
};
// The built-ins of each file.
std::vector<KernelEntry> read_csv_kernels();
std::vector<KernelEntry> partition_kernels();
std::vector<KernelEntry> aggregation_kernels();

void register_dataframe_functions();
/// The registered built-in called `name`; KeyError for an unknown name.
FunctionPtr df_function(std::string_view name);

}  // namespace tessera::dataframe

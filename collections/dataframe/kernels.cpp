#include "collections/dataframe/kernels.hpp"
#include "collections/dataframe/operations.hpp"

#include "runtime/registry/registry.hpp"

namespace tessera::dataframe {

void register_dataframe_functions() {
  static const bool done = [] {
    auto& registry = Registry::global();
    for (auto* list : {&read_csv_kernels, &partition_kernels, &aggregation_kernels, &shuffle_kernels, &merge_kernels,
                       &groupby_shuffle_kernels, &reduction_kernels, &extra_kernels, &io_kernels}) {
      for (const auto& e : list()) {
        if (registry.find(e.name)) continue;
        Kernel k = e.kernel;
        registry.add(make_function(e.name, [k](std::span<const Value> args) { return k(args); }, true, e.doc));
      }
    }
    return true;
  }();
  (void)done;
}

FunctionPtr df_function(std::string_view name) {
  register_dataframe_functions();
  return Registry::global().get(name);
}

}  // namespace tessera::dataframe

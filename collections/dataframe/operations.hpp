#pragma once
// Registration of the task functions of the shuffle-based and other later
// dataframe operations (shuffle, merge, sort_values, set_index,
// drop_duplicates, groupby split_out / apply, quantile, describe,
// map_partitions, repartition, from_delayed, JSON and CSV output). They live
// beside kernels.cpp's built-ins under the same "dataframe." prefix, and
// register_dataframe_functions() (which worker processes call at start-up)
// registers them with the built-ins; register_operation_functions() is
// another name for it.
#include <string_view>
#include <vector>

#include "collections/dataframe/kernels.hpp"

namespace tessera::dataframe {

// The lists of each file.
std::vector<KernelEntry> shuffle_kernels();
std::vector<KernelEntry> merge_kernels();
std::vector<KernelEntry> groupby_shuffle_kernels();
std::vector<KernelEntry> reduction_kernels();
std::vector<KernelEntry> extra_kernels();
std::vector<KernelEntry> io_kernels();

void register_operation_functions();
/// The registered function called `name` (a built-in or one of the above);
/// KeyError for an unknown name.
FunctionPtr op_function(std::string_view name);

}  // namespace tessera::dataframe

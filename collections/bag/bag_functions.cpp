#include "collections/bag/bag_functions.hpp"

#include <mutex>
#include <string>
#include <unordered_map>

#include "collections/bag/bag.hpp"
#include "runtime/expr/lambda_expr.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

struct KernelTable {
  std::unordered_map<std::string, Kernel> by_name;
};

const KernelTable& kernel_table() {
  static const KernelTable table = [] {
    KernelTable t;
    auto& registry = Registry::global();
    for (auto* list : {+[] { return partition_kernels(); }, +[] { return reduction_kernels(); },
                       +[] { return read_text_kernels(); }, +[] { return json_kernels(); },
                       +[] { return text_pipeline_kernels(); }, +[] { return grouping_kernels(); },
                       +[] { return text_io_kernels(); }, +[] { return table_kernels(); }}) {
      for (const auto& e : list()) {
        Kernel k = e.kernel;
        auto fn = make_function(
            e.name, [k](std::span<const Value> args) { return k(FunctionResolver{}, args); }, true,
            e.doc);
        if (!registry.find(e.name)) registry.add(std::move(fn));
        t.by_name.emplace(e.name, k);
      }
    }
    if (!registry.find("bag.json_loads")) registry.add_alias("bag.json_loads", "json_loads");
    return t;
  }();
  return table;
}

}  // namespace

bool is_expression_spec(const Value& spec) {
  return spec.kind() == ValueKind::dict && spec.as_dict().size() == 1 && spec.as_dict().count("expr") == 1;
}

const Function& FunctionResolver::get(const Value& spec) const {
  if (is_expression_spec(spec)) {
    for (const auto& [s, fn] : expressions_)
      if (s == spec) return *fn;
    expressions_.emplace_back(spec, BagFunction::expression(spec.as_dict().at("expr")).fn());
    return *expressions_.back().second;
  }
  if (spec.kind() != ValueKind::string)
    throw TypeError("bag: a function must be given by its registered name or as {\"expr\": tree}, not " +
                    spec.repr(200));
  const std::string& n = spec.as_string();
  for (const auto& f : local_)
    if (f && f->name == n) return *f;
  auto fn = Registry::global().find(n);
  if (!fn)
    throw KeyError("bag: function '" + n +
                   "' is not registered in this process (register it with TESSERA_FUNCTION, or "
                   "use a local function on an in-process executor only)");
  return *fn;
}

void register_bag_functions() { (void)kernel_table(); }

FunctionPtr bag_function(std::string_view name) {
  register_bag_functions();
  return Registry::global().get(name);
}

FunctionPtr bind_functions(const FunctionPtr& builtin, const std::vector<FunctionPtr>& user) {
  bool all_registered = true;
  for (const auto& f : user)
    if (f && !f->registered) all_registered = false;
  if (all_registered) return builtin;
  const auto& table = kernel_table().by_name;
  auto it = table.find(builtin->name);
  if (it == table.end()) throw KeyError("bag: '" + builtin->name + "' is not a bag built-in");
  Kernel k = it->second;
  std::vector<FunctionPtr> bound;
  for (const auto& f : user)
    if (f) bound.push_back(f);
  return make_function(
      builtin->name,
      [k, bound](std::span<const Value> args) { return k(FunctionResolver(bound), args); }, false,
      builtin->doc);
}

bool truthy(const Value& v) { return expr::truthy(v); }

}  // namespace tessera::bag

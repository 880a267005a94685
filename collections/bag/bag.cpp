#include "collections/bag/bag.hpp"

#include <algorithm>

#include "collections/bag/bag_functions.hpp"
#include "collections/bag/text_pipeline.hpp"
#include "runtime/expr/lambda_expr.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {

BagFunction::BagFunction(FunctionPtr fn) : fn_(std::move(fn)) {
  if (!fn_) throw ValueError("bag: a null function was given");
}
BagFunction BagFunction::expression(Value tree) {
  BagFunction out;
  // Marked registered: it needs no binding into the task (its spec carries
  // the tree); nothing looks it up by name.
  out.fn_ = make_function(
      "lambda", [tree](std::span<const Value> args) { return expr::evaluate(tree, args); }, true,
      "a lambda's expression tree (runtime/expr/lambda_expr.hpp)");
  out.spec_ = Value(ValueDict{{"expr", std::move(tree)}});
  return out;
}

BagFunction::BagFunction(const char* name) : BagFunction(std::string(name)) {}
BagFunction::BagFunction(const std::string& name) {
  register_bag_functions();  // so that built-in names ("json_loads", "bag.str_split") resolve
  fn_ = Registry::global().get(name);
}

Value Item::compute(const ComputeOptions& options) const {
  Key keys[] = {key_};
  return get_executor(options.scheduler)->compute(graph(), keys).front();
}

Bag::Bag(std::string name, LayerPtr layer, std::int64_t npartitions)
    : name_(std::move(name)), layer_(std::move(layer)), npartitions_(npartitions) {
  if (npartitions_ < 1) throw ValueError("bag '" + name_ + "': needs at least one partition");
}

Bag Bag::with_pipeline(std::shared_ptr<const TextPipeline> pipeline) const {
  Bag out = *this;
  out.pipeline_ = std::move(pipeline);
  return out;
}

Bag Bag::fused(Bag out, const std::optional<Value>& step) const {
  if (pipeline_ && step) out.pipeline_ = pipeline_->then(*step);
  return out;
}

std::vector<Key> Bag::keys() const {
  std::vector<Key> out;
  out.reserve(static_cast<std::size_t>(npartitions_));
  for (std::int64_t i = 0; i < npartitions_; ++i) out.push_back(key(i));
  return out;
}

Bag Bag::partitionwise(const std::string& prefix, const FunctionPtr& fn, const ValueList& leading,
                       const ValueList& trailing) const {
  Tokenizer t;
  t.add(prefix).add(name_).add(fn->name).add(static_cast<std::int64_t>(leading.size()));
  for (const auto& v : leading) t.add(v);
  for (const auto& v : trailing) t.add(v);
  std::string name = prefix + "-" + t.hex();
  std::vector<TaskSpec> tasks;
  tasks.reserve(static_cast<std::size_t>(npartitions_));
  for (std::int64_t i = 0; i < npartitions_; ++i) {
    ArgList args;
    for (const auto& v : leading) args.emplace_back(v);
    args.emplace_back(key(i));
    for (const auto& v : trailing) args.emplace_back(v);
    tasks.push_back(TaskSpec{Key(name, {i}), fn, std::move(args)});
  }
  return Bag(name, make_layer(name, std::move(tasks), {layer_}), npartitions_);
}

Bag Bag::map(const BagFunction& fn, ValueList extra_args) const {
  auto task_fn = bind_functions(bag_function("bag.map_partition"), {fn.fn()});
  Bag out = partitionwise("map", task_fn, {fn.spec()}, extra_args);
  return fn.fn()->registered && !fn.is_expression() ? fused(std::move(out), map_step(fn.name(), extra_args)) : out;
}

Bag Bag::filter(const BagFunction& predicate) const {
  auto task_fn = bind_functions(bag_function("bag.filter_partition"), {predicate.fn()});
  return partitionwise("filter", task_fn, {predicate.spec()});
}

Bag Bag::map_partitions(const BagFunction& fn) const {
  auto task_fn = bind_functions(bag_function("bag.map_partitions"), {fn.fn()});
  return partitionwise("map_partitions", task_fn, {fn.spec()});
}

Bag Bag::starmap(const BagFunction& fn) const {
  auto task_fn = bind_functions(bag_function("bag.starmap_partition"), {fn.fn()});
  return partitionwise("starmap", task_fn, {fn.spec()});
}

Bag Bag::flatten() const {
  return fused(partitionwise("flatten", bag_function("bag.flatten_partition"), {}), Value(ValueList{"flatten"}));
}

Bag Bag::pluck(const Value& key) const {
  return fused(partitionwise("pluck", bag_function("bag.pluck_partition"), {key}), Value(ValueList{"pluck", key}));
}

Bag Bag::pluck(const Value& key, const Value& default_value) const {
  return fused(partitionwise("pluck", bag_function("bag.pluck_partition"), {key}, {default_value}),
               Value(ValueList{"pluck", key, default_value}));
}

Bag Bag::str_lower() const { return map(BagFunction("bag.str_lower")); }
Bag Bag::str_upper() const { return map(BagFunction("bag.str_upper")); }
Bag Bag::str_strip(const std::string& chars) const {
  return map(BagFunction("bag.str_strip"), {Value(chars)});
}
Bag Bag::str_split(const std::string& sep, std::int64_t maxsplit) const {
  return map(BagFunction("bag.str_split"), {Value(sep), Value(maxsplit)});
}

ValueList Bag::compute(const ComputeOptions& options) const {
  auto ks = keys();
  auto parts = get_executor(options.scheduler)->compute(graph(), ks);
  ValueList out;
  for (const auto& p : parts)
    for (const auto& x : p.as_list()) out.push_back(x);
  return out;
}

ValueList Bag::take(std::int64_t k, const ComputeOptions& options) const {
  ValueList out;
  if (k <= 0) return out;
  auto executor = get_executor(options.scheduler);
  auto taker = bag_function("bag.take_partition");
  std::int64_t next = 0, batch = 1;
  while (static_cast<std::int64_t>(out.size()) < k && next < npartitions_) {
    std::int64_t end = std::min(npartitions_, next + batch);
    std::int64_t want = k - static_cast<std::int64_t>(out.size());
    std::string name = "take-" + tokenize(name_, want, next, end);
    std::vector<TaskSpec> tasks;
    std::vector<Key> outputs;
    for (std::int64_t i = next; i < end; ++i) {
      Key tk(name, {i});
      tasks.push_back(TaskSpec{tk, taker, {Arg(Value(want)), Arg(key(i))}});
      outputs.push_back(tk);
    }
    auto parts = executor->compute(HighLevelGraph({make_layer(name, std::move(tasks), {layer_})}), outputs);
    for (const auto& p : parts)
      for (const auto& x : p.as_list())
        if (static_cast<std::int64_t>(out.size()) < k) out.push_back(x);
    next = end;
    // Next round: as many partitions as the elements seen so far suggest are
    // needed (at least one); twice as many as last time while none were seen.
    const auto got = static_cast<std::int64_t>(out.size());
    if (got == 0) batch *= 2;
    else batch = std::max<std::int64_t>(1, ((k - got) * next + got - 1) / got);
  }
  return out;
}

Bag from_sequence(const std::vector<Value>& seq, SequenceOptions options) {
  if (options.npartitions < 0 || options.partition_size < 0)
    throw ValueError("from_sequence: npartitions and partition_size must not be negative");
  if (options.npartitions > 0 && options.partition_size > 0)
    throw ValueError("from_sequence: give npartitions or partition_size, not both");
  const auto n = static_cast<std::int64_t>(seq.size());
  std::int64_t size = options.partition_size;
  if (size == 0) {
    std::int64_t parts = options.npartitions > 0 ? options.npartitions : 100;
    size = std::max<std::int64_t>(1, (n + parts - 1) / parts);
  }
  Tokenizer t;
  t.add("from_sequence").add(size).add(n);
  for (const auto& v : seq) t.add(v);
  std::string name = "from_sequence-" + t.hex();
  std::vector<TaskSpec> tasks;
  std::int64_t i = 0;
  for (std::int64_t start = 0; start < n || (n == 0 && i == 0); start += size, ++i) {
    auto b = seq.begin() + start;
    auto e = seq.begin() + std::min(n, start + size);
    tasks.push_back(TaskSpec{Key(name, {i}), nullptr, {Arg(Value(ValueList(b, e)))}});
  }
  return Bag(name, make_layer(name, std::move(tasks)), i);
}

Bag range(std::int64_t n, std::int64_t npartitions) {
  if (n < 0) throw ValueError("range: n must not be negative, got " + std::to_string(n));
  if (npartitions < 1) throw ValueError("range: npartitions must be at least 1, got " + std::to_string(npartitions));
  auto fn = bag_function("bag.range_partition");
  std::string name = "range-" + tokenize("range", n, npartitions);
  std::vector<TaskSpec> tasks;
  for (std::int64_t i = 0; i < npartitions; ++i)
    tasks.push_back(TaskSpec{Key(name, {i}), fn, {Arg(Value(n * i / npartitions)), Arg(Value(n * (i + 1) / npartitions))}});
  return Bag(name, make_layer(name, std::move(tasks)), npartitions);
}

}  // namespace tessera::bag

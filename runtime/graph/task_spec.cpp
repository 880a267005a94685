#include "runtime/graph/task_spec.hpp"

#include <unordered_set>

#include "runtime/util/error.hpp"

namespace tessera {

const std::string& TaskSpec::function_name() const {
  static const std::string identity = "identity";
  return fn ? fn->name : identity;
}

void collect_refs(const ArgList& args, std::vector<Key>& out) {
  for_each_ref(args, [&](const Key& k) { out.push_back(k); });
}

std::vector<Key> dependencies(const TaskSpec& task) {
  std::vector<Key> all;
  collect_refs(task.args, all);
  if (all.size() <= 1) return all;
  std::vector<Key> out;
  out.reserve(all.size());
  if (all.size() <= 16) {
    for (auto& k : all) {
      bool seen = false;
      for (const auto& o : out) seen = seen || o == k;
      if (!seen) out.push_back(std::move(k));
    }
    return out;
  }
  std::unordered_set<std::string_view> seen;
  for (auto& k : all)
    if (seen.insert(k.str()).second) out.push_back(k);
  return out;
}

namespace {

Value evaluate_args(const ArgList& args, const ValueLookup& lookup, std::vector<Value>& out) {
  out.reserve(args.size());
  for (const auto& a : args) out.push_back(evaluate(a, lookup));
  return Value();
}

}  // namespace

Value evaluate(const Arg& arg, const ValueLookup& lookup) {
  switch (arg.kind()) {
    case Arg::Kind::literal: return arg.literal();
    case Arg::Kind::ref: return lookup.get(arg.ref());
    case Arg::Kind::list: {
      ValueList l;
      evaluate_args(arg.list(), lookup, l);
      return Value(std::move(l));
    }
    case Arg::Kind::call: {
      const Call& c = arg.call();
      if (c.key.empty()) {
        std::vector<Value> values;
        evaluate_args(c.args, lookup, values);
        return invoke(*c.fn, values);
      }
      try {
        std::vector<Value> values;
        evaluate_args(c.args, lookup, values);
        return invoke(*c.fn, values);
      } catch (const TaskError&) {
        throw;
      } catch (const FunctionFailure& f) {
        throw TaskError(c.key.str(), f.function(), f.message());
      } catch (const std::exception& e) {
        throw TaskError(c.key.str(), c.fn->name, e.what());
      }
    }
  }
  return Value();
}

Value run_task(const TaskSpec& task, const ValueLookup& lookup) {
  if (!task.fn) return task.args.empty() ? Value() : evaluate(task.args[0], lookup);
  std::vector<Value> values;
  evaluate_args(task.args, lookup, values);
  return invoke(*task.fn, values);
}

}  // namespace tessera

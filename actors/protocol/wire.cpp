#include "actors/protocol/wire.hpp"

#include <caf/sec.hpp>

#include <iostream>

#include "runtime/registry/registry.hpp"
#include "runtime/serial/serialize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors::wire {
namespace {

/// A message that cannot be decoded is dropped by CAF; say which and why.
caf::error dropped(std::string_view what, const std::exception& e) {
  std::cerr << "tessera: dropped a malformed " << what << " in a message: " << e.what() << std::endl;
  return caf::make_error(caf::sec::invalid_argument, std::string(what) + ": " + e.what());
}

}  // namespace

std::string encode_value(const Value& v) {
  try {
    return serialize_value(v);
  } catch (const std::exception& e) {
    std::cerr << "tessera: cannot serialise a value for a message: " << e.what() << std::endl;
    return serialize_value(Value(std::string("<unserialisable value: ") + e.what() + ">"));
  }
}

caf::error decode_value(std::string_view bytes, Value& out) {
  try {
    out = deserialize_value(bytes);
    return caf::none;
  } catch (const std::exception& e) {
    return dropped("value", e);
  }
}

std::string encode_task(const TaskSpec& spec) {
  try {
    return serialize_task(spec);
  } catch (const std::exception& e) {
    // The client checks this before it submits to a remote cluster; here it
    // can only be a local function routed through an in-process scheduler
    // to a remote worker: the task fails there with this explanation.
    TaskSpec failing;
    failing.key = spec.key;
    failing.fn = Registry::global().get_or_deferred("<unsendable: " + std::string(e.what()) + ">");
    return serialize_task(failing);
  }
}

caf::error decode_task(std::string_view bytes, std::shared_ptr<const TaskSpec>& out) {
  try {
    out = std::make_shared<const TaskSpec>(deserialize_task(bytes, FunctionLookup::deferred));
    return caf::none;
  } catch (const std::exception& e) {
    return dropped("task", e);
  }
}

caf::error decode_key(std::string&& repr, Key& out) {
  try {
    out = repr.empty() ? Key() : Key::from_string(std::move(repr));
    return caf::none;
  } catch (const std::exception& e) {
    return dropped("key", e);
  }
}

SubmissionWire to_wire(const GraphSubmission& s) {
  SubmissionWire w;
  const auto& g = s.graph.graph;
  if (!s.encoded_tasks.empty()) {
    w.tasks = s.encoded_tasks;
  } else {
    w.tasks.reserve(g.size());
    for (const auto& t : g.tasks()) w.tasks.push_back(encode_task(t));
  }
  w.priority = s.graph.priority;
  w.external = g.external_keys();
  w.wanted = s.wanted;
  return w;
}

caf::error from_wire(SubmissionWire&& w, GraphSubmissionPtr& out) {
  try {
    if (w.priority.size() != w.tasks.size())
      throw ValueError("graph submission has " + std::to_string(w.tasks.size()) + " tasks but " +
                       std::to_string(w.priority.size()) + " priorities");
    std::vector<TaskSpec> tasks;
    tasks.reserve(w.tasks.size());
    for (const auto& bytes : w.tasks) tasks.push_back(deserialize_task(bytes, FunctionLookup::deferred));
    auto s = std::make_shared<GraphSubmission>();
    s->graph.graph = TaskGraph(std::move(tasks), std::move(w.external));
    if (s->graph.graph.size() != w.priority.size())
      throw ValueError("graph submission repeats a task key");
    s->graph.priority = std::move(w.priority);
    s->wanted = std::move(w.wanted);
    out = std::move(s);
    return caf::none;
  } catch (const std::exception& e) {
    return dropped("graph submission", e);
  }
}

}  // namespace tessera::actors::wire

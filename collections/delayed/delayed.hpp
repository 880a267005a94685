#pragma once
// delayed: Dask's dask.delayed in C++. Wrapping a function makes calls lazy:
// each call adds one layer (one task) to a graph and returns a Delayed<T>;
// Delayed values passed as arguments become dependencies; nothing runs until
// compute().
//
//   auto data = delayed(load)(filename);        // load(filename), later
//   auto out = delayed(process)(data);          // depends on data
//   auto total = delayed(summarize)(outputs);   // a std::vector<Delayed<T>> argument
//   total.compute();                            // runs the graph
//
// Keys are "<function>-<token>"; the token hashes the function and its
// arguments, so the same call built twice is the same key (computed once),
// unless DelayedOptions::pure is false.
#include <string>
#include <tuple>
#include <typeinfo>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/exec/executor.hpp"
#include "runtime/graph/high_level_graph.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/registry/registry.hpp"

namespace tessera {

struct ComputeOptions {
  /// "" = the current default (see config::set_scheduler), or "sync", "threads".
  std::string scheduler;
};

struct DelayedOptions {
  /// Key prefix and function name for an unregistered callable.
  std::string name;
  /// false: every call gets a fresh key, as dask.delayed(pure=False).
  bool pure = true;
};

/// Collects the dependencies and the token of a call's arguments.
struct GraphArgs {
  std::vector<LayerPtr> layers;
  std::vector<std::shared_ptr<const void>> keep_alive;
  Tokenizer token;
};

/// Converts a result Value to T (T = Value returns it as it is).
template <class T>
T from_value(const Value& v) {
  if constexpr (std::is_same_v<T, Value>) return v;
  else return T(arg_cast<T>(v));
}

template <class T = Value>
class Delayed {
 public:
  using value_type = T;
  Delayed() = default;
  Delayed(Key key, LayerPtr layer) : key_(std::move(key)), layer_(std::move(layer)) {}

  const Key& key() const noexcept { return key_; }
  const LayerPtr& layer() const noexcept { return layer_; }
  HighLevelGraph graph() const { return HighLevelGraph({layer_}); }

  /// Runs the graph and returns the value; a failed task throws TaskError.
  T compute(const ComputeOptions& options = {}) const {
    Key keys[] = {key_};
    return from_value<T>(get_executor(options.scheduler)->compute(graph(), keys).front());
  }

  /// The graph in Graphviz dot form.
  std::string visualize() const;

  /// As an argument of another delayed call: a reference to this key.
  Arg to_graph_arg(GraphArgs& g) const {
    g.layers.push_back(layer_);
    g.token.add(std::string_view(key_.str()));
    return Arg(key_);
  }

 private:
  Key key_;
  LayerPtr layer_;
};

/// The graph of `layer` in Graphviz dot form (tasks as boxes, edges to dependents).
std::string graph_to_dot(const HighLevelGraph& graph);

template <class T>
std::string Delayed<T>::visualize() const {
  return graph_to_dot(graph());
}

namespace detail {

template <class A>
concept GraphArgLike = requires(const A& a, GraphArgs& g) {
  { a.to_graph_arg(g) } -> std::same_as<Arg>;
};

template <class A>
Arg to_arg(const A& a, GraphArgs& g) {
  if constexpr (GraphArgLike<A>) {
    return a.to_graph_arg(g);
  } else if constexpr (std::is_same_v<A, Value>) {
    g.token.add(a);
    return Arg(a);
  } else if constexpr (std::is_convertible_v<A, std::string_view> && !Convertible<A>) {
    Value v{std::string(std::string_view(a))};
    g.token.add(v);
    return Arg(std::move(v));
  } else if constexpr (requires { typename A::value_type; } && !Convertible<A>) {
    // A container of graph arguments (e.g. std::vector<Delayed<T>>): a list.
    ArgList list;
    g.token.add(std::string_view("\x02list")).add(static_cast<std::int64_t>(a.size()));
    for (const auto& x : a) list.push_back(to_arg(x, g));
    return Arg(std::move(list));
  } else {
    Value v = to_value(a);
    g.token.add(v);
    return Arg(std::move(v));
  }
}

template <class F>
using delayed_result_t = std::conditional_t<
    std::is_invocable_r_v<Value, F&, std::span<const Value>>, Value,
    std::conditional_t<std::is_void_v<typename callable_traits<std::decay_t<F>>::result>, Value,
                       std::remove_cvref_t<typename callable_traits<std::decay_t<F>>::result>>>;

template <class F>
std::string callable_identity(const F& f) {
  std::string id = typeid(F).name();
  if constexpr (std::is_pointer_v<F>) id += "@" + std::to_string(reinterpret_cast<std::uintptr_t>(f));
  return id;
}

}  // namespace detail

/// A function whose calls are lazy (see the top of this file).
template <class F>
class DelayedFunction {
 public:
  using result_type = detail::delayed_result_t<F>;

  DelayedFunction(F f, DelayedOptions options) : pure_(options.pure) {
    if constexpr (std::is_pointer_v<F> && std::is_function_v<std::remove_pointer_t<F>>)
      fn_ = Registry::global().find_address(reinterpret_cast<const void*>(f));
    if (fn_ && !options.name.empty() && options.name != fn_->name) fn_ = nullptr;
    if (!fn_) {
      std::string name = options.name.empty() ? "function" : options.name;
      fn_ = make_function(name, f, false);
      identity_ = detail::callable_identity(f);
    }
  }

  const FunctionPtr& function() const noexcept { return fn_; }

  template <class... A>
  Delayed<result_type> operator()(const A&... args) const {
    GraphArgs g;
    g.token.add(std::string_view(fn_->name)).add(std::string_view(identity_));
    ArgList list;
    list.reserve(sizeof...(A));
    (list.push_back(detail::to_arg(args, g)), ...);
    std::string token = pure_ ? g.token.hex() : unique_token();
    Key key(fn_->name + "-" + token);
    TaskSpec spec{key, fn_, std::move(list)};
    std::vector<TaskSpec> tasks;
    tasks.push_back(std::move(spec));
    auto layer = std::make_shared<Layer>(std::string(key.name()), std::move(tasks), std::move(g.layers));
    layer->keep_alive = std::move(g.keep_alive);
    return Delayed<result_type>(std::move(key), std::move(layer));
  }

 private:
  FunctionPtr fn_;
  std::string identity_;
  bool pure_ = true;
};

/// Makes `f` lazy. A function registered with TESSERA_FUNCTION keeps its
/// registered name (and can run on remote workers); any other callable runs
/// on in-process executors only.
template <class F>
DelayedFunction<std::decay_t<F>> delayed(F&& f, DelayedOptions options = {}) {
  return DelayedFunction<std::decay_t<F>>(std::forward<F>(f), std::move(options));
}

/// A Delayed holding a plain value (dask.delayed(obj)).
template <class T>
Delayed<T> delayed_value(const T& x, std::string name = "literal") {
  Value v = to_value(x);
  Key key(name + "-" + tokenize(v));
  std::vector<TaskSpec> tasks{TaskSpec{key, nullptr, {Arg(v)}}};
  return Delayed<T>(key, make_layer(std::string(key.name()), std::move(tasks)));
}

/// Computes several delayed values in one graph (shared keys run once):
/// `auto [a, b] = tessera::compute(x, y);`
template <class... T>
std::tuple<T...> compute(const Delayed<T>&... xs) {
  std::vector<LayerPtr> layers{xs.layer()...};
  std::vector<Key> keys{xs.key()...};
  auto values = get_executor()->compute(HighLevelGraph(std::move(layers)), keys);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple<T...>{from_value<T>(values[I])...};
  }(std::index_sequence_for<T...>{});
}

}  // namespace tessera

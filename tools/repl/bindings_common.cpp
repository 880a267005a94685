// Shared by the collection bindings: compute, persist, visualize, function
// arguments, and the top-level names (namespaces and builtins).
#include <fstream>
#include <iostream>

#include "runtime/expr/lambda_expr.hpp"
#include "tools/repl/cluster.hpp"
#include "tools/repl/collection_objects.hpp"
#include "tools/repl/printer.hpp"

namespace tessera::repl {

namespace {

/// Text that the prompt shows as it is (visualize()'s graph).
class TextObject final : public Object {
 public:
  explicit TextObject(std::string text) : text_(std::move(text)) {}
  const TypeInfo& type() const override {
    static const TypeInfo t{"text", "text shown as it is", {}};
    return t;
  }
  std::string repr() const override { return text_; }

 private:
  std::string text_;
};

}  // namespace

std::optional<Value> compute_object(Interpreter& in, const RValue& v) {
  if (auto* a = v.as<ArrayObject>()) return Value(a->a.compute());
  if (auto* b = v.as<BagObject>()) return Value(b->b.compute());
  if (auto* i = v.as<ItemObject>()) return i->item.compute();
  if (auto* d = v.as<DataFrameObject>()) return Value(d->df.compute());
  if (auto* s = v.as<SeriesObject>()) return Value(s->s.compute());
  if (auto* s = v.as<ScalarObject>()) return s->s.compute();
  if (auto* d = v.as<DelayedObject>()) return d->d.compute();
  if (auto* f = v.as<FutureObject>()) {
    wait_interruptibly(*f->f.core(), {f->f.key()});
    return f->f.result();
  }
  if (auto* l = v.as<ListObject>()) {
    ValueList out;
    for (const auto& x : l->items) {
      auto c = compute_object(in, x);
      out.push_back(c ? *c : plain(x, "an element"));
    }
    return Value(std::move(out));
  }
  return std::nullopt;
}

FunctionPtr bag_callable(Interpreter& in, const RValue& f, const std::string& what) {
  if (auto* r = f.as<RegisteredFunction>()) return Registry::global().get(r->name());
  if (auto* l = f.as<LambdaObject>()) {
    Value tree = in.compile_lambda(*l);
    // Not registered: runs on in-process clusters only (the bag's verbs
    // use BagFunction::expression or the registered expr.* functions instead).
    return make_function("lambda-" + unique_token(),
                         [tree](std::span<const Value> args) { return expr::evaluate(tree, args); }, false);
  }
  if (!f.obj && f.value.kind() == ValueKind::string) return Registry::global().get(f.value.as_string());
  throw TypeError(what + " must be a lambda or a registered function, not " + type_name(f));
}

std::string visualize_graph(const HighLevelGraph& g, const std::string& filename) {
  TaskGraph tg = g.materialize();
  if (!filename.empty()) {
    std::ofstream out(filename);
    if (!out) throw ValueError("visualize: cannot write '" + filename + "'");
    out << graph_to_dot(g);
    if (!out) throw ValueError("visualize: writing '" + filename + "' failed");
    return "wrote " + std::to_string(tg.size()) + " tasks as Graphviz dot to " + filename;
  }
  std::string s = std::to_string(tg.size()) + " task" + (tg.size() == 1 ? "" : "s") + "\n";
  constexpr std::int32_t shown = 40;
  auto n = static_cast<std::int32_t>(tg.size());
  for (std::int32_t i = 0; i < n && i < shown; ++i) {
    const auto& t = tg.task(i);
    s += "  " + t.key.str() + " = " + t.function_name() + "(";
    bool first = true;
    for (auto d : tg.dependencies(i)) {
      s += (first ? "" : ", ") + tg.task(d).key.str();
      first = false;
    }
    s += ")\n";
  }
  if (n > shown) s += "  ... " + std::to_string(n - shown) + " more (visualize(filename='graph.dot') writes them all)\n";
  s.pop_back();
  return s;
}

void add_graph_methods(TypeInfo& t, std::function<std::pair<LayerPtr, std::vector<Key>>(const RValue&)> graph_of,
                       std::function<RValue(const RValue&, LayerPtr)> rebuild) {
  t.add(Method("compute()", "runs the graph on the cluster and returns the result (Ctrl-C cancels it)",
               [](Interpreter& in, const RValue& self, Bound&) -> RValue { return *compute_object(in, self); }));
  t.add(Method("visualize(filename=None)",
               "the task graph: as text, or as Graphviz dot written to filename",
               [graph_of](Interpreter&, const RValue& self, Bound& a) -> RValue {
                 auto [layer, keys] = graph_of(self);
                 return RValue(std::make_shared<TextObject>(
                     visualize_graph(HighLevelGraph({layer}), a.given("filename") ? a.string("filename") : "")));
               }));
  if (rebuild)
    t.add(Method("persist()", "computes on the cluster and keeps the results there: the same collection, its "
                              "graph now the stored results",
                 [graph_of, rebuild](Interpreter& in, const RValue& self, Bound&) -> RValue {
                   auto [layer, keys] = graph_of(self);
                   auto futures = submit_keys(in.client(), layer, keys);
                   return rebuild(self, persisted_layer(futures));
                 }));
}

namespace {

RValue builtin_len(Interpreter& in, const RValue& x) {
  if (auto* l = x.as<ListObject>()) return Value(static_cast<std::int64_t>(l->items.size()));
  if (auto* d = x.as<DataFrameObject>()) return Value(d->df.length());
  if (auto* a = x.as<ArrayObject>()) {
    if (a->a.ndim() == 0) throw TypeError("len() of a 0-d array");
    return Value(a->a.shape()[0]);
  }
  if (x.obj) {
    (void)in;
    throw TypeError("object of type '" + type_name(x) + "' has no len()");
  }
  Value v = x.value;
  return expr::call_builtin("len", std::span<const Value>(&v, 1));
}

}  // namespace

void install_namespaces(Interpreter& in, std::map<std::string, RValue>& out) {
  auto arr = make_array_namespace(in);
  auto bg = make_bag_namespace(in);
  auto df = make_dataframe_namespace(in);
  out["array"] = arr;
  out["da"] = arr;
  out["bag"] = bg;
  out["db"] = bg;
  out["dataframe"] = df;
  out["dd"] = df;
  install_delayed_and_client(in, out);

  auto dask = std::make_shared<Namespace>("dask", "Dask's top-level names: array, bag, dataframe, delayed, compute");
  for (const char* n : {"array", "bag", "dataframe", "delayed", "compute"}) dask->set(n, out[n]);
  dask->set("__version__", Value("0.1.0"));  // Tessera's version (project(Tessera VERSION ...) in CMakeLists.txt)
  out["dask"] = RValue(dask);
  auto dist = std::make_shared<Namespace>("distributed", "dask.distributed: Client (the REPL's own client)");
  dist->set("Client", out["Client"]);
  dist->set("LocalCluster", out["LocalCluster"]);
  out["distributed"] = RValue(dist);
  auto json = std::make_shared<Namespace>("json", "json.loads: the registered json_loads (runs on workers)");
  json->set("loads", RValue(std::make_shared<RegisteredFunction>("json_loads")));
  out["json"] = RValue(json);

  auto b = std::make_shared<Namespace>("builtins", "Python's builtins that the REPL has");
  for (const char* name : {"abs", "str", "int", "float", "bool", "min", "max", "sum", "round", "sorted", "list"}) {
    std::string n = name;
    b->def(n + "(*args)", "Python's " + n + " on plain values", [n](Interpreter&, const RValue&, Bound& a) -> RValue {
      ValueList args;
      for (const auto& x : a.rest()) args.push_back(numpy_scalar(plain(x, n + "() argument")));
      return expr::call_builtin(n, args);
    });
  }
  b->def("range(*args)", "range(stop) or range(start, stop[, step]): a list of ints",
         [](Interpreter&, const RValue&, Bound& a) -> RValue {
           ValueList args;
           for (const auto& x : a.rest()) args.push_back(plain(x, "range() argument"));
           return expr::call_builtin("range", args);
         });
  b->def("len(x)", "the length of a list, str, dict, array (first axis) or dataframe (rows; computes)",
         [](Interpreter& i, const RValue&, Bound& a) -> RValue { return builtin_len(i, a["x"]); });
  b->def("print(*args)", "prints its arguments separated by spaces",
         [](Interpreter& in, const RValue&, Bound& a) -> RValue {
           std::string line;
           for (std::size_t i = 0; i < a.rest().size(); ++i) {
             const auto& x = a.rest()[i];
             if (i) line += " ";
             line += !x.obj && x.value.kind() == ValueKind::string ? x.value.as_string() : render(x);
           }
           in.output() << line << std::endl;
           return Value();
         });
  b->def("type(x)", "the name of x's type", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return Value(type_name(a["x"]));
  });
  for (const auto& [k, v] : b->members()) out[k] = v;
  out["builtins"] = RValue(b);

  // Every type with methods, for %help.
  auto& types = Interpreter::types();
  if (types.empty())
    types = {&array_type(), &bag_type(), &item_type(), &dataframe_type(), &series_type(), &scalar_type(),
             &groupby_type(), &series_groupby_type(), &str_accessor_type(), &dt_accessor_type(), &delayed_type(),
             &future_type(), &client_type()};
}

}  // namespace tessera::repl

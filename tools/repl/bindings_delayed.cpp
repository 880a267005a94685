// `delayed`, `compute`, futures and `client` (dask.delayed and
// dask.distributed.Client). Functions are registered ones (they run on any
// worker) or lambdas, which become expr.call tasks carrying their tree.
#include "runtime/expr/lambda_expr.hpp"
#include "tools/repl/cluster.hpp"
#include "tools/repl/collection_objects.hpp"
#include "tools/repl/printer.hpp"

namespace tessera::repl {
namespace {

RValue wrap(Delayed<Value> d) { return RValue(std::make_shared<DelayedObject>(std::move(d))); }
RValue wrap(Future<Value> f) { return RValue(std::make_shared<FutureObject>(std::move(f))); }

Arg graph_arg(const RValue& v, GraphArgs& g) {
  if (auto* d = v.as<DelayedObject>()) return d->d.to_graph_arg(g);
  if (auto* f = v.as<FutureObject>()) return f->f.to_graph_arg(g);
  if (auto* l = v.as<ListObject>()) {
    ArgList list;
    g.token.add(std::string_view("\x02list")).add(static_cast<std::int64_t>(l->items.size()));
    for (const auto& x : l->items) list.push_back(graph_arg(x, g));
    return Arg(std::move(list));
  }
  if (v.obj)
    throw TypeError("a " + type_name(v) + " cannot be an argument of a delayed call or a submit: pass delayed values, "
                    "futures or plain values (compute a collection first)");
  g.token.add(v.value);
  return Arg(v.value);
}

/// fn(*args) as one task: its key is "<name>-<token of the call>" (pure) or fresh.
Delayed<Value> delayed_call(Interpreter& in, const RValue& fn, const std::vector<RValue>& args, bool pure,
                            std::string name = {}) {
  FunctionPtr f;
  ArgList list;
  GraphArgs g;
  if (auto* r = fn.as<RegisteredFunction>()) {
    f = Registry::global().get(r->name());
    if (name.empty()) name = r->name();
  } else if (auto* l = fn.as<LambdaObject>()) {
    if (l->params().size() != args.size())
      throw TypeError("the lambda takes " + std::to_string(l->params().size()) + " argument(s), " +
                      std::to_string(args.size()) + " given");
    f = Registry::global().get("expr.call");
    Value tree = in.compile_lambda(*l);
    g.token.add(tree);
    list.push_back(Arg(tree));
    if (name.empty()) name = "lambda";
  } else {
    throw TypeError("delayed/submit need a registered function or a lambda, not " + type_name(fn));
  }
  g.token.add(std::string_view(f->name));
  for (const auto& a : args) list.push_back(graph_arg(a, g));
  Key key(name + "-" + (pure ? g.token.hex() : unique_token()));
  std::vector<TaskSpec> tasks{TaskSpec{key, f, std::move(list)}};
  auto layer = std::make_shared<Layer>(std::string(key.name()), std::move(tasks), std::move(g.layers));
  layer->keep_alive = std::move(g.keep_alive);
  return Delayed<Value>(std::move(key), std::move(layer));
}

/// delayed(f): calling it builds a task.
class DelayedFunction final : public Object {
 public:
  DelayedFunction(RValue fn, bool pure, std::string name) : fn_(std::move(fn)), pure_(pure), name_(std::move(name)) {}
  const TypeInfo& type() const override {
    static const TypeInfo t{"delayed_function", "a function whose calls are lazy: delayed(f)(x) is a Delayed", {}};
    return t;
  }
  std::string repr() const override { return "delayed(" + render_inline(fn_) + ")"; }
  bool callable() const override { return true; }
  RValue call(Interpreter& in, CallArgs args) const override {
    if (!args.keywords.empty()) throw TypeError("delayed calls take positional arguments only");
    return wrap(delayed_call(in, fn_, args.positional, pure_, name_));
  }

 private:
  RValue fn_;
  bool pure_;
  std::string name_;
};

std::vector<Future<Value>> futures_of(const RValue& v, const std::string& what) {
  std::vector<Future<Value>> out;
  if (auto* f = v.as<FutureObject>()) return {f->f};
  auto* l = v.as<ListObject>();
  if (!l) throw TypeError(what + " must be a future or a list of futures, not " + type_name(v));
  for (const auto& x : l->items) {
    auto* f = x.as<FutureObject>();
    if (!f) throw TypeError(what + " must be a list of futures; it holds a " + type_name(x));
    out.push_back(f->f);
  }
  return out;
}

Value gather(Interpreter& in, const std::vector<Future<Value>>& fs) {
  std::vector<Key> keys;
  for (const auto& f : fs) keys.push_back(f.key());
  if (!fs.empty()) wait_interruptibly(*fs.front().core(), keys);
  return Value(in.client().gather(fs));
}

Value infos_to_value(const SchedulerInfo& info) {
  ValueDict out;
  ValueList workers;
  for (const auto& w : info.workers) {
    ValueDict d;
    d["name"] = Value(w.name);
    d["nthreads"] = Value(static_cast<std::int64_t>(w.nthreads));
    d["processing"] = Value(static_cast<std::int64_t>(w.processing));
    d["keys_in_memory"] = Value(static_cast<std::int64_t>(w.keys_in_memory));
    d["bytes_in_memory"] = Value(static_cast<std::int64_t>(w.bytes_in_memory));
    workers.emplace_back(std::move(d));
  }
  out["workers"] = Value(std::move(workers));
  ValueDict tasks;
  tasks["total"] = Value(static_cast<std::int64_t>(info.tasks_total));
  tasks["waiting"] = Value(static_cast<std::int64_t>(info.tasks_waiting));
  tasks["queued"] = Value(static_cast<std::int64_t>(info.tasks_queued));
  tasks["processing"] = Value(static_cast<std::int64_t>(info.tasks_processing));
  tasks["memory"] = Value(static_cast<std::int64_t>(info.tasks_memory));
  tasks["erred"] = Value(static_cast<std::int64_t>(info.tasks_erred));
  tasks["released"] = Value(static_cast<std::int64_t>(info.tasks_released));
  out["tasks"] = Value(std::move(tasks));
  out["clients"] = Value(static_cast<std::int64_t>(info.clients));
  return Value(std::move(out));
}

template <class Map>
Value map_to_value(const Map& m) {
  ValueDict out;
  for (const auto& [k, v] : m) out[k] = to_value(v);
  return Value(std::move(out));
}

TypeInfo make_delayed_type() {
  TypeInfo t{"dask.delayed.Delayed", "a lazy value: one task and its dependencies", {}};
  auto d_of = [](const RValue& v) -> const Delayed<Value>& { return v.as<DelayedObject>()->d; };
  add_graph_methods(
      t, [d_of](const RValue& v) { return std::make_pair(d_of(v).layer(), std::vector<Key>{d_of(v).key()}); },
      [d_of](const RValue& v, LayerPtr layer) -> RValue { return wrap(Delayed<Value>(d_of(v).key(), std::move(layer))); });
  t.add(Method("key", "its task's key", [d_of](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(d_of(s).key().str());
  }, true));
  return t;
}

TypeInfo make_future_type() {
  TypeInfo t{"distributed.Future", "a result on the cluster (from client.submit / map / compute / scatter)", {}};
  auto f_of = [](const RValue& v) -> const Future<Value>& { return v.as<FutureObject>()->f; };
  t.add(Method("result(timeout=None)", "waits for the value and fetches it (Ctrl-C cancels the wait and the task)",
               [f_of](Interpreter&, const RValue& s, Bound& a) -> RValue {
                 const auto& f = f_of(s);
                 if (a.given("timeout")) return f.result(std::chrono::duration<double>(a.number("timeout")));
                 wait_interruptibly(*f.core(), {f.key()});
                 return f.result();
               }));
  t.add(Method("status", "pending, finished, error or cancelled", [f_of](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(f_of(s).status());
  }, true));
  t.add(Method("key", "its key", [f_of](Interpreter&, const RValue& s, Bound&) -> RValue { return Value(f_of(s).key().str()); }, true));
  t.add(Method("done()", "finished, erred or cancelled", [f_of](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(f_of(s).done());
  }));
  t.add(Method("cancel()", "cancels it on the cluster", [f_of](Interpreter&, const RValue& s, Bound&) -> RValue {
    f_of(s).cancel();
    return Value();
  }));
  t.add(Method("exception()", "the error message of an erred or cancelled future (None otherwise)",
               [f_of](Interpreter&, const RValue& s, Bound&) -> RValue {
                 const auto& f = f_of(s);
                 wait_interruptibly(*f.core(), {f.key()});
                 auto e = f.exception();
                 if (!e) return Value();
                 try {
                   std::rethrow_exception(e);
                 } catch (const std::exception& x) {
                   return Value(std::string(x.what()));
                 }
               }));
  return t;
}

TypeInfo make_client_type() {
  TypeInfo t{"distributed.Client", "the REPL's connection to the cluster (the name `client`)", {}};
  t.add(Method("submit(func, *args, pure=True)", "func(*args) on the cluster: a future",
               [](Interpreter& in, const RValue&, Bound& a) -> RValue {
                 return wrap(in.client().compute(delayed_call(in, a["func"], a.rest(), a.boolean("pure"))));
               }));
  t.add(Method("map(func, *iterables, pure=True)", "func(x) for each x (several iterables: func(x, y, ...)): a list of futures",
               [](Interpreter& in, const RValue&, Bound& a) -> RValue {
                 if (a.rest().empty()) throw TypeError("map() needs at least one iterable");
                 std::vector<std::vector<RValue>> columns;
                 for (const auto& it : a.rest()) {
                   std::vector<RValue> items;
                   if (auto* l = it.as<ListObject>()) items = l->items;
                   else
                     for (const auto& x : plain(it, "map's iterable").as_list()) items.emplace_back(x);
                   columns.push_back(std::move(items));
                 }
                 std::vector<RValue> out;
                 for (std::size_t i = 0; i < columns[0].size(); ++i) {
                   std::vector<RValue> args;
                   for (const auto& c : columns) {
                     if (i >= c.size()) break;
                     args.push_back(c[i]);
                   }
                   if (args.size() != columns.size()) break;
                   out.push_back(wrap(in.client().compute(delayed_call(in, a["func"], args, a.boolean("pure")))));
                 }
                 return RValue(std::make_shared<ListObject>(std::move(out), false));
               }));
  t.add(Method("gather(futures)", "the values of a future or a list of futures (waits; Ctrl-C cancels)",
               [](Interpreter& in, const RValue&, Bound& a) -> RValue {
                 if (auto* f = a["futures"].as<FutureObject>()) return gather(in, {f->f}).as_list()[0];
                 return gather(in, futures_of(a["futures"], "gather(futures)"));
               }));
  t.add(Method("compute(x)", "a delayed value (or a list of them) submitted: future(s)",
               [](Interpreter& in, const RValue&, Bound& a) -> RValue {
                 auto one = [&](const RValue& v) -> RValue {
                   auto* d = v.as<DelayedObject>();
                   if (!d) throw TypeError("client.compute takes delayed values, not " + type_name(v) +
                                           " (collections: use .compute() or .persist())");
                   return wrap(in.client().compute(d->d));
                 };
                 if (auto* l = a["x"].as<ListObject>()) {
                   std::vector<RValue> out;
                   for (const auto& x : l->items) out.push_back(one(x));
                   return RValue(std::make_shared<ListObject>(std::move(out), false));
                 }
                 return one(a["x"]);
               }));
  t.add(Method("persist(x)", "x.persist(): computed on the cluster and kept there",
               [](Interpreter& in, const RValue&, Bound& a) -> RValue {
                 return in.call(in.attribute(a["x"], "persist"), {});
               }));
  t.add(Method("scatter(data, broadcast=False)", "data placed on a worker: a future", [](Interpreter& in, const RValue&, Bound& a) -> RValue {
    return wrap(in.client().scatter(plain(a["data"], "scatter(data)"), ScatterOptions{.broadcast = a.boolean("broadcast")}));
  }));
  t.add(Method("cancel(futures)", "cancels futures on the cluster", [](Interpreter& in, const RValue&, Bound& a) -> RValue {
    in.client().cancel(futures_of(a["futures"], "cancel(futures)"));
    return Value();
  }));
  t.add(Method("who_has()", "key -> workers holding it", [](Interpreter& in, const RValue&, Bound&) -> RValue {
    return map_to_value(in.client().who_has());
  }));
  t.add(Method("has_what()", "worker -> keys it holds", [](Interpreter& in, const RValue&, Bound&) -> RValue {
    return map_to_value(in.client().has_what());
  }));
  t.add(Method("nthreads()", "worker -> task threads", [](Interpreter& in, const RValue&, Bound&) -> RValue {
    return map_to_value(in.client().nthreads());
  }));
  t.add(Method("scheduler_info()", "workers and tasks by state", [](Interpreter& in, const RValue&, Bound&) -> RValue {
    return infos_to_value(in.client().scheduler_info());
  }));
  t.add(Method("restart()", "forgets every task and value on the cluster (workers stay)",
               [](Interpreter& in, const RValue&, Bound&) -> RValue {
                 in.client().restart();
                 return Value();
               }));
  t.add(Method("wait_for_workers(n_workers, timeout=None)", "waits until n workers are there",
               [](Interpreter& in, const RValue&, Bound& a) -> RValue {
                 std::optional<std::chrono::duration<double>> timeout;
                 if (a.given("timeout")) timeout = std::chrono::duration<double>(a.number("timeout"));
                 in.client().wait_for_workers(static_cast<std::size_t>(a.integer("n_workers")), timeout);
                 return Value();
               }));
  t.add(Method("list_datasets()", "the published datasets' names", [](Interpreter& in, const RValue&, Bound&) -> RValue {
    ValueList out;
    for (auto& n : in.client().list_datasets()) out.emplace_back(n);
    return Value(std::move(out));
  }));
  t.add(Method("dashboard_link", "the dashboard's address (None without one)", [](Interpreter& in, const RValue&, Bound&) -> RValue {
    return in.cluster().dashboard.empty() ? Value() : Value(in.cluster().dashboard);
  }, true));
  t.add(Method("scheduler", "the scheduler's address", [](Interpreter& in, const RValue&, Bound&) -> RValue {
    return Value(in.cluster().scheduler_address);
  }, true));
  return t;
}

}  // namespace

const TypeInfo& delayed_type() {
  static const TypeInfo t = make_delayed_type();
  return t;
}
const TypeInfo& future_type() {
  static const TypeInfo t = make_future_type();
  return t;
}
const TypeInfo& client_type() {
  static const TypeInfo t = make_client_type();
  return t;
}

std::string FutureObject::repr() const { return "<Future: " + f.status() + ", key: " + f.key().str() + ">"; }

std::string ClientObject::repr() const {
  if (!in) return "<Client>";
  auto info = in->client().scheduler_info();
  std::size_t threads = 0;
  for (const auto& w : info.workers) threads += w.nthreads;
  return "<Client: scheduler " + in->cluster().scheduler_address + ", " + std::to_string(info.workers.size()) +
         " workers, " + std::to_string(threads) + " threads" +
         (in->cluster().dashboard.empty() ? "" : ", dashboard " + in->cluster().dashboard) + ">";
}

void install_delayed_and_client(Interpreter& in, std::map<std::string, RValue>& out) {
  auto ns = std::make_shared<Namespace>("delayed", "dask.delayed");
  ns->def("delayed(obj, pure=True, name=None)",
          "a function (registered, or a lambda) whose calls are lazy, or a value as a Delayed",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            const auto& obj = a["obj"];
            std::string name = a.given("name") ? a.string("name") : "";
            if (obj.as<RegisteredFunction>() || obj.as<LambdaObject>())
              return RValue(std::make_shared<DelayedFunction>(obj, a.boolean("pure"), name));
            if (auto* d = obj.as<DelayedObject>()) return RValue(std::make_shared<DelayedObject>(*d));
            return wrap(delayed_value(plain(obj, "delayed(obj)"), name.empty() ? "literal" : name));
          });
  ns->def("compute(*args)", "computes several collections or delayed values: a list of results",
          [](Interpreter& i, const RValue&, Bound& a) -> RValue {
            ValueList out;
            for (const auto& x : a.rest()) {
              auto v = compute_object(i, x);
              out.push_back(v ? *v : plain(x, "compute's argument"));
            }
            return Value(std::move(out));
          });
  out["delayed"] = ns->attribute("delayed").value();
  out["compute"] = ns->attribute("compute").value();
  auto client = std::make_shared<ClientObject>();
  client->in = &in;
  out["client"] = RValue(client);
  auto ctor = std::make_shared<Namespace>("distributed", "");
  ctor->def("Client(address=None, n_workers=None, threads_per_worker=None, memory_limit=None)",
            "the REPL's client (it is connected already; `tessera repl ADDRESS` picks the scheduler, "
            "`tessera repl --workers N --threads T` the size of an in-process cluster)",
            [client](Interpreter& i, const RValue&, Bound& a) -> RValue {
              if (a["address"].as<ClientObject>()) return RValue(client);  // Client(LocalCluster(...))
              if (a.given("address") && a.string("address") != i.cluster().scheduler_address)
                throw ValueError("this REPL is connected to " + i.cluster().scheduler_address + "; to use " +
                                 a.string("address") + " start `tessera repl " + a.string("address") + "`");
              // Dask's LocalCluster arguments: the REPL's cluster is running already; say so when it differs.
              auto info = i.client().scheduler_info();
              auto workers = static_cast<std::int64_t>(info.workers.size());
              auto threads = info.workers.empty() ? std::int64_t{0} : static_cast<std::int64_t>(info.workers[0].nthreads);
              auto n = a.opt_integer("n_workers"), t = a.opt_integer("threads_per_worker");
              if ((n && *n != workers) || (t && *t != threads) || a.given("memory_limit"))
                i.output() << "note: the REPL's cluster is running already (" << workers << " worker"
                           << (workers == 1 ? "" : "s") << " of " << threads << " thread" << (threads == 1 ? "" : "s")
                           << "); Client(...) returns its client. For another size start `tessera "
                              "repl --workers N --threads T` (worker memory limits: `tessera worker --memory-limit`)"
                           << std::endl;
              return RValue(client);
            });
  out["Client"] = ctor->attribute("Client").value();
  ctor->def("LocalCluster(n_workers=None, threads_per_worker=None, memory_limit=None)",
            "the REPL's cluster (running already): Client(LocalCluster()) is the REPL's client",
            [](Interpreter& i, const RValue&, Bound& a) -> RValue {
              CallArgs args;
              for (const char* k : {"n_workers", "threads_per_worker", "memory_limit"})
                if (a.given(k)) args.keywords.emplace_back(k, a[k]);
              return i.call(i.builtins().at("Client"), std::move(args));
            });
  out["LocalCluster"] = ctor->attribute("LocalCluster").value();
}

}  // namespace tessera::repl

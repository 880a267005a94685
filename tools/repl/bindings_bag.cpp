// `bag` (alias `db`): dask.bag's verbs over tessera::bag. A lambda becomes
// an expression tree (runtime/expr) that travels in the tasks: map and
// filter run it through the registered expr.* functions, every other verb
// (fold, reduction, foldby, map_partitions, starmap, keys) hands it to the
// bag as BagFunction::expression. Either way it runs on remote workers.
#include "collections/bag/read_text.hpp"
#include "tools/repl/collection_objects.hpp"

namespace tessera::repl {
namespace {

namespace db = tessera::bag;

RValue wrap(db::Bag b) { return RValue(std::make_shared<BagObject>(std::move(b))); }
RValue wrap_item(db::Item i) { return RValue(std::make_shared<ItemObject>(std::move(i))); }
const db::Bag& bag_of(const RValue& v) { return v.as<BagObject>()->b; }

/// For `lambda r: r[K]` (K a literal): K, so that the bag can use x[K] directly.
std::optional<Value> item_key_of(Interpreter& in, const RValue& f) {
  auto* l = f.as<LambdaObject>();
  if (!l || l->params().size() != 1) return std::nullopt;
  Value tree = in.compile_lambda(*l);
  const auto& n = tree.as_list();
  if (n[0].as_string() != "item") return std::nullopt;
  const auto& x = n[1].as_list();
  const auto& k = n[2].as_list();
  if (x[0].as_string() != "arg" || k[0].as_string() != "const") return std::nullopt;
  return k[1];
}

db::BagFunction function_of(Interpreter& in, const RValue& f, const std::string& what) {
  if (auto* l = f.as<LambdaObject>()) return db::BagFunction::expression(in.compile_lambda(*l));
  return db::BagFunction(bag_callable(in, f, what));
}

std::size_t split_every(const Bound& a) { return static_cast<std::size_t>(a.integer("split_every")); }

db::GroupKey group_key_of(Interpreter& in, const RValue& f) {
  if (auto k = item_key_of(in, f)) return db::GroupKey(*k);
  if (!f.obj && f.value.kind() != ValueKind::string) return db::GroupKey(f.value);
  if (!f.obj) return db::GroupKey(f.value);  // a string: a dict key, as dask.bag
  return db::GroupKey(function_of(in, f, "key"));
}

TypeInfo make_bag_type() {
  TypeInfo t{"dask.bag.Bag", "a partitioned collection of Python-like values (lazy; .compute() gives a list)", {}};
  add_graph_methods(
      t, [](const RValue& v) { return std::make_pair(bag_of(v).layer(), bag_of(v).keys()); },
      [](const RValue& v, LayerPtr layer) -> RValue {
        return wrap(db::Bag(bag_of(v).name(), std::move(layer), bag_of(v).npartitions()));
      });
  t.add(Method("npartitions", "the number of partitions", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(bag_of(s).npartitions());
  }, true));
  t.add(Method("name", "the graph name of its partitions", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(bag_of(s).name());
  }, true));
  t.add(Method("map(func, *args)", "func(x, *args) for each element (a lambda runs on any worker)",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 ValueList extra;
                 for (const auto& x : a.rest()) extra.push_back(plain(x, "map's extra argument"));
                 if (auto* l = a["func"].as<LambdaObject>()) {
                   if (l->params().size() != 1 + extra.size())
                     throw TypeError("map: the lambda takes " + std::to_string(l->params().size()) + " argument(s), " +
                                     std::to_string(1 + extra.size()) + " would be given");
                   if (extra.empty()) return wrap(bag_of(s).map(db::BagFunction("expr.apply"), {in.compile_lambda(*l)}));
                 }
                 return wrap(bag_of(s).map(function_of(in, a["func"], "map(func)"), extra));
               }));
  t.add(Method("filter(predicate)", "the elements for which predicate(x) is true (a lambda runs on any worker)",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 if (auto* l = a["predicate"].as<LambdaObject>()) {
                   if (l->params().size() != 1) throw TypeError("filter: the lambda must take one argument");
                   return wrap(bag_of(s).map(db::BagFunction("expr.keep"), {in.compile_lambda(*l)}).flatten());
                 }
                 return wrap(bag_of(s).filter(function_of(in, a["predicate"], "filter(predicate)")));
               }));
  t.add(Method("map_partitions(func)", "func(partition) for each partition (a list in, a list out)",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 return wrap(bag_of(s).map_partitions(function_of(in, a["func"], "map_partitions(func)")));
               }));
  t.add(Method("starmap(func)", "func(*x) for each element x (a list of arguments)",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 return wrap(bag_of(s).starmap(function_of(in, a["func"], "starmap(func)")));
               }));
  t.add(Method("flatten()", "the elements of the elements (lists)", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return wrap(bag_of(s).flatten());
  }));
  t.add(Method("pluck(key, default=no_default)",
               "x[key] for each element (a dict key or a list index); a missing key gives default when one is "
               "given (None too), else a KeyError naming the key",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue {
                 if (a.passed("default")) return wrap(bag_of(s).pluck(a.value("key"), a.value("default")));
                 return wrap(bag_of(s).pluck(a.value("key")));
               }));
  struct R {
    const char* name;
    db::Item (db::Bag::*fn)(std::size_t) const;
  };
  for (R r : {R{"count", &db::Bag::count}, R{"sum", &db::Bag::sum}, R{"min", &db::Bag::min}, R{"max", &db::Bag::max},
              R{"mean", &db::Bag::mean}, R{"any", &db::Bag::any}, R{"all", &db::Bag::all}}) {
    std::string n = r.name;
    t.add(Method(n + "(split_every=8)", "the " + n + " of the elements (an Item)",
                 [r](Interpreter&, const RValue& s, Bound& a) -> RValue { return wrap_item((bag_of(s).*r.fn)(split_every(a))); }));
  }
  t.add(Method("var(ddof=0, split_every=8)", "the variance of the elements", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    return wrap_item(bag_of(s).var(a.integer("ddof"), split_every(a)));
  }));
  t.add(Method("std(ddof=0, split_every=8)", "the standard deviation of the elements",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue {
                 return wrap_item(bag_of(s).std(a.integer("ddof"), split_every(a)));
               }));
  t.add(Method("frequencies(sort=False, split_every=8)", "[[value, count], ...]: by count when sort",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue {
                 return wrap(bag_of(s).frequencies(a.boolean("sort"), split_every(a)));
               }));
  t.add(Method("topk(k, key=None, split_every=8)",
               "the k largest elements, largest first (by key(x) when given: a lambda, a registered function, or an "
               "index/dict key)",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 const auto& b = bag_of(s);
                 auto k = a.integer("k");
                 auto se = split_every(a);
                 const RValue& key = a["key"];
                 if (key.is_none()) return wrap(b.topk(k, std::nullopt, se));
                 if (auto item = item_key_of(in, key)) return wrap(b.topk(k, *item, se));
                 if (!key.obj) return wrap(b.topk(k, key.value, se));
                 if (auto* l = key.as<LambdaObject>()) {
                   // [key(x), x] pairs, the k largest by their first item, then x.
                   auto keyed = b.map(db::BagFunction("expr.keyed"), {in.compile_lambda(*l)});
                   return wrap(keyed.topk(k, Value(std::int64_t{0}), se).pluck(Value(std::int64_t{1})));
                 }
                 return wrap(b.topk(k, function_of(in, key, "topk(key)"), se));
               }));
  t.add(Method("distinct(split_every=8)", "the distinct elements, in first-seen order",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue { return wrap(bag_of(s).distinct(split_every(a))); }));
  t.add(Method("fold(binop, combine=None, initial=no_default, split_every=8)",
               "folds each partition with binop, then the partials with combine (lambdas run on any worker)",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 std::optional<db::BagFunction> combine;
                 if (a.given("combine")) combine = function_of(in, a["combine"], "fold(combine)");
                 std::optional<Value> initial;
                 if (a.passed("initial")) initial = a.value("initial");
                 return wrap_item(bag_of(s).fold(function_of(in, a["binop"], "fold(binop)"), combine, initial, split_every(a)));
               }));
  t.add(Method("reduction(perpartition, aggregate, split_every=8)",
               "perpartition(list) per partition, then aggregate(list of results) over a tree",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 return wrap_item(bag_of(s).reduction(function_of(in, a["perpartition"], "reduction(perpartition)"),
                                                      function_of(in, a["aggregate"], "reduction(aggregate)"), split_every(a)));
               }));
  t.add(Method("foldby(key, binop, initial=no_default, combine=None, combine_initial=no_default, split_every=8)",
               "per key(x): acc = binop(acc, x); partials merged with combine",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 std::optional<Value> initial, combine_initial;
                 if (a.passed("initial")) initial = a.value("initial");
                 if (a.passed("combine_initial")) combine_initial = a.value("combine_initial");
                 std::optional<db::BagFunction> combine;
                 if (a.given("combine")) combine = function_of(in, a["combine"], "foldby(combine)");
                 return wrap(bag_of(s).foldby(group_key_of(in, a["key"]), function_of(in, a["binop"], "foldby(binop)"),
                                              initial, combine, combine_initial, split_every(a)));
               }));
  t.add(Method("groupby(key, npartitions=None)", "[key, [x, ...]] per distinct key(x), by a shuffle",
               [](Interpreter& in, const RValue& s, Bound& a) -> RValue {
                 return wrap(bag_of(s).groupby(group_key_of(in, a["key"]), a.opt_integer("npartitions").value_or(0)));
               }));
  t.add(Method("product(other)", "[x, y] for each x here and y in other", [](Interpreter&, const RValue& s, Bound& a) -> RValue {
    auto* o = a["other"].as<BagObject>();
    if (!o) a.type_error("other", "a bag");
    return wrap(bag_of(s).product(o->b));
  }));
  t.add(Method("repartition(npartitions)", "the same elements in npartitions partitions",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue { return wrap(bag_of(s).repartition(a.integer("npartitions"))); }));
  t.add(Method("take(k=5)", "the first k elements (computes only the partitions it needs)",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue { return Value(bag_of(s).take(a.integer("k"))); }));
  t.add(Method("to_textfiles(path)", "writes partition i to path with '*' replaced by i; returns the file names",
               [](Interpreter&, const RValue& s, Bound& a) -> RValue {
                 ValueList out;
                 for (auto& f : bag_of(s).to_textfiles(a.string("path"))) out.emplace_back(f);
                 return Value(std::move(out));
               }));
  t.add(Method("str", "string methods: .str.lower(), upper(), strip(chars=''), split(sep='', maxsplit=-1), match(pattern)",
               [](Interpreter&, const RValue& s, Bound&) -> RValue {
                 auto ns = std::make_shared<Namespace>("bag.str", "string methods of a bag's elements");
                 db::Bag b = bag_of(s);
                 ns->def("lower()", "lower case", [b](Interpreter&, const RValue&, Bound&) -> RValue { return wrap(b.str_lower()); });
                 ns->def("upper()", "upper case", [b](Interpreter&, const RValue&, Bound&) -> RValue { return wrap(b.str_upper()); });
                 ns->def("strip(chars='')", "without leading and trailing chars (whitespace)",
                         [b](Interpreter&, const RValue&, Bound& a) -> RValue { return wrap(b.str_strip(a.string("chars"))); });
                 ns->def("split(sep='', maxsplit=-1)", "Python's str.split",
                         [b](Interpreter&, const RValue&, Bound& a) -> RValue {
                           std::string sep = a.given("sep") ? a.string("sep") : "";
                           return wrap(b.str_split(sep, a.integer("maxsplit")));
                         });
                 ns->def("match(pattern)", "the strings matching a glob pattern",
                         [b](Interpreter&, const RValue&, Bound& a) -> RValue { return wrap(b.str_match(a.string("pattern"))); });
                 return RValue(ns);
               }, true));
  return t;
}

TypeInfo make_item_type() {
  TypeInfo t{"dask.bag.Item", "one value computed from a bag (count, sum, ...)", {}};
  add_graph_methods(
      t,
      [](const RValue& v) {
        const auto& i = v.as<ItemObject>()->item;
        return std::make_pair(i.layer(), std::vector<Key>{i.key()});
      },
      [](const RValue& v, LayerPtr layer) -> RValue { return wrap_item(db::Item(v.as<ItemObject>()->item.key(), std::move(layer))); });
  t.add(Method("key", "the key of its value", [](Interpreter&, const RValue& s, Bound&) -> RValue {
    return Value(s.as<ItemObject>()->item.key().str());
  }, true));
  return t;
}

}  // namespace

const TypeInfo& bag_type() {
  static const TypeInfo t = make_bag_type();
  return t;
}
const TypeInfo& item_type() {
  static const TypeInfo t = make_item_type();
  return t;
}

std::string BagObject::repr() const {
  return "dask.bag<" + b.name() + ", npartitions=" + std::to_string(b.npartitions()) + ">";
}
std::string ItemObject::repr() const { return "dask.bag.Item<" + item.key().str() + ">"; }

RValue make_bag_namespace(Interpreter&) {
  auto ns = std::make_shared<Namespace>("bag", "dask.bag: partitioned collections of values (alias db)");
  ns->def("from_sequence(seq, npartitions=None, partition_size=None)", "a bag of the given elements",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            Value seq = plain(a["seq"], "from_sequence(seq)");
            if (seq.kind() != ValueKind::list) a.type_error("seq", "a list");
            db::SequenceOptions o;
            o.npartitions = a.opt_integer("npartitions").value_or(0);
            o.partition_size = a.opt_integer("partition_size").value_or(0);
            return wrap(db::from_sequence(seq.as_list(), o));
          });
  ns->def("range(n, npartitions)", "the integers 0..n-1", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(db::range(a.integer("n"), a.integer("npartitions")));
  });
  ns->def("read_text(urlpath, blocksize=None)", "the lines of the files matching a path or glob (or a list of them); .gz too",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            db::ReadTextOptions o;
            o.blocksize = a.opt_integer("blocksize").value_or(0);
            const auto& p = a["urlpath"];
            if (!p.obj && p.value.kind() == ValueKind::string) return wrap(db::read_text(p.value.as_string(), o));
            return wrap(db::read_text(a.strings("urlpath"), o));
          });
  ns->def("from_delayed(values)", "a bag whose partitions are delayed values (each a list)",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            std::vector<Key> keys;
            std::vector<LayerPtr> layers;
            auto* l = a["values"].as<ListObject>();
            if (!l) a.type_error("values", "a list of delayed values");
            for (const auto& x : l->items) {
              auto* d = x.as<DelayedObject>();
              if (!d) a.type_error("values", "a list of delayed values");
              keys.push_back(d->d.key());
              layers.push_back(d->d.layer());
            }
            return wrap(db::from_delayed(keys, std::move(layers)));
          });
  return RValue(ns);
}

}  // namespace tessera::repl

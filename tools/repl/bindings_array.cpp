// `array` (alias `da`): dask.array's verbs over tessera::array.
#include <cmath>

#include "collections/array/file_source.hpp"
#include "collections/array/linalg.hpp"
#include "collections/array/random.hpp"
#include "collections/array/shape_ops.hpp"
#include "tools/repl/collection_objects.hpp"

namespace tessera::repl {
namespace {

namespace da = tessera::array;
namespace kernels = tessera::array::kernels;
using kernels::BinaryOp;

RValue wrap(da::Array a) { return RValue(std::make_shared<ArrayObject>(std::move(a))); }

const da::Array& array_of(const RValue& v, const std::string& what) {
  if (auto* a = v.as<ArrayObject>()) return a->a;
  throw TypeError(what + " must be a dask array, not " + type_name(v));
}

Shape shape_of(const Bound& b, const std::string& name) {
  const auto& v = b[name];
  if (!v.obj && v.value.kind() == ValueKind::int64) return {v.value.as_int()};
  return b.integers(name);
}

da::ChunkSpec chunks_of(const Bound& b, const std::string& name = "chunks") {
  const auto& r = b[name];
  if (r.obj) b.type_error(name, "'auto', an int, or a tuple of ints or of tuples");
  const Value& v = r.value;
  if (v.is_none() || (v.kind() == ValueKind::string && v.as_string() == "auto")) return da::ChunkSpec::automatic();
  if (v.kind() == ValueKind::int64) return da::ChunkSpec(v.as_int());
  if (v.kind() == ValueKind::list) {
    bool nested = false;
    for (const auto& x : v.as_list()) nested = nested || x.kind() == ValueKind::list;
    if (!nested) return da::ChunkSpec::per_axis(b.integers(name));
    da::Chunks c;
    for (const auto& axis : v.as_list()) {
      std::vector<std::int64_t> sizes;
      if (axis.kind() == ValueKind::int64) sizes.push_back(axis.as_int());
      else
        for (const auto& s : axis.as_list()) sizes.push_back(s.as_int());
      c.push_back(std::move(sizes));
    }
    return da::ChunkSpec(std::move(c));
  }
  b.type_error(name, "'auto', an int, or a tuple of ints or of tuples");
}

std::optional<DType> dtype_of(const Bound& b, const std::string& name = "dtype") {
  if (!b.given(name)) return std::nullopt;
  std::string s = b.string(name);
  if (s == "float") s = "float64";
  if (s == "int") s = "int64";
  return parse_dtype(s);
}

da::ReduceOptions reduce_options(const Bound& b) {
  da::ReduceOptions o;
  o.axis = b.opt_integer("axis");
  o.keepdims = b.boolean("keepdims");
  o.split_every = static_cast<std::size_t>(b.integer("split_every"));
  return o;
}

/// A nested list of numbers (or bools) as an NDArray: int64 when all are
/// ints, bool when all are bools, else float64.
NDArray ndarray_from(const Value& v) {
  if (v.kind() == ValueKind::ndarray) return v.as_ndarray();
  Shape shape;
  const Value* probe = &v;
  while (probe->kind() == ValueKind::list) {
    shape.push_back(static_cast<std::int64_t>(probe->as_list().size()));
    if (probe->as_list().empty()) break;
    probe = &probe->as_list()[0];
  }
  std::vector<Value> flat;
  std::function<void(const Value&, std::size_t)> walk = [&](const Value& x, std::size_t depth) {
    if (depth == shape.size()) {
      if (x.kind() == ValueKind::list) throw ValueError("from_array: the nested lists are ragged (not a rectangle)");
      flat.push_back(x);
      return;
    }
    if (x.kind() != ValueKind::list || static_cast<std::int64_t>(x.as_list().size()) != shape[depth])
      throw ValueError("from_array: the nested lists are ragged (not a rectangle)");
    for (const auto& e : x.as_list()) walk(e, depth + 1);
  };
  walk(v, 0);
  bool all_int = true, all_bool = true;
  for (const auto& x : flat) {
    if (x.kind() != ValueKind::int64 && x.kind() != ValueKind::float64 && x.kind() != ValueKind::boolean)
      throw TypeError("from_array: elements must be numbers or bools, not " + std::string(kind_name(x.kind())));
    all_int = all_int && x.kind() == ValueKind::int64;
    all_bool = all_bool && x.kind() == ValueKind::boolean;
  }
  DType t = flat.empty() ? DType::float64 : all_bool ? DType::boolean : all_int ? DType::int64 : DType::float64;
  auto buf = make_buffer(flat.size() * dtype_size(t));
  for (std::size_t i = 0; i < flat.size(); ++i) {
    if (t == DType::boolean) buf->mutable_as<bool>()[i] = flat[i].as_bool();
    else if (t == DType::int64) buf->mutable_as<std::int64_t>()[i] = flat[i].as_int();
    else buf->mutable_as<double>()[i] = flat[i].kind() == ValueKind::boolean ? flat[i].as_bool() : flat[i].as_float();
  }
  return NDArray(t, shape, buf);
}

std::optional<BinaryOp> binary_of(const std::string& op) {
  static const std::map<std::string, BinaryOp> ops = {
      {"+", BinaryOp::add}, {"-", BinaryOp::sub}, {"*", BinaryOp::mul},       {"/", BinaryOp::div},
      {"<", BinaryOp::lt},  {"<=", BinaryOp::le}, {">", BinaryOp::gt},        {">=", BinaryOp::ge},
      {"==", BinaryOp::eq}, {"!=", BinaryOp::ne}, {"//", BinaryOp::floordiv}, {"%", BinaryOp::mod},
      {"**", BinaryOp::pow}, {"&", BinaryOp::logical_and}, {"|", BinaryOp::logical_or}, {"^", BinaryOp::logical_xor}};
  auto it = ops.find(op);
  if (it == ops.end()) return std::nullopt;
  return it->second;
}

RValue elementwise2(BinaryOp op, const RValue& x, const RValue& y, const std::string& fname) {
  auto* a = x.as<ArrayObject>();
  auto* b = y.as<ArrayObject>();
  if (a && b) return wrap(da::elementwise(op, a->a, b->a));
  auto scalar = [&](const RValue& s) {
    if (s.obj || (s.value.kind() != ValueKind::int64 && s.value.kind() != ValueKind::float64 &&
                  s.value.kind() != ValueKind::boolean))
      throw TypeError(fname + ": an operand must be a dask array or a number, not " + type_name(s));
    return s.value;
  };
  if (a) return wrap(da::elementwise(op, a->a, scalar(y), false));
  if (b) return wrap(da::elementwise(op, b->a, scalar(x), true));
  throw TypeError(fname + ": one operand must be a dask array");
}

RValue unary_fn(kernels::UnaryOp op, const RValue& x, const std::string& fname) {
  return wrap(da::elementwise(op, array_of(x, fname + "(x)")));
}

std::vector<da::Array> arrays_of(Interpreter& in, const RValue& seq, const std::string& what) {
  std::vector<da::Array> out;
  if (auto* l = seq.as<ListObject>()) {
    for (const auto& x : l->items) out.push_back(array_of(x, what));
    return out;
  }
  (void)in;
  throw TypeError(what + " must be a list of dask arrays");
}

void add_reduction(TypeInfo& t, const std::string& name, da::Array (da::Array::*fn)(const da::ReduceOptions&) const,
                   bool ddof = false) {
  std::string sig = name + (ddof ? "(axis=None, keepdims=False, split_every=8, ddof=0)"
                                 : "(axis=None, keepdims=False, split_every=8)");
  t.add(Method(sig, "the " + name + " over an axis (None: every axis), as a tree of partial results",
               [fn, ddof](Interpreter&, const RValue& self, Bound& a) -> RValue {
                 auto o = reduce_options(a);
                 if (ddof) o.ddof = a.integer("ddof");
                 return wrap((self.as<ArrayObject>()->a.*fn)(o));
               }));
}

TypeInfo make_array_type() {
  TypeInfo t{"dask.array.Array", "a chunked n-dimensional array (lazy; .compute() gives a NumPy-like array)", {}};
  auto self_array = [](const RValue& v) -> const da::Array& { return v.as<ArrayObject>()->a; };
  add_graph_methods(
      t, [self_array](const RValue& v) { return std::make_pair(self_array(v).layer(), self_array(v).keys()); },
      [self_array](const RValue& v, LayerPtr layer) -> RValue {
        const auto& a = self_array(v);
        return wrap(da::Array(a.name(), std::move(layer), a.shape(), a.chunks(), a.dtype()));
      });
  auto prop = [&](const std::string& name, const std::string& doc, std::function<Value(const da::Array&)> f) {
    t.add(Method(name, doc, [f, self_array](Interpreter&, const RValue& self, Bound&) -> RValue {
      return f(self_array(self));
    }, true));
  };
  auto ints = [](const std::vector<std::int64_t>& v) {
    ValueList l;
    for (auto x : v) l.emplace_back(x);
    return Value(std::move(l));
  };
  prop("shape", "the extent of each axis", [ints](const da::Array& a) { return ints(a.shape()); });
  prop("chunks", "the block sizes along each axis", [ints](const da::Array& a) {
    ValueList l;
    for (const auto& axis : a.chunks()) l.push_back(ints(axis));
    return Value(std::move(l));
  });
  prop("numblocks", "blocks per axis", [ints](const da::Array& a) { return ints(a.numblocks()); });
  prop("npartitions", "the number of blocks", [](const da::Array& a) { return Value(static_cast<std::int64_t>(a.keys().size())); });
  prop("dtype", "the element type", [](const da::Array& a) { return Value(std::string(dtype_name(a.dtype()))); });
  prop("ndim", "the number of axes", [](const da::Array& a) { return Value(static_cast<std::int64_t>(a.ndim())); });
  prop("size", "the number of elements", [](const da::Array& a) { return Value(a.size()); });
  prop("nbytes", "bytes of the whole array", [](const da::Array& a) { return Value(a.nbytes()); });
  prop("name", "the graph name of its blocks", [](const da::Array& a) { return Value(a.name()); });
  t.add(Method("T", "the transpose (axes reversed)", [self_array](Interpreter&, const RValue& self, Bound&) -> RValue {
    return wrap(self_array(self).T());
  }, true));
  add_reduction(t, "sum", &da::Array::sum);
  add_reduction(t, "prod", &da::Array::prod);
  add_reduction(t, "min", &da::Array::min);
  add_reduction(t, "max", &da::Array::max);
  add_reduction(t, "mean", &da::Array::mean);
  add_reduction(t, "any", &da::Array::any);
  add_reduction(t, "all", &da::Array::all);
  add_reduction(t, "var", &da::Array::var, true);
  add_reduction(t, "std", &da::Array::std, true);
  add_reduction(t, "argmin", &da::Array::argmin);
  add_reduction(t, "argmax", &da::Array::argmax);
  add_reduction(t, "nansum", &da::Array::nansum);
  add_reduction(t, "nanmean", &da::Array::nanmean);
  t.add(Method("cumsum(axis)", "running sum along an axis", [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
    return wrap(self_array(self).cumsum(a.integer("axis")));
  }));
  t.add(Method("cumprod(axis)", "running product along an axis", [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
    return wrap(self_array(self).cumprod(a.integer("axis")));
  }));
  t.add(Method("astype(dtype)", "the elements converted to dtype ('float64', 'int64', 'float32', 'int32', 'uint8', 'bool')",
               [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
                 return wrap(self_array(self).astype(*dtype_of(a)));
               }));
  t.add(Method("rechunk(chunks='auto')", "the same array cut into other blocks",
               [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
                 return wrap(self_array(self).rechunk(chunks_of(a)));
               }));
  t.add(Method("transpose(*axes)", "axes reversed, or permuted as given",
               [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
                 std::vector<std::int64_t> axes;
                 for (const auto& x : a.rest()) axes.push_back(plain(x, "an axis").as_int());
                 return wrap(self_array(self).transpose(axes));
               }));
  t.add(Method("clip(min, max)", "the elements limited to [min, max]",
               [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
                 return wrap(da::clip(self_array(self), a.value("min"), a.value("max")));
               }));
  t.add(Method("dot(other)", "the matrix product", [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
    return wrap(da::dot(self_array(self), array_of(a["other"], "dot(other)")));
  }));
  t.add(Method("squeeze(*axes)", "drops axes of extent 1", [self_array](Interpreter&, const RValue& self, Bound& a) -> RValue {
    std::vector<std::int64_t> axes;
    for (const auto& x : a.rest()) axes.push_back(plain(x, "an axis").as_int());
    return wrap(da::squeeze(self_array(self), axes));
  }));
  return t;
}

}  // namespace

const TypeInfo& array_type() {
  static const TypeInfo t = make_array_type();
  return t;
}

std::string ArrayObject::repr() const {
  auto tuple = [](const std::vector<std::int64_t>& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + (v.size() == 1 ? ",)" : ")");
  };
  std::vector<std::int64_t> chunksize;
  for (const auto& axis : a.chunks()) chunksize.push_back(axis.empty() ? 0 : *std::max_element(axis.begin(), axis.end()));
  return "dask.array<" + a.name() + ", shape=" + tuple(a.shape()) + ", dtype=" + std::string(dtype_name(a.dtype())) +
         ", chunksize=" + tuple(chunksize) + ", chunktype=numpy.ndarray>";
}

std::optional<RValue> ArrayObject::binary(Interpreter&, const std::string& op, const RValue& other, bool reflected) const {
  if (op == "@") {  // the matrix product, with a dask array on the other side
    auto* o = other.as<ArrayObject>();
    if (!o) return std::nullopt;
    return wrap(reflected ? da::matmul(o->a, a) : da::matmul(a, o->a));
  }
  auto b = binary_of(op);
  if (!b) return std::nullopt;
  if (!other.obj && other.value.kind() == ValueKind::ndarray && other.value.as_ndarray().ndim() > 0) {
    // A computed (numpy) array, as in x - x.mean(axis=1).compute(): one block of its own, broadcast as numpy does.
    const auto& nd = other.value.as_ndarray();
    std::vector<std::int64_t> whole(nd.shape().begin(), nd.shape().end());
    da::Array o = da::from_array(nd, da::ChunkSpec::per_axis(whole));
    return wrap(reflected ? da::elementwise(*b, o, a) : da::elementwise(*b, a, o));
  }
  if (!other.as<ArrayObject>() && (other.obj || (other.value.kind() != ValueKind::int64 &&
                                                  other.value.kind() != ValueKind::float64 &&
                                                  other.value.kind() != ValueKind::boolean)))
    return std::nullopt;
  if (auto* o = other.as<ArrayObject>()) return wrap(reflected ? da::elementwise(*b, o->a, a) : da::elementwise(*b, a, o->a));
  return wrap(da::elementwise(*b, a, other.value, reflected));
}

std::optional<RValue> ArrayObject::unary(Interpreter&, const std::string& op) const {
  if (op == "-") return wrap(-a);
  if (op == "+") return wrap(a);
  if (op == "~") return wrap(da::logical_not(a));
  return std::nullopt;
}

std::optional<RValue> ArrayObject::getitem(Interpreter&, const Subscript& s) const {
  std::vector<da::Index> index;
  for (const auto& item : s.items) {
    switch (item.kind) {
      case IndexItem::Kind::slice: index.push_back(da::Slice{item.start, item.stop, item.step.value_or(1)}); break;
      case IndexItem::Kind::ellipsis: index.push_back(da::Ellipsis{}); break;
      case IndexItem::Kind::newaxis: index.push_back(da::NewAxis{}); break;
      case IndexItem::Kind::value: {
        const auto& v = item.value;
        if (!v.obj && v.value.kind() == ValueKind::int64) {
          index.push_back(v.value.as_int());
        } else if (!v.obj && v.value.kind() == ValueKind::list) {
          bool bools = !v.value.as_list().empty() && v.value.as_list()[0].kind() == ValueKind::boolean;
          if (bools) {
            da::BoolMask m;
            for (const auto& x : v.value.as_list()) m.mask.push_back(x.as_bool());
            index.push_back(std::move(m));
          } else {
            da::IndexArray ia;
            for (const auto& x : v.value.as_list()) ia.indices.push_back(x.as_int());
            index.push_back(std::move(ia));
          }
        } else {
          throw TypeError("an array index must be an int, a slice, ..., None, or a list of ints or bools, not " +
                          type_name(v));
        }
      }
    }
  }
  return wrap(a.getitem(index));
}

RValue make_array_namespace(Interpreter&) {
  namespace kernels = tessera::array::kernels;
  using kernels::BinaryOp;
  auto ns = std::make_shared<Namespace>("array", "dask.array: chunked n-dimensional arrays (alias da)");
  ns->def("arange(start, stop=None, step=1, chunks='auto', dtype=None)",
          "evenly spaced values in [start, stop); arange(n) is 0..n-1",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            Value start = a.value("start"), stop = a.value("stop");
            if (stop.is_none()) stop = start, start = Value(std::int64_t{0});
            return wrap(da::arange(start, stop, a.value("step"), chunks_of(a), dtype_of(a)));
          });
  ns->def("linspace(start, stop, num=50, chunks='auto', endpoint=True)", "num evenly spaced floats from start to stop",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            return wrap(da::linspace(a.number("start"), a.number("stop"), a.integer("num"), chunks_of(a), a.boolean("endpoint")));
          });
  ns->def("zeros(shape, chunks='auto', dtype='float64')", "an array of zeros", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(da::zeros(shape_of(a, "shape"), chunks_of(a), *dtype_of(a)));
  });
  ns->def("ones(shape, chunks='auto', dtype='float64')", "an array of ones", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(da::ones(shape_of(a, "shape"), chunks_of(a), *dtype_of(a)));
  });
  ns->def("full(shape, fill_value, chunks='auto', dtype=None)", "an array of one value",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            return wrap(da::full(shape_of(a, "shape"), a.value("fill_value"), chunks_of(a), dtype_of(a)));
          });
  auto from_array = [](Interpreter&, const RValue&, Bound& a) -> RValue {
    if (auto* x = a["x"].as<ArrayObject>()) return wrap(x->a.rechunk(chunks_of(a)));
    return wrap(da::from_array(ndarray_from(plain(a["x"], "from_array(x)")), chunks_of(a)));
  };
  ns->def("from_array(x, chunks='auto')", "an array cut from a (nested) list or a computed array", from_array);
  ns->def("asarray(x, chunks='auto')", "as from_array", from_array);
  ns->def("array(x, chunks='auto')", "as from_array", from_array);
  ns->def("from_npy(path, chunks='auto')", "an array read block by block from a .npy file",
          [](Interpreter&, const RValue&, Bound& a) -> RValue { return wrap(da::from_npy(a.string("path"), chunks_of(a))); });

  auto random = std::make_shared<Namespace>("array.random", "seeded random arrays (da.random.seed(n) restarts them)");
  auto state = std::make_shared<da::RandomState>(42);
  random->def("seed(seed)", "restarts the random streams from seed", [state](Interpreter&, const RValue&, Bound& a) -> RValue {
    *state = da::RandomState(static_cast<std::uint64_t>(a.integer("seed")));
    return Value();
  });
  auto sample = [state](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(state->random_sample(shape_of(a, "size"), chunks_of(a)));
  };
  random->def("random(size, chunks='auto')", "uniform floats on [0, 1)", sample);
  random->def("random_sample(size, chunks='auto')", "uniform floats on [0, 1)", sample);
  random->def("uniform(low=0.0, high=1.0, size=1, chunks='auto')", "uniform floats on [low, high)",
              [state](Interpreter&, const RValue&, Bound& a) -> RValue {
                return wrap(state->uniform(a.number("low"), a.number("high"), shape_of(a, "size"), chunks_of(a)));
              });
  random->def("normal(loc=0.0, scale=1.0, size=1, chunks='auto')", "normal floats",
              [state](Interpreter&, const RValue&, Bound& a) -> RValue {
                return wrap(state->normal(a.number("loc"), a.number("scale"), shape_of(a, "size"), chunks_of(a)));
              });
  random->def("randint(low, high=None, size=1, chunks='auto')", "ints on [low, high) (high None: [0, low))",
              [state](Interpreter&, const RValue&, Bound& a) -> RValue {
                std::int64_t lo = a.integer("low"), hi = 0;
                if (a.given("high")) hi = a.integer("high");
                else std::swap(lo, hi);
                return wrap(state->randint(lo, hi, shape_of(a, "size"), chunks_of(a)));
              });
  ns->set("random", RValue(random));

  struct U {
    const char* name;
    kernels::UnaryOp op;
  };
  for (U u : {U{"sqrt", kernels::UnaryOp::sqrt}, U{"exp", kernels::UnaryOp::exp}, U{"log", kernels::UnaryOp::log},
              U{"abs", kernels::UnaryOp::abs}, U{"absolute", kernels::UnaryOp::abs}, U{"sin", kernels::UnaryOp::sin},
              U{"cos", kernels::UnaryOp::cos}, U{"tan", kernels::UnaryOp::tan}, U{"isnan", kernels::UnaryOp::isnan},
              U{"logical_not", kernels::UnaryOp::logical_not}, U{"negative", kernels::UnaryOp::neg}}) {
    std::string n = u.name;
    ns->def(n + "(x)", "element-wise " + n, [u, n](Interpreter&, const RValue&, Bound& a) -> RValue {
      return unary_fn(u.op, a["x"], n);
    });
  }
  struct B {
    const char* name;
    BinaryOp op;
  };
  for (B b : {B{"add", BinaryOp::add}, B{"subtract", BinaryOp::sub}, B{"multiply", BinaryOp::mul},
              B{"divide", BinaryOp::div}, B{"power", BinaryOp::pow}, B{"mod", BinaryOp::mod},
              B{"floor_divide", BinaryOp::floordiv}, B{"maximum", BinaryOp::maximum}, B{"minimum", BinaryOp::minimum},
              B{"logical_and", BinaryOp::logical_and}, B{"logical_or", BinaryOp::logical_or},
              B{"logical_xor", BinaryOp::logical_xor}}) {
    std::string n = b.name;
    ns->def(n + "(x1, x2)", "element-wise " + n + " (an operand may be a number)",
            [b, n](Interpreter&, const RValue&, Bound& a) -> RValue { return elementwise2(b.op, a["x1"], a["x2"], n); });
  }
  ns->def("where(condition, x, y)", "x where condition is true, else y (x and y: arrays or numbers)",
          [](Interpreter&, const RValue&, Bound& a) -> RValue {
            const auto& c = array_of(a["condition"], "where(condition)");
            auto* x = a["x"].as<ArrayObject>();
            auto* y = a["y"].as<ArrayObject>();
            if (x && y) return wrap(da::where(c, x->a, y->a));
            if (x) return wrap(da::where(c, x->a, a.value("y")));
            if (y) return wrap(da::where(c, a.value("x"), y->a));
            return wrap(da::where(c, a.value("x"), a.value("y")));
          });
  ns->def("clip(a, a_min, a_max)", "the elements limited to [a_min, a_max]", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(da::clip(array_of(a["a"], "clip(a)"), a.value("a_min"), a.value("a_max")));
  });
  ns->def("concatenate(seq, axis=0)", "arrays joined along an existing axis", [](Interpreter& in, const RValue&, Bound& a) -> RValue {
    return wrap(da::concatenate(arrays_of(in, a["seq"], "concatenate(seq)"), a.integer("axis")));
  });
  ns->def("stack(seq, axis=0)", "arrays joined along a new axis", [](Interpreter& in, const RValue&, Bound& a) -> RValue {
    return wrap(da::stack(arrays_of(in, a["seq"], "stack(seq)"), a.integer("axis")));
  });
  ns->def("dot(a, b)", "the matrix product", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(da::dot(array_of(a["a"], "dot(a)"), array_of(a["b"], "dot(b)")));
  });
  ns->def("matmul(a, b)", "the matrix product (a @ b)", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(da::matmul(array_of(a["a"], "matmul(a)"), array_of(a["b"], "matmul(b)")));
  });
  ns->def("transpose(a, axes=None)", "axes reversed, or permuted as given", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(array_of(a["a"], "transpose(a)").transpose(a.given("axes") ? a.integers("axes") : std::vector<std::int64_t>{}));
  });
  ns->def("swapaxes(a, axis1, axis2)", "two axes exchanged", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(da::swapaxes(array_of(a["a"], "swapaxes(a)"), a.integer("axis1"), a.integer("axis2")));
  });
  ns->def("expand_dims(a, axis)", "a new axis of extent 1", [](Interpreter&, const RValue&, Bound& a) -> RValue {
    return wrap(da::expand_dims(array_of(a["a"], "expand_dims(a)"), a.integer("axis")));
  });
  for (const char* r : {"sum", "mean", "min", "max", "prod", "std", "var", "any", "all", "argmin", "argmax", "nansum", "nanmean"}) {
    std::string n = r;
    ns->def(n + "(a, axis=None, keepdims=False, split_every=8)", "a." + n + "(...)",
            [n](Interpreter& in, const RValue&, Bound& a) -> RValue {
              CallArgs args;
              args.keywords = {{"axis", a["axis"]}, {"keepdims", a["keepdims"]}, {"split_every", a["split_every"]}};
              return in.call(in.attribute(a["a"], n), std::move(args));
            });
  }
  return RValue(ns);
}

}  // namespace tessera::repl

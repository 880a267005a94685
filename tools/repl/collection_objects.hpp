#pragma once
// The REPL's wrappers of the C++ collections, futures and the client. Each
// type's methods (with signatures) are in its TypeInfo, built by
// bindings_<collection>.cpp; %help lists them.
#include <string>

#include "actors/tessera.hpp"
#include "collections/dataframe/groupby.hpp"
#include "collections/dataframe/series.hpp"
#include "tools/repl/interpreter.hpp"

namespace tessera::repl {

const TypeInfo& array_type();
const TypeInfo& bag_type();
const TypeInfo& item_type();
const TypeInfo& dataframe_type();
const TypeInfo& series_type();
const TypeInfo& scalar_type();
const TypeInfo& groupby_type();
const TypeInfo& series_groupby_type();
const TypeInfo& str_accessor_type();
const TypeInfo& dt_accessor_type();
const TypeInfo& delayed_type();
const TypeInfo& future_type();
const TypeInfo& client_type();

class ArrayObject final : public OperandObject {
 public:
  explicit ArrayObject(array::Array a) : a(std::move(a)) {}
  const TypeInfo& type() const override { return array_type(); }
  std::string repr() const override;
  std::optional<RValue> binary(Interpreter&, const std::string& op, const RValue& other, bool reflected) const override;
  std::optional<RValue> unary(Interpreter&, const std::string& op) const override;
  std::optional<RValue> getitem(Interpreter&, const Subscript& s) const override;
  array::Array a;
};

class BagObject final : public Object {
 public:
  explicit BagObject(bag::Bag b) : b(std::move(b)) {}
  const TypeInfo& type() const override { return bag_type(); }
  std::string repr() const override;
  bag::Bag b;
};

class ItemObject final : public Object {
 public:
  explicit ItemObject(bag::Item i) : item(std::move(i)) {}
  const TypeInfo& type() const override { return item_type(); }
  std::string repr() const override;
  bag::Item item;
};

class DataFrameObject final : public OperandObject {
 public:
  explicit DataFrameObject(dataframe::DataFrame d) : df(std::move(d)) {}
  const TypeInfo& type() const override { return dataframe_type(); }
  std::string repr() const override;
  std::optional<RValue> attribute(const std::string& name) const override;
  std::vector<std::string> attribute_names() const override;
  std::optional<RValue> getitem(Interpreter&, const Subscript& s) const override;
  dataframe::DataFrame df;
};

class SeriesObject final : public OperandObject {
 public:
  explicit SeriesObject(dataframe::Series s) : s(std::move(s)) {}
  const TypeInfo& type() const override { return series_type(); }
  std::string repr() const override;
  std::optional<RValue> binary(Interpreter&, const std::string& op, const RValue& other, bool reflected) const override;
  std::optional<RValue> unary(Interpreter&, const std::string& op) const override;
  dataframe::Series s;
};

class ScalarObject final : public Object {
 public:
  explicit ScalarObject(dataframe::Scalar s) : s(std::move(s)) {}
  const TypeInfo& type() const override { return scalar_type(); }
  std::string repr() const override;
  dataframe::Scalar s;
};

class GroupByObject final : public OperandObject {
 public:
  explicit GroupByObject(dataframe::GroupBy g) : g(std::move(g)) {}
  const TypeInfo& type() const override { return groupby_type(); }
  std::string repr() const override;
  std::optional<RValue> attribute(const std::string& name) const override;
  std::vector<std::string> attribute_names() const override;
  std::optional<RValue> getitem(Interpreter&, const Subscript& s) const override;
  dataframe::GroupBy g;
};

class SeriesGroupByObject final : public Object {
 public:
  explicit SeriesGroupByObject(dataframe::SeriesGroupBy g, std::string column) : g(std::move(g)), column(std::move(column)) {}
  const TypeInfo& type() const override { return series_groupby_type(); }
  std::string repr() const override { return "<dask.dataframe.SeriesGroupBy of '" + column + "'>"; }
  dataframe::SeriesGroupBy g;
  std::string column;
};

class AccessorObject final : public Object {
 public:
  AccessorObject(dataframe::Series s, bool dt) : s(std::move(s)), dt(dt) {}
  const TypeInfo& type() const override { return dt ? dt_accessor_type() : str_accessor_type(); }
  std::string repr() const override { return dt ? "<.dt accessor>" : "<.str accessor>"; }
  dataframe::Series s;
  bool dt;
};

class DelayedObject final : public Object {
 public:
  explicit DelayedObject(Delayed<Value> d) : d(std::move(d)) {}
  const TypeInfo& type() const override { return delayed_type(); }
  std::string repr() const override { return "Delayed('" + d.key().str() + "')"; }
  Delayed<Value> d;
};

class FutureObject final : public Object {
 public:
  explicit FutureObject(Future<Value> f) : f(std::move(f)) {}
  const TypeInfo& type() const override { return future_type(); }
  std::string repr() const override;
  Future<Value> f;
};

class ClientObject final : public Object {
 public:
  const TypeInfo& type() const override { return client_type(); }
  std::string repr() const override;
  Interpreter* in = nullptr;
};

// ---- helpers shared by the bindings ----

/// The computed value of an object with a graph, or nullopt when it has none.
std::optional<Value> compute_object(Interpreter& in, const RValue& v);
/// A function argument (lambda, registered function) for bag's methods:
/// FunctionPtr usable on any worker when it is registered.
FunctionPtr bag_callable(Interpreter& in, const RValue& f, const std::string& what);
/// Adds compute / persist / visualize / dask_graph to a type.
void add_graph_methods(TypeInfo& t, std::function<std::pair<LayerPtr, std::vector<Key>>(const RValue&)> graph_of,
                       std::function<RValue(const RValue&, LayerPtr)> rebuild);
/// visualize(): the graph as text, or as Graphviz dot written to `filename`.
std::string visualize_graph(const HighLevelGraph& g, const std::string& filename);

/// Namespaces of each collection (bindings_*.cpp).
RValue make_array_namespace(Interpreter& in);
RValue make_bag_namespace(Interpreter& in);
RValue make_dataframe_namespace(Interpreter& in);
/// delayed (a function), compute (a function) and the client object.
void install_delayed_and_client(Interpreter& in, std::map<std::string, RValue>& out);

}  // namespace tessera::repl

#include "collections/bag/to_dataframe.hpp"

#include <cstring>

#include "collections/bag/bag_functions.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"
#include "runtime/value/column_type_of.hpp"

namespace tessera::bag {
namespace {

ColumnType type_of(const Value& v, const std::string& column) {
  if (auto t = column_type_of(v)) return *t;
  throw TypeError("to_dataframe: cannot infer the type of column '" + column + "' from " + v.repr(100) +
                  " (give ToDataFrameOptions::types)");
}

std::string type_names(const std::vector<ColumnType>& types) {
  std::string s;
  for (auto t : types) s += std::string(s.empty() ? "" : ",") + std::string(column_type_name(t));
  return s;
}

ColumnType type_from_name(const std::string& name) {
  for (auto t : {ColumnType::int64, ColumnType::float64, ColumnType::boolean, ColumnType::string, ColumnType::timestamp})
    if (column_type_name(t) == name) return t;
  throw ValueError("to_dataframe: unknown column type '" + name + "'");
}

// The value of column c of a record (none when missing).
const Value& cell(const Value& record, const std::string& name, std::size_t c) {
  static const Value none;
  if (record.kind() == ValueKind::dict) {
    auto it = record.as_dict().find(name);
    return it == record.as_dict().end() ? none : it->second;
  }
  if (record.kind() == ValueKind::list) {
    const auto& l = record.as_list();
    return c < l.size() ? l[c] : none;
  }
  throw TypeError("to_dataframe: records must be dicts or lists, got " + record.repr(200));
}

std::shared_ptr<Buffer> validity_of(const std::vector<bool>& valid) {
  auto b = make_buffer((valid.size() + 7) / 8);
  std::memset(b->mutable_data(), 0, b->size());
  for (std::size_t i = 0; i < valid.size(); ++i)
    if (valid[i]) b->mutable_data()[i >> 3] |= std::byte{static_cast<unsigned char>(1u << (i & 7))};
  return b;
}

[[noreturn]] void misfit(const std::string& column, ColumnType t, const Value& v) {
  throw TypeError("to_dataframe: column '" + column + "' is " + std::string(column_type_name(t)) + " but a record holds " +
                  v.repr(100));
}

Column build_column(const std::string& name, ColumnType t, const std::vector<const Value*>& cells) {
  std::vector<bool> valid(cells.size(), true);
  bool any_null = false;
  auto is_null = [&](std::size_t i) {
    if (!cells[i]->is_none()) return false;
    valid[i] = false, any_null = true;
    return true;
  };
  Column col;
  switch (t) {
    case ColumnType::int64:
    case ColumnType::timestamp: {
      std::vector<std::int64_t> v(cells.size(), 0);
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (!is_null(i)) {
          if (cells[i]->kind() != ValueKind::int64) misfit(name, t, *cells[i]);
          v[i] = cells[i]->as_int();
        }
      col = t == ColumnType::int64 ? Column::from_int64(name, v) : Column::from_timestamps(name, v);
      break;
    }
    case ColumnType::float64: {
      std::vector<double> v(cells.size(), 0.0);
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (!is_null(i)) {
          auto k = cells[i]->kind();
          if (k != ValueKind::int64 && k != ValueKind::float64) misfit(name, t, *cells[i]);
          v[i] = cells[i]->as_float();
        }
      col = Column::from_float64(name, v);
      break;
    }
    case ColumnType::boolean: {
      std::vector<bool> v(cells.size(), false);
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (!is_null(i)) {
          if (cells[i]->kind() != ValueKind::boolean) misfit(name, t, *cells[i]);
          v[i] = cells[i]->as_bool();
        }
      col = Column::from_bool(name, v);
      break;
    }
    case ColumnType::string: {
      std::vector<std::string> v(cells.size());
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (!is_null(i)) {
          if (cells[i]->kind() != ValueKind::string) misfit(name, t, *cells[i]);
          v[i] = cells[i]->as_string();
        }
      col = Column::from_strings(name, v);
      break;
    }
  }
  if (any_null) col.validity = validity_of(valid);
  return col;
}

// (columns, types, part) -> Table
Value partition_table(const FunctionResolver&, std::span<const Value> a) {
  if (a.size() != 3) throw TypeError("bag.to_table: expected 3 arguments, got " + std::to_string(a.size()));
  const auto& names = a[0].as_list();
  const auto& types = a[1].as_list();
  const auto& part = a[2].as_list();
  std::vector<Column> columns;
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::vector<const Value*> cells;
    cells.reserve(part.size());
    for (const auto& r : part) cells.push_back(&cell(r, names[c].as_string(), c));
    columns.push_back(build_column(names[c].as_string(), type_from_name(types[c].as_string()), cells));
  }
  return Value(Table(std::move(columns)));
}

}  // namespace

dataframe::DataFrame TablePartitions::frame() const {
  dataframe::Schema schema;
  for (std::size_t i = 0; i < columns.size(); ++i) schema.push_back({columns[i], types.at(i)});
  return dataframe::DataFrame(name, layer, npartitions, std::move(schema));
}

Table TablePartitions::compute(const ComputeOptions& options) const {
  std::vector<Key> keys;
  for (std::int64_t i = 0; i < npartitions; ++i) keys.push_back(key(i));
  auto parts = get_executor(options.scheduler)->compute(HighLevelGraph({layer}), keys);
  std::vector<Table> tables;
  for (const auto& p : parts) tables.push_back(p.as_table());
  return concat_tables(tables);
}

TablePartitions to_dataframe(const Bag& bag, ToDataFrameOptions options, const ComputeOptions& infer_on) {
  if (options.types.empty() || options.columns.empty()) {
    ValueList first = bag.take(1, infer_on);
    if (first.empty()) throw ValueError("to_dataframe: the bag is empty: give the columns and their types");
    const Value& r = first[0];
    if (options.columns.empty()) {
      if (r.kind() == ValueKind::dict)
        for (const auto& [k, v] : r.as_dict()) options.columns.push_back(k);
      else if (r.kind() == ValueKind::list)
        for (std::size_t i = 0; i < r.as_list().size(); ++i) options.columns.push_back(std::to_string(i));
      else
        throw TypeError("to_dataframe: records must be dicts or lists, got " + r.repr(200));
    }
    if (options.types.empty())
      for (std::size_t c = 0; c < options.columns.size(); ++c)
        options.types.push_back(type_of(cell(r, options.columns[c], c), options.columns[c]));
  }
  if (options.types.size() != options.columns.size())
    throw ValueError("to_dataframe: " + std::to_string(options.columns.size()) + " columns but " +
                     std::to_string(options.types.size()) + " types");
  ValueList names, types;
  for (const auto& c : options.columns) names.emplace_back(c);
  for (auto t : options.types) types.emplace_back(std::string(column_type_name(t)));
  auto fn = bag_function("bag.to_table");
  std::string name = "to_dataframe-" + tokenize(bag.name(), Value(names), type_names(options.types));
  std::vector<TaskSpec> tasks;
  for (std::int64_t i = 0; i < bag.npartitions(); ++i)
    tasks.push_back(TaskSpec{Key(name, {i}), fn, {Arg(Value(names)), Arg(Value(types)), Arg(bag.key(i))}});
  return TablePartitions{name, make_layer(name, std::move(tasks), {bag.layer()}), bag.npartitions(),
                         options.columns, options.types};
}

Table concat_tables(const std::vector<Table>& tables) {
  if (tables.empty()) return Table();
  const auto& first = tables[0].columns();
  std::vector<Column> out;
  for (std::size_t c = 0; c < first.size(); ++c) {
    std::vector<Value> cells_storage;
    for (const auto& t : tables) {
      if (t.num_columns() != first.size() || t.columns()[c].name != first[c].name || t.columns()[c].type != first[c].type)
        throw ValueError("concat_tables: the tables' columns differ");
      const Column& col = t.columns()[c];
      for (std::int64_t i = 0; i < col.length; ++i) {
        if (!col.is_valid(i)) {
          cells_storage.emplace_back();
          continue;
        }
        const auto* d = col.data->data();
        switch (col.type) {
          case ColumnType::int64:
          case ColumnType::timestamp: {
            std::int64_t x;
            std::memcpy(&x, d + 8 * i, 8);
            cells_storage.emplace_back(x);
            break;
          }
          case ColumnType::float64: {
            double x;
            std::memcpy(&x, d + 8 * i, 8);
            cells_storage.emplace_back(x);
            break;
          }
          case ColumnType::boolean: cells_storage.emplace_back(std::to_integer<int>(d[i]) != 0); break;
          case ColumnType::string: cells_storage.emplace_back(col.string_at(i)); break;
        }
      }
    }
    std::vector<const Value*> cells;
    for (const auto& v : cells_storage) cells.push_back(&v);
    out.push_back(build_column(first[c].name, first[c].type, cells));
  }
  return Table(std::move(out), tables[0].index());
}

std::vector<KernelEntry> table_kernels() {
  return {{"bag.to_table", partition_table, "(columns, types, part) -> the partition as a Table"}};
}

}  // namespace tessera::bag

// read_json, to_csv, to_json (io.hpp).
#include "collections/dataframe/io.hpp"

#include <glob.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/operations.hpp"
#include "collections/dataframe/partitioning.hpp"
#include "collections/dataframe/text_values.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"
#include "runtime/util/json_string.hpp"

namespace tessera::dataframe {
namespace {

using Args = std::span<const Value>;
using json = nlohmann::ordered_json;  // keys in the file's order

std::vector<std::string> expand(const std::string& pattern) {
  if (pattern.find_first_of("*?[") == std::string::npos) return {pattern};
  glob_t g{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  if (out.empty()) throw ValueError("read_json: no files match '" + pattern + "'");
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ValueError("read_json: cannot open '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Calls f(line number, line) for each non-blank line, up to `limit` lines (<0: all).
template <class F>
void for_each_line(const std::string& text, std::int64_t limit, F&& f) {
  std::size_t at = 0;
  std::int64_t line = 0;
  while (at < text.size() && (limit < 0 || line < limit)) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    ++line;
    std::string_view l(text.data() + at, end - at);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") != std::string_view::npos) f(line, l);
    at = end + 1;
  }
}

json parse_line(std::string_view l, const std::string& path, std::int64_t line) {
  json j;
  try {
    j = json::parse(l);
  } catch (const json::parse_error& e) {
    throw ValueError("read_json: " + path + ", line " + std::to_string(line) + ": not JSON (" + e.what() + ")");
  }
  if (!j.is_object())
    throw ValueError("read_json: " + path + ", line " + std::to_string(line) + ": a line must be one JSON object");
  return j;
}

// Learns columns and types from the first lines of the first file.
Schema infer(const std::string& path, std::int64_t sample) {
  std::string text = read_file(path);
  std::vector<std::string> order;
  std::map<std::string, unsigned> seen;  // bits: 1 int, 2 float, 4 bool, 8 string, 16 nested
  for_each_line(text, sample, [&](std::int64_t line, std::string_view l) {
    const json row = parse_line(l, path, line);
    for (const auto& [k, v] : row.items()) {
      if (!seen.count(k)) order.push_back(k), seen[k] = 0;
      unsigned& b = seen[k];
      if (v.is_number_integer()) b |= 1;
      else if (v.is_number_float()) b |= 2;
      else if (v.is_boolean()) b |= 4;
      else if (v.is_string()) b |= 8;
      else if (!v.is_null()) b |= 16;
    }
  });
  Schema s;
  for (const auto& k : order) {
    unsigned b = seen[k];
    ColumnType t = ColumnType::string;
    if (b == 1) t = ColumnType::int64;
    else if (b == 2 || b == 3) t = ColumnType::float64;
    else if (b == 4) t = ColumnType::boolean;
    else if (b & (1 | 2 | 4) && b & (8 | 16))
      throw ValueError("read_json: column '" + k + "' of " + path + " holds numbers or booleans and strings or objects;"
                       " give the values one type");
    s.push_back({k, t});
  }
  return s;
}

Table parse_json_lines(const std::string& path, const Schema& meta) {
  std::string text = read_file(path);
  std::vector<ColumnBuilder> b;
  std::map<std::string, std::size_t> at;
  for (const auto& c : meta) at[c.name] = b.size(), b.emplace_back(c.name, c.type);
  std::vector<std::uint8_t> got(meta.size());
  for_each_line(text, -1, [&](std::int64_t line, std::string_view l) {
    std::fill(got.begin(), got.end(), 0);
    const json row = parse_line(l, path, line);
    for (const auto& [k, v] : row.items()) {
      auto it = at.find(k);
      if (it == at.end())
        throw ValueError("read_json: " + path + ", line " + std::to_string(line) + ": key '" + k +
                         "' is not among the columns learnt from the first lines (" + column_list(meta) + ")");
      ColumnBuilder& cb = b[it->second];
      got[it->second] = 1;
      auto bad = [&] {
        return ValueError("read_json: " + path + ", line " + std::to_string(line) + ", column '" + k + "': " +
                          v.dump() + " is not " + std::string(column_type_name(cb.type())));
      };
      if (v.is_null()) { cb.append_null(); continue; }
      switch (cb.type()) {
        case ColumnType::int64:
          if (!v.is_number_integer()) throw bad();
          cb.append_int(v.get<std::int64_t>());
          break;
        case ColumnType::float64:
          if (!v.is_number()) throw bad();
          cb.append_float(v.get<double>());
          break;
        case ColumnType::boolean:
          if (!v.is_boolean()) throw bad();
          cb.append_bool(v.get<bool>());
          break;
        case ColumnType::string:
          if (v.is_string()) cb.append_string(v.get_ref<const std::string&>());
          else if (v.is_object() || v.is_array()) cb.append_string(v.dump());
          else throw bad();
          break;
        default: throw bad();
      }
    }
    for (std::size_t c = 0; c < got.size(); ++c)
      if (!got[c]) b[c].append_null();
  });
  std::vector<Column> cols;
  for (auto& x : b) cols.push_back(x.finish());
  return Table(std::move(cols));
}

// ---- writing ----

void csv_field(std::string& out, std::string_view s, char sep) {
  if (s.find_first_of(std::string{sep, '"', '\n', '\r'}) == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}


std::string iso_ms(std::int64_t ns) {
  std::string s = format_timestamp(ns - ((ns % 1000000000) + 1000000000) % 1000000000);  // whole seconds
  std::int64_t ms = ((ns % 1000000000) + 1000000000) % 1000000000 / 1000000;
  s[10] = 'T';
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(ms));
  return s + buf;
}

std::string output_path(const std::string& pattern, std::int64_t i, std::int64_t n, const char* who) {
  auto star = pattern.find('*');
  if (star == std::string::npos) {
    if (n == 1) return pattern;
    throw ValueError(std::string(who) + ": the frame has " + std::to_string(n) + " partitions; put a '*' in the path ('" +
                     pattern + "') for the partition number");
  }
  return pattern.substr(0, star) + std::to_string(i) + pattern.substr(star + 1);
}

void write_file(const std::string& path, const std::string& text, const char* who) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw ValueError(std::string(who) + ": cannot write '" + path + "'");
  out << text;
  if (!out) throw ValueError(std::string(who) + ": writing '" + path + "' failed");
}

// (path, meta) -> the file's table
Value k_read_json(Args a) {
  if (a.size() != 2) throw TypeError("dataframe.read_json: expected 2 arguments");
  return Value(parse_json_lines(a[0].as_string(), schema_from_value(a[1])));
}

// (path, [sep, header, na_rep], partition) -> path
Value k_to_csv(Args a) {
  if (a.size() != 3) throw TypeError("dataframe.to_csv: expected 3 arguments");
  const auto& o = a[1].as_list();
  ToCsvOptions opt{o.at(0).as_string().at(0), o.at(1).as_bool(), o.at(2).as_string()};
  write_file(a[0].as_string(), table_to_csv(a[2].as_table(), opt), "to_csv");
  return a[0];
}

// (path, partition) -> path
Value k_to_json(Args a) {
  if (a.size() != 2) throw TypeError("dataframe.to_json: expected 2 arguments");
  write_file(a[0].as_string(), table_to_json_lines(a[1].as_table()), "to_json");
  return a[0];
}

std::vector<std::string> write_all(const DataFrame& df, const std::string& path, const std::string& fn,
                                   const ValueList& extra, const ComputeOptions& compute, const char* who) {
  register_operation_functions();
  auto f = op_function(fn);
  std::string name = std::string(who) + "-" + tokenize(df.name(), path, Value(extra));
  std::vector<TaskSpec> tasks;
  std::vector<Key> keys;
  for (std::int64_t i = 0; i < df.npartitions(); ++i) {
    ArgList args{Arg(Value(output_path(path, i, df.npartitions(), who)))};
    for (const auto& e : extra) args.emplace_back(e);
    args.emplace_back(df.key(i));
    keys.emplace_back(name, std::vector<std::int64_t>{i});
    tasks.push_back(TaskSpec{keys.back(), f, std::move(args)});
  }
  auto values = get_executor(compute.scheduler)
                    ->compute(HighLevelGraph({make_layer(name, std::move(tasks), {df.layer()})}), keys);
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(v.as_string());
  return out;
}

}  // namespace

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);  // [-]d[.ddd]e[+-]xx, shortest round-trip digits
  std::string sign;
  if (sci[0] == '-') sign = "-", sci.erase(0, 1);
  auto e = sci.find('e');
  int exp = std::stoi(sci.substr(e + 1));
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  if (exp >= -4 && exp < 16) {
    std::string out;
    if (exp >= 0) {
      std::string whole = digits.substr(0, std::min<std::size_t>(digits.size(), static_cast<std::size_t>(exp) + 1));
      whole.append(static_cast<std::size_t>(exp) + 1 - whole.size(), '0');
      std::string frac = digits.size() > whole.size() ? digits.substr(whole.size()) : "";
      out = whole + "." + (frac.empty() ? "0" : frac);
    } else {
      out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    }
    return sign + out;
  }
  std::string mant = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
  char ebuf[8];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
  return sign + mant + ebuf;
}

std::string table_to_csv(const Table& t, const ToCsvOptions& o) {
  std::string out;
  if (o.header) {
    for (std::size_t j = 0; j < t.num_columns(); ++j) {
      if (j) out.push_back(o.sep);
      csv_field(out, t.columns()[j].name, o.sep);
    }
    out.push_back('\n');
  }
  // pandas writes a timestamp column as dates alone when every value is at midnight.
  std::vector<bool> dates_only(t.num_columns(), false);
  for (std::size_t j = 0; j < t.num_columns(); ++j) {
    const Column& c = t.columns()[j];
    if (c.type != ColumnType::timestamp) continue;
    bool all = true;
    for (std::int64_t i = 0; i < c.length && all; ++i)
      if (c.is_valid(i)) all = c.data->as<std::int64_t>()[i] % (86400LL * 1000000000LL) == 0;
    dates_only[j] = all;
  }
  for (std::int64_t i = 0; i < t.num_rows(); ++i) {
    for (std::size_t j = 0; j < t.num_columns(); ++j) {
      if (j) out.push_back(o.sep);
      const Column& c = t.columns()[j];
      if (!c.is_valid(i)) { out += o.na_rep; continue; }
      switch (c.type) {
        case ColumnType::int64: out += std::to_string(c.data->as<std::int64_t>()[i]); break;
        case ColumnType::float64: {
          double d = c.data->as<double>()[i];
          out += std::isnan(d) ? o.na_rep : python_float_repr(d);
          break;
        }
        case ColumnType::boolean: out += c.data->as<std::uint8_t>()[i] ? "True" : "False"; break;
        case ColumnType::string: csv_field(out, c.string_at(i), o.sep); break;
        case ColumnType::timestamp: {
          std::string s = format_timestamp(c.data->as<std::int64_t>()[i]);
          out += dates_only[j] ? s.substr(0, 10) : s;
          break;
        }
      }
    }
    out.push_back('\n');
  }
  return out;
}

std::string table_to_json_lines(const Table& t) {
  std::string out;
  for (std::int64_t i = 0; i < t.num_rows(); ++i) {
    out.push_back('{');
    for (std::size_t j = 0; j < t.num_columns(); ++j) {
      const Column& c = t.columns()[j];
      if (j) out.push_back(',');
      append_json_string(out, c.name);
      out.push_back(':');
      if (!c.is_valid(i)) { out += "null"; continue; }
      switch (c.type) {
        case ColumnType::int64: out += std::to_string(c.data->as<std::int64_t>()[i]); break;
        case ColumnType::float64: {
          double d = c.data->as<double>()[i];
          out += std::isfinite(d) ? python_float_repr(d) : "null";
          break;
        }
        case ColumnType::boolean: out += c.data->as<std::uint8_t>()[i] ? "true" : "false"; break;
        case ColumnType::string: append_json_string(out, c.string_at(i)); break;
        case ColumnType::timestamp: append_json_string(out, iso_ms(c.data->as<std::int64_t>()[i])); break;
      }
    }
    out += "}\n";
  }
  return out;
}

std::vector<KernelEntry> io_kernels() {
  return {
      {"dataframe.read_json", k_read_json, "(path, meta) -> the JSON lines file as a table"},
      {"dataframe.to_csv", k_to_csv, "(path, [sep, header, na_rep], partition) -> path, the partition written as CSV"},
      {"dataframe.to_json", k_to_json, "(path, partition) -> path, the partition written as JSON lines"},
  };
}

DataFrame read_json(const std::string& pattern, const ReadJsonOptions& options) {
  return read_json(expand(pattern), options);
}

DataFrame read_json(const std::vector<std::string>& paths, const ReadJsonOptions& options) {
  register_operation_functions();
  if (paths.empty()) throw ValueError("read_json: no files given");
  Schema meta = infer(paths[0], options.sample);
  Value m = schema_to_value(meta);
  Tokenizer t;
  t.add("read_json").add(m);
  for (const auto& p : paths) t.add(p);
  std::string name = "read-json-" + t.hex();
  auto fn = op_function("dataframe.read_json");
  std::vector<TaskSpec> tasks;
  for (std::size_t i = 0; i < paths.size(); ++i)
    tasks.push_back(TaskSpec{Key(name, {static_cast<std::int64_t>(i)}), fn, {Arg(Value(paths[i])), Arg(m)}});
  return DataFrame(name, make_layer(name, std::move(tasks)), static_cast<std::int64_t>(paths.size()), std::move(meta));
}

std::vector<std::string> to_csv(const DataFrame& df, const std::string& path, const ToCsvOptions& o,
                                const ComputeOptions& compute) {
  return write_all(df, path, "dataframe.to_csv",
                   {Value(ValueList{Value(std::string(1, o.sep)), Value(o.header), Value(o.na_rep)})}, compute, "to_csv");
}

std::vector<std::string> to_json(const DataFrame& df, const std::string& path, const ComputeOptions& compute) {
  return write_all(df, path, "dataframe.to_json", {}, compute, "to_json");
}

}  // namespace tessera::dataframe

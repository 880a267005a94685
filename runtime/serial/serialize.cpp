#include "runtime/serial/serialize.hpp"

#include <istream>
#include <ostream>
#include <streambuf>

#include "runtime/registry/registry.hpp"
#include "runtime/serial/wire.hpp"
#include "runtime/util/error.hpp"

// Layout (after the 4-byte header and cereal's byte-order flag, see wire.hpp):
//   value   := kind:u8 body
//   body    := none: - | bool: u8 | int64: i64 | float64: f64 | string: str
//            | list: n:u64 value*n | dict: n:u64 (str value)*n | bytes: block
//            | ndarray: dtype:u8 ndim:u64 extent:i64*ndim block
//            | table: has_index:u8 [str] ncols:u64 column*ncols
//   column  := name:str type:u8 length:i64 opt_block(data) opt_block(offsets) opt_block(validity)
//   block   := nbytes:u64 bytes        opt_block := present:u8 [block]
//   str     := n:u64 bytes
//   task    := key:str has_fn:u8 [fn:str] n:u64 arg*n
//   arg     := 0 value | 1 key:str | 2 n:u64 arg*n | 3 fn:str key:str n:u64 arg*n
//              (a call's key is the fused task's, or empty)
// Lists and dicts are written and read with explicit stacks (no recursion).

namespace tessera {
namespace {

// ---------------------------------------------------------------- helpers

/// A read-only, seekable streambuf over borrowed bytes (no copy).
class ViewBuf final : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // only ever read
    setg(p, p, p + s.size());
  }
  std::size_t position() const noexcept { return static_cast<std::size_t>(gptr() - eback()); }

 protected:
  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode which) override {
    if (!(which & std::ios_base::in)) return pos_type(off_type(-1));
    off_type size = egptr() - eback();
    off_type base = dir == std::ios_base::beg ? 0 : dir == std::ios_base::cur ? gptr() - eback() : size;
    off_type pos = base + off;
    if (pos < 0 || pos > size) return pos_type(off_type(-1));
    setg(eback(), eback() + pos, egptr());
    return pos_type(pos);
  }
  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
    return seekoff(off_type(pos), std::ios_base::beg, which);
  }
};

/// Counts what is written and keeps none of it (to size the output first).
class CountingSink final : public std::streambuf {
 public:
  std::size_t count() const noexcept { return count_; }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) ++count_;
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char*, std::streamsize n) override {
    count_ += static_cast<std::size_t>(n);
    return n;
  }

 private:
  std::size_t count_ = 0;
};

/// Appends what is written to a string.
class StringSink final : public std::streambuf {
 public:
  explicit StringSink(std::string& out) : out_(out) {}

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::string& out_;
};

/// Runs `write(std::ostream&)` twice: once to measure, once into a string of
/// exactly that size, so a big payload is copied once and never reallocated.
template <class F>
std::string write_to_string(F&& write) {
  CountingSink counter;
  std::ostream measure(&counter);
  write(measure);
  std::string out;
  out.reserve(counter.count());
  StringSink sink(out);
  std::ostream os(&sink);
  write(os);
  return out;
}

/// Calls f(T{}) with T the element type stored for `t` (for byte order).
template <class F>
decltype(auto) with_element(DType t, F&& f) {
  switch (t) {
    case DType::int32: return f(std::int32_t{});
    case DType::int64: return f(std::int64_t{});
    case DType::float32: return f(float{});
    case DType::float64: return f(double{});
    case DType::boolean:
    case DType::uint8: break;
  }
  return f(std::uint8_t{});
}

template <class F>
decltype(auto) with_element(ColumnType t, F&& f) {
  switch (t) {
    case ColumnType::int64:
    case ColumnType::timestamp: return f(std::int64_t{});
    case ColumnType::float64: return f(double{});
    case ColumnType::boolean:
    case ColumnType::string: break;
  }
  return f(std::uint8_t{});
}

constexpr std::uint8_t max_dtype = static_cast<std::uint8_t>(DType::float64);
constexpr std::uint8_t max_column_type = static_cast<std::uint8_t>(ColumnType::timestamp);
constexpr std::uint64_t max_ndim = 64;

std::size_t column_width(ColumnType t) {
  switch (t) {
    case ColumnType::int64:
    case ColumnType::float64:
    case ColumnType::timestamp: return 8;
    case ColumnType::boolean: return 1;
    case ColumnType::string: return 0;  // variable
  }
  return 0;
}

std::string shape_text(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

// ---------------------------------------------------------------- values: writing

void write_block(WireWriter& w, const Buffer* b, DType t) {
  std::uint64_t n = b ? b->size() : 0;
  w.u64(n);
  with_element(t, [&](auto tag) { w.block<decltype(tag)>(b ? b->data() : nullptr, n); });
}

void write_opt_block(WireWriter& w, const BufferPtr& b, ColumnType t) {
  w.u8(b ? 1 : 0);
  if (!b) return;
  w.u64(b->size());
  with_element(t, [&](auto tag) { w.block<decltype(tag)>(b->data(), b->size()); });
}

void write_ndarray(WireWriter& w, const NDArray& a) {
  auto want = static_cast<std::uint64_t>(a.size()) * dtype_size(a.dtype());
  if (a.nbytes() != want)
    throw ValueError("cannot serialize ndarray<" + std::string(dtype_name(a.dtype())) + "> of shape " +
                     shape_text(a.shape()) + ": it holds " + std::to_string(a.nbytes()) +
                     " bytes instead of " + std::to_string(want) + " (a default-constructed NDArray?)");
  w.u8(static_cast<std::uint8_t>(a.dtype()));
  w.u64(a.ndim());
  for (auto d : a.shape()) w.i64(d);
  write_block(w, a.buffer().get(), a.dtype());
}

void write_table(WireWriter& w, const Table& t) {
  w.u8(t.index() ? 1 : 0);
  if (t.index()) w.string(*t.index());
  w.u64(t.num_columns());
  for (const auto& c : t.columns()) {
    w.string(c.name);
    w.u8(static_cast<std::uint8_t>(c.type));
    w.i64(c.length);
    write_opt_block(w, c.data, c.type);
    write_opt_block(w, c.offsets, ColumnType::int64);
    write_opt_block(w, c.validity, ColumnType::boolean);
  }
}

struct WriteFrame {
  const Value* v;
  std::size_t next = 0;                // list position
  ValueDict::const_iterator it = {};  // dict position
};

/// Writes `root` without recursing into lists and dicts.
void write_tree(WireWriter& w, const Value& root) {
  std::vector<WriteFrame> stack;
  auto open = [&](const Value& v) {
    w.u8(static_cast<std::uint8_t>(v.kind()));
    switch (v.kind()) {
      case ValueKind::none: break;
      case ValueKind::boolean: w.u8(v.as_bool() ? 1 : 0); break;
      case ValueKind::int64: w.i64(v.as_int()); break;
      case ValueKind::float64: w.f64(v.as_float()); break;
      case ValueKind::string: w.string(v.as_string()); break;
      case ValueKind::bytes: write_block(w, &v.as_bytes(), DType::uint8); break;
      case ValueKind::ndarray: write_ndarray(w, v.as_ndarray()); break;
      case ValueKind::table: write_table(w, v.as_table()); break;
      case ValueKind::list:
      case ValueKind::dict:
        if (stack.size() >= max_wire_depth)
          throw ValueError("cannot serialize a value nested deeper than " +
                           std::to_string(max_wire_depth) + " lists or dicts");
        if (v.kind() == ValueKind::list) {
          w.u64(v.as_list().size());
          stack.push_back({&v});
        } else {
          w.u64(v.as_dict().size());
          stack.push_back({&v, 0, v.as_dict().begin()});
        }
        break;
    }
  };
  open(root);
  while (!stack.empty()) {
    WriteFrame& f = stack.back();  // not used after open(), which may grow the stack
    if (f.v->kind() == ValueKind::list) {
      const auto& l = f.v->as_list();
      if (f.next == l.size()) {
        stack.pop_back();
        continue;
      }
      open(l[f.next++]);
    } else {
      if (f.it == f.v->as_dict().end()) {
        stack.pop_back();
        continue;
      }
      auto it = f.it++;
      w.string(it->first);
      open(it->second);
    }
  }
}

// ---------------------------------------------------------------- values: reading

template <class T>
BufferPtr read_block(WireReader& r, std::string_view what) {
  auto n = r.u64(std::string(what) + " size");
  return r.block<T>(n, what);
}

BufferPtr read_opt_block(WireReader& r, ColumnType t, const std::string& what) {
  auto present = r.u8(what + " flag");
  if (present > 1) r.malformed(what + " flag is " + std::to_string(present) + ", not 0 or 1");
  if (!present) return nullptr;
  return with_element(t, [&](auto tag) { return read_block<decltype(tag)>(r, what); });
}

NDArray read_ndarray(WireReader& r) {
  auto dt = r.u8("ndarray dtype");
  if (dt > max_dtype) r.malformed("unknown ndarray dtype code " + std::to_string(dt));
  auto dtype = static_cast<DType>(dt);
  auto ndim = r.u64("ndarray ndim");
  if (ndim > max_ndim)
    r.malformed("ndarray has " + std::to_string(ndim) + " dimensions (at most " +
                std::to_string(max_ndim) + " are allowed)");
  Shape shape;
  std::uint64_t elements = 1;
  bool overflow = false;
  for (std::uint64_t i = 0; i < ndim; ++i) {
    auto d = r.i64("ndarray extent");
    if (d < 0) r.malformed("ndarray extent " + std::to_string(d) + " is negative");
    shape.push_back(d);
    overflow = overflow || __builtin_mul_overflow(elements, static_cast<std::uint64_t>(d), &elements);
  }
  if (has_zero_extent(shape)) elements = 0, overflow = false;  // NumPy allows (2**62, 2**62, 0)
  std::uint64_t want = 0;
  overflow = overflow || __builtin_mul_overflow(elements, dtype_size(dtype), &want);
  auto nbytes = r.u64("ndarray data size");
  if (overflow || nbytes != want)
    r.malformed("ndarray<" + std::string(dtype_name(dtype)) + "> of shape " + shape_text(shape) +
                (overflow ? " is too large" : " needs " + std::to_string(want) + " bytes") +
                " but the data claims " + std::to_string(nbytes));
  auto data = with_element(dtype, [&](auto tag) { return r.block<decltype(tag)>(nbytes, "ndarray data"); });
  return NDArray(dtype, std::move(shape), std::move(data));
}

/// Checks what later reads of the column rely on (sizes, string offsets).
void check_column(WireReader& r, const Column& c) {
  const std::string where = "column '" + c.name + "'";
  auto size_of = [](const BufferPtr& b) -> std::uint64_t { return b ? b->size() : 0; };
  auto length = static_cast<std::uint64_t>(c.length);
  if (auto width = column_width(c.type); width > 0 && length > size_of(c.data) / width)
    r.malformed(where + " has " + std::to_string(length) + " " +
                std::string(column_type_name(c.type)) + " rows but " +
                std::to_string(size_of(c.data)) + " bytes of data");
  if (c.validity && size_of(c.validity) < (length + 7) / 8)
    r.malformed(where + " has a validity bitmap of " + std::to_string(size_of(c.validity)) +
                " bytes for " + std::to_string(length) + " rows");
  if (c.type != ColumnType::string || length == 0) return;
  if (!c.offsets || size_of(c.offsets) / 8 < length + 1)
    r.malformed(where + " has " + std::to_string(length) + " strings but " +
                std::to_string(size_of(c.offsets) / 8) + " offsets");
  auto off = c.offsets->as<std::int64_t>();
  auto limit = static_cast<std::int64_t>(size_of(c.data));
  if (off[0] < 0) r.malformed(where + " has a negative first string offset");
  for (std::uint64_t i = 0; i < length; ++i)
    if (off[i + 1] < off[i] || off[i + 1] > limit)
      r.malformed(where + " has string offset " + std::to_string(off[i + 1]) + " at row " +
                  std::to_string(i) + " outside its " + std::to_string(limit) + " bytes of data");
}

Table read_table(WireReader& r) {
  auto has_index = r.u8("table index flag");
  if (has_index > 1) r.malformed("table index flag is " + std::to_string(has_index));
  std::optional<std::string> index;
  if (has_index) index = r.string("table index name");
  auto ncols = r.u64("table column count");
  std::vector<Column> columns;
  columns.reserve(r.check_count(ncols, 8 + 1 + 8 + 3, "table column count"));
  for (std::uint64_t i = 0; i < ncols; ++i) {
    Column c;
    c.name = r.string("column name");
    auto type = r.u8("column type");
    if (type > max_column_type)
      r.malformed("column '" + c.name + "' has unknown type code " + std::to_string(type));
    c.type = static_cast<ColumnType>(type);
    c.length = r.i64("column length");
    if (c.length < 0) r.malformed("column '" + c.name + "' has negative length " + std::to_string(c.length));
    c.data = read_opt_block(r, c.type, "column '" + c.name + "' data");
    c.offsets = read_opt_block(r, ColumnType::int64, "column '" + c.name + "' offsets");
    c.validity = read_opt_block(r, ColumnType::boolean, "column '" + c.name + "' validity");
    check_column(r, c);
    columns.push_back(std::move(c));
  }
  try {
    return Table(std::move(columns), std::move(index));
  } catch (const Error& e) {
    r.malformed(e.what());
  }
}

struct ReadFrame {
  bool is_dict = false;
  std::uint64_t left = 0;
  ValueList list;
  ValueDict dict;
  std::string key;  // of the dict entry being read
};

/// Reads one value's kind and body. For a non-empty list or dict it pushes a
/// frame and returns false (the elements follow); otherwise sets `out`.
bool read_item(WireReader& r, std::vector<ReadFrame>& stack, Value& out) {
  auto tag = r.u8("value kind");
  switch (static_cast<ValueKind>(tag)) {
    case ValueKind::none: out = Value(); return true;
    case ValueKind::boolean: {
      auto b = r.u8("bool");
      if (b > 1) r.malformed("bool byte is " + std::to_string(b) + ", not 0 or 1");
      out = Value(b == 1);
      return true;
    }
    case ValueKind::int64: out = Value(r.i64("int64")); return true;
    case ValueKind::float64: out = Value(r.f64("float64")); return true;
    case ValueKind::string: out = Value(r.string("string")); return true;
    case ValueKind::bytes: out = Value::bytes(read_block<std::uint8_t>(r, "bytes data")); return true;
    case ValueKind::ndarray: out = Value(read_ndarray(r)); return true;
    case ValueKind::table: out = Value(read_table(r)); return true;
    case ValueKind::list:
    case ValueKind::dict: {
      bool is_dict = static_cast<ValueKind>(tag) == ValueKind::dict;
      if (stack.size() >= max_wire_depth)
        r.malformed("lists and dicts nested deeper than " + std::to_string(max_wire_depth) + " levels");
      auto n = r.u64(is_dict ? "dict size" : "list size");
      // Each element takes at least its kind byte (and a dict key its length).
      auto reserve = r.check_count(n, is_dict ? 9 : 1, is_dict ? "dict size" : "list size");
      if (n == 0) {
        out = is_dict ? Value(ValueDict{}) : Value(ValueList{});
        return true;
      }
      ReadFrame f;
      f.is_dict = is_dict;
      f.left = n;
      if (!is_dict) f.list.reserve(reserve);
      stack.push_back(std::move(f));
      return false;
    }
  }
  r.malformed("unknown value kind code " + std::to_string(tag));
}

/// Reads one value without recursing into lists and dicts.
Value read_tree(WireReader& r) {
  std::vector<ReadFrame> stack;
  for (;;) {
    if (!stack.empty() && stack.back().is_dict) {
      auto& f = stack.back();
      f.key = r.string("dict key");
      if (f.dict.find(f.key) != f.dict.end()) r.malformed("duplicate dict key '" + f.key + "'");
    }
    Value v;
    if (!read_item(r, stack, v)) continue;
    for (;;) {  // hand the finished value to its parent, closing full containers
      if (stack.empty()) return v;
      auto& f = stack.back();
      if (f.is_dict) f.dict.emplace(std::move(f.key), std::move(v));
      else f.list.push_back(std::move(v));
      if (--f.left > 0) break;
      v = f.is_dict ? Value(std::move(f.dict)) : Value(std::move(f.list));
      stack.pop_back();
    }
  }
}

// ---------------------------------------------------------------- tasks

enum class ArgTag : std::uint8_t { literal = 0, ref = 1, list = 2, call = 3 };

const std::string& sendable_name(const FunctionPtr& fn, const TaskSpec& task) {
  if (!fn) throw ValueError("cannot serialize task " + task.key.str() + ": a nested call has no function");
  if (!fn->registered)
    throw ValueError("cannot serialize task " + task.key.str() + ": function '" + fn->name +
                     "' is a local function that cannot be sent to another process; register it "
                     "with TESSERA_FUNCTION in every process of the cluster");
  return fn->name;
}

void write_args(WireWriter& w, const ArgList& args, const TaskSpec& task, std::size_t depth) {
  if (depth > max_wire_depth)
    throw ValueError("cannot serialize task " + task.key.str() + ": its arguments nest deeper than " +
                     std::to_string(max_wire_depth) + " levels");
  w.u64(args.size());
  for (const auto& a : args) {
    switch (a.kind()) {
      case Arg::Kind::literal:
        w.u8(static_cast<std::uint8_t>(ArgTag::literal));
        write_tree(w, a.literal());
        break;
      case Arg::Kind::ref:
        w.u8(static_cast<std::uint8_t>(ArgTag::ref));
        w.string(a.ref().str());
        break;
      case Arg::Kind::list:
        w.u8(static_cast<std::uint8_t>(ArgTag::list));
        write_args(w, a.list(), task, depth + 1);
        break;
      case Arg::Kind::call:
        w.u8(static_cast<std::uint8_t>(ArgTag::call));
        w.string(sendable_name(a.call().fn, task));
        w.string(a.call().key.str());
        write_args(w, a.call().args, task, depth + 1);
        break;
    }
  }
}

Key read_key(WireReader& r, std::string_view what) {
  auto s = r.string(what);
  if (s.empty()) r.malformed(std::string(what) + " is empty");
  return Key::from_string(std::move(s));
}

FunctionPtr resolve_function(std::string_view name, FunctionLookup lookup) {
  return lookup == FunctionLookup::strict ? Registry::global().get(name)
                                          : Registry::global().get_or_deferred(name);
}

ArgList read_args(WireReader& r, std::size_t depth, FunctionLookup lookup) {
  if (depth > max_wire_depth)
    r.malformed("task arguments nested deeper than " + std::to_string(max_wire_depth) + " levels");
  auto n = r.u64("argument count");
  ArgList args;
  args.reserve(r.check_count(n, 2, "argument count"));
  for (std::uint64_t i = 0; i < n; ++i) {
    auto tag = r.u8("argument kind");
    switch (static_cast<ArgTag>(tag)) {
      case ArgTag::literal: args.emplace_back(read_tree(r)); break;
      case ArgTag::ref: args.emplace_back(read_key(r, "argument key")); break;
      case ArgTag::list: args.emplace_back(read_args(r, depth + 1, lookup)); break;
      case ArgTag::call: {
        auto call = std::make_shared<Call>();
        call->fn = resolve_function(r.string("function name"), lookup);
        if (auto key = r.string("call key"); !key.empty()) call->key = Key::from_string(std::move(key));
        call->args = read_args(r, depth + 1, lookup);
        args.emplace_back(std::shared_ptr<const Call>(std::move(call)));
        break;
      }
      default: r.malformed("unknown argument kind code " + std::to_string(tag));
    }
  }
  return args;
}

template <class T, class F>
T read_all(std::string_view bytes, F&& read, const char* what) {
  ViewBuf buf(bytes);
  std::istream in(&buf);
  T out = read(in);
  if (buf.position() != bytes.size())
    throw ValueError(std::string("malformed ") + what + ": " + std::to_string(bytes.size() - buf.position()) +
                     " unexpected bytes after its end");
  return out;
}

}  // namespace

// ---------------------------------------------------------------- public API

void write_value(std::ostream& out, const Value& v) {
  WireWriter w(out, WireContent::value);
  write_tree(w, v);
}

Value read_value(std::istream& in) {
  WireReader r(in, WireContent::value);
  return read_tree(r);
}

std::string serialize_value(const Value& v) {
  return write_to_string([&](std::ostream& os) { write_value(os, v); });
}

Value deserialize_value(std::string_view bytes) {
  return read_all<Value>(bytes, [](std::istream& in) { return read_value(in); }, "value");
}

Value deserialize_value(std::string_view bytes, std::shared_ptr<const void> owner) {
  return read_all<Value>(
      bytes,
      [&](std::istream& in) {
        WireReader r(in, WireContent::value);
        r.borrow_blocks(std::move(owner), reinterpret_cast<const std::byte*>(bytes.data()));
        return read_tree(r);
      },
      "value");
}

std::string serialize_task(const TaskSpec& task) {
  return write_to_string([&](std::ostream& os) {
    WireWriter w(os, WireContent::task);
    w.string(task.key.str());
    w.u8(task.fn ? 1 : 0);
    if (task.fn) w.string(sendable_name(task.fn, task));
    write_args(w, task.args, task, 0);
  });
}

TaskSpec deserialize_task(std::string_view bytes, FunctionLookup lookup) {
  return read_all<TaskSpec>(
      bytes,
      [lookup](std::istream& in) {
        WireReader r(in, WireContent::task);
        TaskSpec t;
        t.key = read_key(r, "task key");
        auto has_fn = r.u8("function flag");
        if (has_fn > 1) r.malformed("function flag is " + std::to_string(has_fn) + ", not 0 or 1");
        if (has_fn) t.fn = resolve_function(r.string("function name"), lookup);
        t.args = read_args(r, 0, lookup);
        return t;
      },
      "task");
}

}  // namespace tessera

#include "collections/array/creation.hpp"

#include <cmath>
#include <cstring>

#include "collections/array/array_functions.hpp"
#include "collections/array/map_blocks.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

Value shape_value(const Shape& s) {
  ValueList l;
  for (auto d : s) l.emplace_back(d);
  return Value(std::move(l));
}

/// A 1-d array whose block i is fn(args_of(offset_i, size_i)...).
template <class ArgsOf>
Array one_d(const std::string& name, std::int64_t n, const ChunkSpec& chunks, DType dtype,
            const FunctionPtr& fn, ArgsOf args_of) {
  Chunks c = normalize_chunks(chunks, {n}, dtype);
  std::vector<TaskSpec> tasks;
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < c[0].size(); ++i) {
    tasks.push_back(TaskSpec{Key(name, {static_cast<std::int64_t>(i)}), fn, args_of(offset, c[0][i])});
    offset += c[0][i];
  }
  return Array(name, make_layer(name, std::move(tasks)), {n}, std::move(c), dtype);
}

}  // namespace

Array from_array(const NDArray& data, const ChunkSpec& chunks) {
  Chunks c = normalize_chunks(chunks, data.shape(), data.dtype());
  Tokenizer t;
  t.add("from_array").add(Value(data));
  for (const auto& axis : c)
    for (auto s : axis) t.add(s);
  const std::string name = "array-" + t.hex();
  std::vector<std::vector<std::int64_t>> offs;
  for (const auto& axis : c) offs.push_back(offsets(axis));
  std::vector<TaskSpec> tasks;
  const std::vector<bool> keep(data.ndim(), true);
  for (const auto& idx : block_indices(c)) {
    std::vector<std::int64_t> start, stop, step(data.ndim(), 1);
    for (std::size_t a = 0; a < data.ndim(); ++a) {
      start.push_back(offs[a][idx[a]]);
      stop.push_back(offs[a][idx[a] + 1]);
    }
    NDArray block = data.ndim() == 0 ? data : kernels::getitem(data, start, stop, step, keep);
    tasks.push_back(TaskSpec{Key(name, idx), nullptr, {Arg(Value(std::move(block)))}});
  }
  return Array(name, make_layer(name, std::move(tasks)), data.shape(), std::move(c), data.dtype());
}

Array arange(const Value& start, const Value& stop, const Value& step, const ChunkSpec& chunks,
             std::optional<DType> dtype) {
  for (const Value* v : {&start, &stop, &step})
    if (v->kind() != ValueKind::int64 && v->kind() != ValueKind::float64)
      throw TypeError("arange: start, stop and step must be numbers, got " + std::string(kind_name(v->kind())));
  const bool all_int = start.kind() == ValueKind::int64 && stop.kind() == ValueKind::int64 &&
                       step.kind() == ValueKind::int64;
  const DType dt = dtype.value_or(all_int ? DType::int64 : DType::float64);
  if (dt != DType::int64 && dt != DType::float64)
    throw ValueError("arange: dtype must be int64 or float64, got " + std::string(dtype_name(dt)));
  if (step.as_float() == 0) throw ValueError("arange: step must not be zero");
  std::int64_t n;
  if (all_int) {
    const std::int64_t a = start.as_int(), b = stop.as_int(), s = step.as_int();
    n = s > 0 ? (b - a + s - 1) / s : (a - b + (-s) - 1) / (-s);
  } else {
    n = static_cast<std::int64_t>(std::ceil((stop.as_float() - start.as_float()) / step.as_float()));
  }
  n = std::max<std::int64_t>(n, 0);
  // An int64 array over float arguments, or the reverse, counts as NumPy does
  // but computes each value in the requested dtype.
  Value s0 = dt == DType::int64 ? Value(start.kind() == ValueKind::int64 ? start.as_int()
                                                                      : static_cast<std::int64_t>(start.as_float()))
                                : Value(start.as_float());
  Value d0 = dt == DType::int64 ? Value(step.kind() == ValueKind::int64 ? step.as_int()
                                                                      : static_cast<std::int64_t>(step.as_float()))
                                : Value(step.as_float());
  const std::string dname(dtype_name(dt));
  Chunks c = normalize_chunks(chunks, {n}, dt);
  Tokenizer t;
  t.add("arange").add(s0).add(d0).add(n).add(dname);
  for (auto x : c[0]) t.add(x);
  const std::string full_name = "arange-" + t.hex();
  return one_d(full_name, n, c, dt, array_functions().arange, [&](std::int64_t off, std::int64_t size) {
    return ArgList{Arg(s0), Arg(d0), Arg(Value(off)), Arg(Value(size)), Arg(Value(dname))};
  });
}

Array linspace(double start, double stop, std::int64_t num, const ChunkSpec& chunks, bool endpoint) {
  if (num < 0) throw ValueError("linspace: number of samples " + std::to_string(num) + " must be non-negative");
  Chunks c = normalize_chunks(chunks, {num});
  Tokenizer t;
  t.add("linspace").add(start).add(stop).add(num).add(static_cast<std::int64_t>(endpoint));
  for (auto x : c[0]) t.add(x);
  return one_d("linspace-" + t.hex(), num, c, DType::float64, array_functions().linspace,
               [&](std::int64_t off, std::int64_t size) {
                 return ArgList{Arg(Value(start)), Arg(Value(stop)), Arg(Value(num)), Arg(Value(endpoint)),
                                Arg(Value(off)), Arg(Value(size))};
               });
}

Array full(const Shape& shape, const Value& fill, const ChunkSpec& chunks, std::optional<DType> dtype) {
  const DType dt = dtype.value_or(kernels::scalar_dtype(fill));
  Chunks c = normalize_chunks(chunks, shape, dt);
  Tokenizer t;
  t.add("full").add(shape_value(shape)).add(fill).add(dtype_name(dt));
  for (const auto& axis : c)
    for (auto x : axis) t.add(x);
  const std::string name = "full-" + t.hex();
  const Value dname{std::string(dtype_name(dt))};
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(c))
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().full,
                             {Arg(shape_value(block_shape(c, idx))), Arg(fill), Arg(dname)}});
  return Array(name, make_layer(name, std::move(tasks)), shape, std::move(c), dt);
}

Array zeros(const Shape& shape, const ChunkSpec& chunks, DType dtype) {
  return full(shape, Value(std::int64_t{0}), chunks, dtype);
}

Array ones(const Shape& shape, const ChunkSpec& chunks, DType dtype) {
  return full(shape, Value(std::int64_t{1}), chunks, dtype);
}

Array empty(const Shape& shape, const ChunkSpec& chunks, DType dtype) { return zeros(shape, chunks, dtype); }

Array eye(std::int64_t n, const ChunkSpec& chunks, std::optional<std::int64_t> m_in, std::int64_t k, DType dtype) {
  const std::int64_t m = m_in.value_or(n);
  if (n < 0 || m < 0)
    throw ValueError("eye: negative dimensions are not allowed (N=" + std::to_string(n) + ", M=" + std::to_string(m) + ")");
  Chunks c = normalize_chunks(chunks, {n, m}, dtype);
  Tokenizer t;
  t.add("eye").add(n).add(m).add(k).add(dtype_name(dtype));
  for (const auto& axis : c)
    for (auto x : axis) t.add(x);
  const std::string name = "eye-" + t.hex();
  const auto rows = offsets(c[0]), cols = offsets(c[1]);
  const Value dname{std::string(dtype_name(dtype))};
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(c))
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().eye,
                             {Arg(shape_value(block_shape(c, idx))), Arg(Value(rows[static_cast<std::size_t>(idx[0])])),
                              Arg(Value(cols[static_cast<std::size_t>(idx[1])])), Arg(Value(k)), Arg(dname)}});
  return Array(name, make_layer(name, std::move(tasks)), {n, m}, std::move(c), dtype);
}

Array fromfunction(const BlockFunction& fn, const Shape& shape, const ChunkSpec& chunks, DType dtype,
                   const ValueList& args) {
  for (auto d : shape)
    if (d < 0) throw ValueError("fromfunction: negative dimensions are not allowed");
  Chunks c = normalize_chunks(chunks, shape, dtype);
  Tokenizer t;
  t.add("fromfunction").add(fn.get()->name).add(shape_value(shape)).add(dtype_name(dtype));
  for (const auto& a : args) t.add(a);
  for (const auto& axis : c)
    for (auto x : axis) t.add(x);
  const std::string name = fn.get()->name + "-" + t.hex();
  std::vector<std::vector<std::int64_t>> offs;
  for (const auto& axis : c) offs.push_back(offsets(axis));
  const Value dname{std::string(dtype_name(dtype))};
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(c)) {
    ValueList origin;
    for (std::size_t a = 0; a < shape.size(); ++a) origin.emplace_back(offs[a][static_cast<std::size_t>(idx[a])]);
    const Value vorigin(std::move(origin)), vshape = shape_value(block_shape(c, idx));
    ArgList call_args;
    for (std::size_t a = 0; a < shape.size(); ++a)
      call_args.emplace_back(std::make_shared<const Call>(Call{
          array_functions().indices,
          {Arg(vorigin), Arg(vshape), Arg(Value(static_cast<std::int64_t>(a))), Arg(dname)}, Key()}));
    for (const auto& a : args) call_args.emplace_back(a);
    tasks.push_back(TaskSpec{Key(name, idx), fn.get(), std::move(call_args)});
  }
  return Array(name, make_layer(name, std::move(tasks)), shape, std::move(c), dtype);
}

namespace kernels {

NDArray eye_block(const Shape& shape, std::int64_t row0, std::int64_t col0, std::int64_t k, DType dtype) {
  if (shape.size() != 2) throw ValueError("array.eye: blocks are 2-D");
  NDArray out = full(shape, Value(std::int64_t{0}), dtype);
  const std::size_t e = dtype_size(dtype);
  const NDArray one = full({}, Value(std::int64_t{1}), dtype);
  auto* dst = const_cast<std::byte*>(out.buffer()->data());  // a fresh block, not yet shared
  for (std::int64_t i = 0; i < shape[0]; ++i) {
    const std::int64_t j = row0 + i + k - col0;
    if (j >= 0 && j < shape[1]) std::memcpy(dst + static_cast<std::size_t>(i * shape[1] + j) * e, one.buffer()->data(), e);
  }
  return out;
}

NDArray indices_block(const std::vector<std::int64_t>& origin, const Shape& shape, std::int64_t axis, DType dtype) {
  const std::size_t nd = shape.size();
  if (origin.size() != nd || axis < 0 || axis >= static_cast<std::int64_t>(nd))
    throw ValueError("array.indices: axis " + std::to_string(axis) + " of a " + std::to_string(nd) + "-D block");
  std::vector<std::int64_t> v(static_cast<std::size_t>(shape_size(shape)));
  std::int64_t inner = 1;
  for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < nd; ++k) inner *= shape[k];
  const std::int64_t ext = shape[static_cast<std::size_t>(axis)];
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = origin[static_cast<std::size_t>(axis)] + (static_cast<std::int64_t>(i) / inner) % std::max<std::int64_t>(ext, 1);
  const NDArray flat = NDArray::from_vector(v);
  return astype(NDArray(DType::int64, shape, flat.buffer()), dtype);
}

}  // namespace kernels

}  // namespace tessera::array

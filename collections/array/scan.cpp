// cumsum / cumprod: per block a scan, along the axis a chain of carries,
// then each block offset by its carry:
//
//   scan(b0)  scan(b1)  scan(b2)        "array.scan_block"
//      |  \      |  \      |
//      |  carry1-+->carry2 |            "array.scan_carry" (a chain along the axis)
//      |         |  \      |  \
//     out0     out1      out2           "array.apply_carry"
#include <string>

#include "collections/array/array.hpp"
#include "collections/array/array_functions.hpp"
#include "collections/array/scan_kernels.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

Array scan(const Array& a, std::int64_t axis_in, bool prod) {
  const std::string what = prod ? "cumprod" : "cumsum";
  if (a.ndim() == 0) throw ValueError(what + ": a 0-d array has no axis to scan");
  const auto axis = normalize_axis(axis_in, a.ndim());
  const auto k = static_cast<std::size_t>(axis);
  Tokenizer t;
  t.add(what).add(a.name()).add(axis);
  const std::string name = what + "-" + t.hex(), scanned = what + "-scan-" + t.hex(), carry = what + "-carry-" + t.hex();
  const auto& f = array_functions();
  std::vector<TaskSpec> scans, carries, outs;
  for (const auto& idx : block_indices(a.chunks())) {
    scans.push_back(TaskSpec{Key(scanned, idx), f.scan_block, {Arg(a.block_key(idx)), Arg(Value(axis)), Arg(Value(prod))}});
    if (idx[k] == 0) {
      outs.push_back(TaskSpec{Key(name, idx), nullptr, {Arg(Key(scanned, idx))}});
      continue;
    }
    std::vector<std::int64_t> before = idx;
    --before[k];
    const Arg previous = before[k] == 0 ? Arg(Value()) : Arg(Key(carry, before));
    carries.push_back(TaskSpec{Key(carry, idx), f.scan_carry,
                               {previous, Arg(Key(scanned, before)), Arg(Value(axis)), Arg(Value(prod))}});
    outs.push_back(TaskSpec{Key(name, idx), f.apply_carry,
                            {Arg(Key(scanned, idx)), Arg(Key(carry, idx)), Arg(Value(axis)), Arg(Value(prod))}});
  }
  auto scan_layer = make_layer(scanned, std::move(scans), {a.layer()});
  auto carry_layer = make_layer(carry, std::move(carries), {scan_layer});
  return Array(name, make_layer(name, std::move(outs), {scan_layer, carry_layer}), a.shape(), a.chunks(),
               kernels::scan_result(a.dtype()));
}

}  // namespace

Array Array::cumsum(std::int64_t axis) const { return scan(*this, axis, false); }
Array Array::cumprod(std::int64_t axis) const { return scan(*this, axis, true); }

}  // namespace tessera::array

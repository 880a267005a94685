#pragma once
// Ghost cells, as dask.array.overlap: each block is extended by `depth`
// elements of its neighbours on each side of each axis (the array's edges
// by its boundary condition), a function runs on the extended blocks, and
// the ghosts are trimmed off again.
//
//   block j along an axis:   [ right `depth` of block j-1 | block j | left `depth` of block j+1 ]
//
// Axes are ghosted one after the other (corners come from the diagonal
// neighbours through the second pass). One task per block per ghosted axis
// assembles its extended block from slices of its neighbours only.
#include <vector>

#include "collections/array/map_blocks.hpp"

namespace tessera::array {

/// What lies beyond an edge of the array: nothing (the edge blocks are not
/// extended there), its mirror image (NumPy pad's "symmetric": x[d-1], ..., x[0]),
/// the other end (periodic), the edge element repeated (nearest), or a constant.
struct Boundary {
  enum class Kind : std::uint8_t { none, reflect, periodic, nearest, constant };
  Kind kind = Kind::none;
  Value value = Value(0.0);  // the constant's value
  static Boundary none() { return {}; }
  static Boundary reflect() { return {Kind::reflect}; }
  static Boundary periodic() { return {Kind::periodic}; }
  static Boundary nearest() { return {Kind::nearest}; }
  static Boundary constant(Value v) { return {Kind::constant, std::move(v)}; }
};

struct OverlapOptions {
  std::vector<std::int64_t> depth{}; // per axis, or one for every axis
  std::vector<Boundary> boundary{};  // per axis, or one for every axis (default none)
  bool trim = true;                  // trim the ghosts off the function's blocks
};

/// The array with each block extended by its neighbours' ghost cells
/// (dask.array.overlap.overlap). Throws ValueError for a negative depth, a
/// depth larger than a block it must be taken from (rechunk to larger blocks),
/// or a depth/boundary list of the wrong length.
Array overlap(const Array& x, const OverlapOptions& o);

/// fn run on the extended blocks of x, then trimmed (dask.array.map_overlap);
/// fn must keep the shape of its block unless `map.chunks` says otherwise.
Array map_overlap(const BlockFunction& fn, const Array& x, const OverlapOptions& o, const MapBlocksOptions& map = {});

}  // namespace tessera::array

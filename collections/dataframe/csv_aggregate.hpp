#pragma once
// The fused read → filter → group-by chunk: one task reads a CSV block and
// returns, for each of several group-by queries over it, the partial that
// aggregate_chunk would make from the parsed block, without building the
// block's Table. The bytes are read in windows of a few MiB (kept in a buffer
// per thread, so no fresh pages per block) and parsed into morsels of 16,384
// rows that stay in cache while every query consumes them:
//
//   1. only the columns the queries read are converted (group keys, aggregated
//      columns, the columns of the masks); other fields are only split;
//   2. a group key is interned once per row into a dense code shared by
//      every query (a string key is never copied per row); each (mask, key)
//      pair keeps a code → group map, so groups are numbered in order of
//      first appearance, exactly as aggregate_chunk numbers them;
//   3. masks are evaluated per morsel by expr::evaluate;
//   4. states are updated row by row in file order, so every sum is the same
//      sequence of additions as the unfused chunk's: results are bit-identical.
//
// What it supports (csv_aggregate_supports): at most one key, of type int64,
// timestamp, bool or string; sum, mean, min, max over int64/float64 columns,
// count over any column, size; any bool mask expression. The graph rewrite
// (fuse_csv.hpp) fuses only blocks whose consumers are all supported.
//
// Difference from the unfused path: a column that no query reads is not
// converted, so a malformed value in it is not reported (as Dask's column
// projection). Field counts, quoting and the columns read are checked as
// read_csv does, with the same messages.
#include <string>
#include <string_view>
#include <vector>

#include "collections/dataframe/aggregation.hpp"
#include "collections/dataframe/csv_parser.hpp"
#include "collections/dataframe/csv_spec.hpp"

namespace tessera::dataframe {

/// One consumer of a block: the arguments of dataframe.agg_chunk.
struct AggQuery {
  Value mask;  // a bool expression, or none
  std::vector<std::string> keys;
  std::vector<AggSpec> aggs;
};

/// Whether csv_aggregate computes `q` over the columns `spec` reads exactly as
/// aggregate_chunk would.
bool csv_aggregate_supports(const CsvSpec& spec, const AggQuery& q);

/// Where the text comes from: the lines starting in [begin, end) of a plain
/// file (end -1: to its end), as read_csv_block; or, when `text` is set, that
/// text (a decompressed file, a test's string), described by `context`.
struct CsvSource {
  std::string path;
  std::int64_t begin = 0;
  std::int64_t end = -1;
  const std::string* text = nullptr;
  BlockContext context;
};

/// The partials of `queries` over the block's rows (one Table each, as
/// aggregate_chunk returns). Errors as parse_csv's. Thread-safe.
std::vector<Table> csv_aggregate(const CsvSource& source, const CsvSpec& spec, const std::vector<AggQuery>& queries);

/// Window size for file reads (tests shrink it to cut rows at odd places);
/// not thread-safe: set before computing.
void set_csv_aggregate_window(std::size_t bytes);

}  // namespace tessera::dataframe

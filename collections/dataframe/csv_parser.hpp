#pragma once
// The CSV parser: one pass over a block of bytes, fields split by the
// separator, rows by '\n' (a '\r' before it is dropped), fields in double
// quotes may hold the separator, newlines and doubled quotes (""). Blank
// lines are skipped. A row with fewer fields than the header gets nulls; a
// row with more is an error. Values are parsed straight into typed column
// builders (no string per cell); an NA string gives a null, and a value that
// does not parse as its column's type is a ValueError naming the file, the
// line and the column.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collections/dataframe/csv_spec.hpp"
#include "runtime/value/table.hpp"

namespace tessera::dataframe {

/// Where a block of text comes from, for error messages and the header.
struct BlockContext {
  std::string path;
  std::int64_t offset = 0;      // byte offset of the text in the (decompressed) file
  bool has_header = false;      // the text starts with the header line: skip it
  bool partial_tail = false;    // a sample: the last row may be cut short; drop it
};

/// Parses `text` into a Table with spec.use/spec.types columns named after spec.file_names.
Table parse_csv(std::string_view text, const CsvSpec& spec, const BlockContext& ctx);

/// The fields of the first non-blank line of `text` (the header), with
/// duplicate names made unique as pandas does ("x", "x.1").
std::vector<std::string> parse_header(std::string_view text, char sep);

/// The type pandas would give each column of `sample` (a table of string
/// columns): int64 when every non-null value is an integer and none is null,
/// float64 when every value is a number (or all are null), bool, else string.
std::vector<ColumnType> infer_types(const Table& sample);

/// 1-based line number of byte `pos` of `text` (newlines inside the file
/// before ctx.offset are counted by reading the file).
std::int64_t line_number(std::string_view text, std::size_t pos, const BlockContext& ctx);

/// The errors the CSV readers raise, shared by the block parser and the fused
/// read + aggregate kernel so that both say the same thing. `pos` is a byte
/// offset into `text`.
namespace csv {
[[noreturn]] void throw_bad_value(std::string_view text, std::size_t pos, const BlockContext& ctx,
                                  const std::string& column, ColumnType type, std::string_view value);
[[noreturn]] void throw_field_count(std::string_view text, std::size_t row_pos, const BlockContext& ctx,
                                    std::size_t expected, std::size_t saw);
[[noreturn]] void throw_unterminated(std::string_view text, std::size_t pos, const BlockContext& ctx);
/// ValueError unless the header line at the start of `text` has as many
/// fields as spec.file_names (does nothing when spec.header is false).
void check_header(std::string_view text, const CsvSpec& spec, const std::string& path);
}  // namespace csv

}  // namespace tessera::dataframe

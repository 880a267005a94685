#pragma once
// read_csv: dd.read_csv over a glob or a list of files. Each file is split
// into blocks of `blocksize` bytes at line boundaries (each task reads only
// its own byte range); .gz files are read whole, one partition each. Column
// types come from `dtype`, `parse_dates`, or are inferred from the first
// `sample` bytes of the first file as pandas would; a later block holding a
// value of another type fails with an error naming the file, the line and
// the column.
//
// Limits: a block boundary inside a quoted field that holds a newline splits
// the row (as Dask's); use blocksize = 0 for such files. Bytes are not
// checked to be UTF-8. An NA string in an int64 column gives a null in an
// int64 column (pandas would switch the column to float64).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "collections/dataframe/dataframe.hpp"

namespace tessera::dataframe {

struct ReadCsvOptions {
  char sep = ',';
  /// false: the files have no header line; names come from `names` or are "0", "1", ...
  bool header = true;
  /// Column names (replace the header's when header is true).
  std::vector<std::string> names;
  /// Only these columns, in the file's order (as pandas).
  std::vector<std::string> usecols;
  /// {column, dtype} overrides: "int64", "float64", "bool", "object", "datetime64[ns]".
  std::vector<std::pair<std::string, std::string>> dtype;
  /// Columns parsed as datetime64[ns] (ISO 8601 text).
  std::vector<std::string> parse_dates;
  /// Extra strings read as null, added to pandas' defaults unless keep_default_na is false.
  std::vector<std::string> na_values;
  bool keep_default_na = true;
  /// Bytes per partition; 0 = one partition per file. Dask's default, 64 MB.
  std::int64_t blocksize = 64'000'000;
  /// Bytes of the first file used to infer types (Dask's default).
  std::int64_t sample = 256'000;
};

DataFrame read_csv(const std::string& pattern, const ReadCsvOptions& options = {});
DataFrame read_csv(const std::vector<std::string>& paths, const ReadCsvOptions& options = {});


}  // namespace tessera::dataframe

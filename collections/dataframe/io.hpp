#pragma once
// JSON lines in (read_json) and CSV / JSON lines out (to_csv, to_json), as
// dask.dataframe's: one partition per input file, one output file per
// partition.
//
// read_json: each line one JSON object (pandas' read_json(lines=True)).
// Columns are the keys in order of first appearance in the first file (its
// first `sample` lines); types: all integers -> int64, numbers -> float64,
// booleans -> bool, strings -> object; missing keys and null -> null. Nested
// arrays and objects are kept as their JSON text (object). A later line
// with a key not seen in the sample, or a value of another type, fails with
// an error naming the file, the line and the column. Date-like strings stay
// strings (pandas' convert_dates does not apply; astype("datetime64[ns]")).
//
// to_csv: pandas' to_csv(index=False): floats as Python's repr (55.0,
// 1e-05), nulls as `na_rep`, True/False, timestamps "YYYY-MM-DD HH:MM:SS"
// (a date alone when every value of the partition is at midnight, as
// pandas), fields holding the separator, a quote or a line break quoted with
// doubled quotes. to_json: orient="records", lines=True, UTF-8 kept
// (force_ascii=False), timestamps ISO 8601 with milliseconds (date_format=
// "iso"), floats as shortest round-trip numbers.
//
// Writers run the graph at once (Dask's compute=True) and return the file
// names; "*" in the path is replaced by the partition number.
#include <string>
#include <vector>

#include "collections/dataframe/dataframe.hpp"

namespace tessera::dataframe {

struct ReadJsonOptions {
  /// Lines of the first file read to learn the columns and their types.
  std::int64_t sample = 1000;
};

DataFrame read_json(const std::string& pattern, const ReadJsonOptions& options = {});
DataFrame read_json(const std::vector<std::string>& paths, const ReadJsonOptions& options = {});

struct ToCsvOptions {
  char sep = ',';
  bool header = true;
  std::string na_rep;
};

std::vector<std::string> to_csv(const DataFrame& df, const std::string& path, const ToCsvOptions& options = {},
                                const ComputeOptions& compute = {});
std::vector<std::string> to_json(const DataFrame& df, const std::string& path, const ComputeOptions& compute = {});

/// One partition as CSV / JSON lines text (what each file holds).
std::string table_to_csv(const Table& t, const ToCsvOptions& options = {});
std::string table_to_json_lines(const Table& t);
/// A double as Python's repr writes it ("55.0", "1e-05", "inf", "nan").
std::string python_float_repr(double d);

}  // namespace tessera::dataframe

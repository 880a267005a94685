#pragma once
// A string as a JSON string literal: quotes, backslashes and control
// characters escaped, other bytes (UTF-8 included) as they are. Shared by
// the dataframe's to_json and the REPL's printing of lists and dicts.
#include <string>
#include <string_view>

namespace tessera {

/// Appends `s` to `out` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);
/// `s` as a JSON string literal, quotes included.
std::string json_string(std::string_view s);

}  // namespace tessera

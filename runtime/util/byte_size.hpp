#pragma once
// Byte sizes as users write them: "4GB" (10^9, as Dask), "512MiB" (2^20),
// "1.5 GB", "4000000" (bytes).
#include <cstdint>
#include <string>

namespace tessera {

/// Throws ValueError naming the text when it is not a size.
std::uint64_t parse_byte_size(const std::string& text);
/// "1.50 GiB", "512 MiB", "17 B".
std::string format_byte_size(std::uint64_t bytes);

}  // namespace tessera

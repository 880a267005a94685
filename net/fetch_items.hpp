#pragma once
// The payload of a request frame: the values a client wants, each a task id
// with its key (the server checks that both name the same value).
//   payload := count:u32 (task_id:u64 key_size:u32 key)*count    (little-endian)
#include <cstdint>
#include <string>
#include <vector>

#include "net/frame.hpp"

namespace tessera::net {

struct FetchItem {
  std::uint64_t id = 0;
  std::string key;
  friend bool operator==(const FetchItem&, const FetchItem&) = default;
};

/// At most this many items in one request.
inline constexpr std::uint32_t max_fetch_items = 1'000'000;

std::string encode_fetch_items(const std::vector<FetchItem>& items);
/// Throws FrameError on a malformed payload (sizes beyond the input, too
/// many items, trailing bytes); allocates no more than the input can hold.
std::vector<FetchItem> decode_fetch_items(ConstBytes payload);

}  // namespace tessera::net

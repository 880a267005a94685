#pragma once
// Test scenario shared by the plain and TLS cluster tests: four 8 MiB arrays
// made as root tasks over two workers; a dot of two held by different
// workers needs one moved between them (over 1 MiB: on the data plane), and
// the client gathers all four from their holders' data servers.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "actors/tessera.hpp"
#include "tests/plugins/dist_functions.hpp"

namespace tessera::testing {

inline void dot_of_arrays_held_apart(Client& client) {
  using namespace std::chrono_literals;
  constexpr std::int64_t n = 1 << 20;
  std::vector<Future<NDArray>> arrays;
  for (int i = 0; i < 4; ++i) arrays.push_back(client.submit(dist_ones, n, 1.0 + i));
  ASSERT_TRUE(wait(arrays, 60s));
  auto who = client.who_has();
  std::optional<std::pair<int, int>> apart;
  for (int i = 0; i < 4 && !apart; ++i)
    for (int j = i + 1; j < 4 && !apart; ++j)
      if (who[arrays[i].key().str()] != who[arrays[j].key().str()]) apart = {i, j};
  ASSERT_TRUE(apart) << "the four roots all went to one worker";
  auto [i, j] = *apart;
  auto dot = client.submit(dist_dot, arrays[i], arrays[j]);
  EXPECT_DOUBLE_EQ(dot.result(60s), static_cast<double>(n) * (1.0 + i) * (1.0 + j));
  auto values = client.gather(arrays);
  for (int k = 0; k < 4; ++k) {
    ASSERT_EQ(values[k].size(), n);
    EXPECT_EQ(values[k].values<double>()[n - 1], 1.0 + k);
  }
}

}  // namespace tessera::testing

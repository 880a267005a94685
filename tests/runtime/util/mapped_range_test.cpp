// MappedRange and run_guarded (runtime/util/mapped_range.hpp): a mapping reads
// the file's bytes, and a file truncated under a mapping is a `false` from
// run_guarded instead of a SIGBUS that kills the process.
#include "runtime/util/mapped_range.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "runtime/util/error.hpp"
#include "tests/support/temp_files.hpp"

namespace tessera {
namespace {

std::string counting_bytes(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(i % 251);
  return s;
}

struct Copy {
  const std::byte* src;
  std::size_t n;
  std::byte* dst;
};

void copy_bytes(void* context) {
  auto* c = static_cast<Copy*>(context);
  std::memcpy(c->dst, c->src, c->n);
}

TEST(MappedRange, MapsAnUnalignedRange) {
  const auto path = testing::write_file("tessera-mapped-range.bin", counting_bytes(3 * 4096 + 100));
  MappedRange range(path, 5000, 7000);  // starts inside the second page
  ASSERT_EQ(range.length(), 7000);
  for (std::int64_t i = 0; i < range.length(); i += 997)
    EXPECT_EQ(static_cast<unsigned char>(range.data()[i]), (5000 + i) % 251) << i;
  EXPECT_EQ(static_cast<unsigned char>(range.data()[6999]), (5000 + 6999) % 251);
  std::filesystem::remove(path);
}

TEST(MappedRange, AShortOrMissingFileIsAValueErrorNamingIt) {
  const auto path = testing::write_file("tessera-mapped-short.bin", counting_bytes(100));
  try {
    MappedRange range(path, 50, 51);
    FAIL() << "mapped past the end";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ends before byte 101"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(MappedRange(path, 100, 0));
  std::filesystem::remove(path);
  EXPECT_THROW(MappedRange(path, 0, 1), ValueError);
}

TEST(MappedRange, ATruncatedFileIsReportedNotASigbus) {
  const std::size_t n = 64 * 4096;
  const auto path = testing::write_file("tessera-mapped-truncated.bin", counting_bytes(n));
  MappedRange range(path, 0, static_cast<std::int64_t>(n));
  std::string out(n, '\0');
  Copy c{range.data(), n, reinterpret_cast<std::byte*>(out.data())};
  ASSERT_TRUE(run_guarded(copy_bytes, &c));
  EXPECT_EQ(out, counting_bytes(n));

  std::filesystem::resize_file(path, 4096);  // another process truncates the file
  EXPECT_FALSE(run_guarded(copy_bytes, &c));
  // The guard is reusable, and reads of what is left still work.
  Copy head{range.data(), 4096, reinterpret_cast<std::byte*>(out.data())};
  EXPECT_TRUE(run_guarded(copy_bytes, &head));
  EXPECT_FALSE(run_guarded(copy_bytes, &c));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tessera

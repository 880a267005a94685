#pragma once
// Test helper: files in a directory private to this test process.
//
// ctest runs the instances of a parameterised test (sync, threads, ...) as separate processes at
// the same time; a fixed path under the shared temp dir lets one instance overwrite the file another
// is reading. Each process gets its own directory, removed when the process ends.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tessera::testing {

/// This process's private temp directory (created on first use, removed at exit).
inline const std::string& private_temp_dir() {
  struct Dir {
    std::string path;
    Dir() : path(::testing::TempDir() + "/tessera-test-" + std::to_string(::getpid())) {
      std::filesystem::remove_all(path);
      std::filesystem::create_directories(path);
    }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

/// The path of `name` in the private temp directory.
inline std::string temp_path(const std::string& name) { return private_temp_dir() + "/" + name; }

/// Writes `text` to `name` in the private temp directory; returns its path.
inline std::string write_file(const std::string& name, const std::string& text) {
  std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace tessera::testing

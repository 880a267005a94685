// Writes the seed corpora of the fuzz targets: one well-formed input per
// frame kind and value kind, so that fuzzing starts from inputs that pass the
// checks and mutates from there. Built by the clang fuzz sub-build; run by hand
// after a format change:  build/fuzz/fuzz_make_seeds tests/fuzz/corpus
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "net/fetch_items.hpp"
#include "net/frame.hpp"
#include "net/serialized_value.hpp"
#include "runtime/graph/task_spec.hpp"
#include "runtime/serial/serialize.hpp"
#include "runtime/value/buffer.hpp"
#include "runtime/value/ndarray.hpp"
#include "runtime/value/table.hpp"

using namespace tessera;
using namespace tessera::net;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

std::vector<std::pair<std::string, Value>> sample_values() {
  auto buf = make_buffer(6 * sizeof(double));
  auto d = buf->mutable_as<double>();
  for (std::size_t i = 0; i < 6; ++i) d[i] = 0.5 * static_cast<double>(i);
  Value array(NDArray(DType::float64, {2, 3}, std::move(buf)));
  Table table({Column::from_int64("a", {1, 2, 3}), Column::from_strings("s", {"x", "", "yz"}),
               Column::from_float64("f", {0.5, -1, 2})},
              "a");
  return {{"none", Value()},
          {"int", Value(42)},
          {"float", Value(-2.5)},
          {"string", Value("text")},
          {"bytes", Value::bytes("raw\x00bytes")},
          {"list", Value(ValueList{Value(1), Value("a"), Value(ValueList{Value(true)})})},
          {"dict", Value(ValueDict{{"k", Value(1)}, {"l", Value(ValueList{})}})},
          {"ndarray", array},
          {"table", Value(table)}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_seeds CORPUS_DIR\n";
    return 2;
  }
  fs::path root = argv[1];
  auto frames = root / "frame_decode";
  auto values = root / "value_deserialize";
  write(frames, "hello", encode_frame(FrameKind::hello, 0, 0, 0, "", "s3cret"));
  write(frames, "welcome", encode_frame(FrameKind::welcome, 0, 0, 0, "", ""));
  write(frames, "request", encode_frame(FrameKind::request, 7, 0, 0, "",
                                        encode_fetch_items({{1, "('x', 0)"}, {2, "y"}, {3, ""}})));
  write(frames, "not_found", encode_frame(FrameKind::not_found, 7, 1, 2, "y", ""));
  write(frames, "error", encode_frame(FrameKind::error, 7, 2, 3, "z", "cannot send 'z'"));
  write(frames, "ack", encode_frame(FrameKind::ack, 8, 0, 4, "k", ""));
  write(frames, "close", encode_frame(FrameKind::close, 0, 0, 0, "", ""));
  for (const auto& [name, v] : sample_values()) {
    auto payload = serialize_value(v);
    write(frames, "value_" + name, encode_frame(FrameKind::value, 7, 0, 1, "('x', 0)", payload));
    write(frames, "push_" + name, encode_frame(FrameKind::push, 9, 0, 5, "pushed", payload));
    write(values, "value_" + name, std::string(1, '\0') + payload);
  }
  TaskSpec literal{Key("lit"), nullptr, {Arg(Value(ValueList{Value(1), Value("a")}))}};
  TaskSpec alias{Key("y", {1}), nullptr, {Arg(Key("x", {0}))}};
  TaskSpec nested{Key("n"), nullptr, {Arg(ArgList{Arg(Key("a")), Arg(Value(2.5))})}};
  write(values, "task_literal", std::string(1, '\1') + serialize_task(literal));
  write(values, "task_alias", std::string(1, '\1') + serialize_task(alias));
  write(values, "task_nested", std::string(1, '\1') + serialize_task(nested));
  std::cout << "wrote seeds to " << frames << " and " << values << "\n";
  return 0;
}

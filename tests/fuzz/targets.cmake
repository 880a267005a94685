# The project's libFuzzer targets, read twice: by tests/fuzz/CMakeLists.txt
# (the main g++ build: one ctest test fuzz.<name> each) and by
# tests/fuzz/clang/CMakeLists.txt (the clang sub-build that compiles them).
#
# tessera_add_fuzz_target(NAME SOURCES file... [LIBS target...] [CORPUS dir])
#   SOURCES: the target's own file (tests/fuzz/<name>.cpp, defining
#   LLVMFuzzerTestOneInput) plus the project sources it tests that are not in
#   the instrumented runtime library every target links (runtime/**/*.cpp).
#   Paths are relative to the source root. LIBS: prebuilt libraries it links
#   besides (CAF). CORPUS: the committed seed corpus, default
#   tests/fuzz/corpus/<name>.

tessera_add_fuzz_target(frame_decode
  SOURCES tests/fuzz/frame_decode.cpp net/frame.cpp net/fetch_items.cpp)

tessera_add_fuzz_target(value_deserialize
  SOURCES tests/fuzz/value_deserialize.cpp)

# Every control-plane message as CAF's middleman decodes it (wire.hpp).
tessera_add_fuzz_target(wire_message
  SOURCES tests/fuzz/wire_message.cpp actors/protocol/wire.cpp actors/protocol/message_types.cpp
    actors/protocol/protocol_error.cpp
  LIBS CAF::core)

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

# The REPL language's lexer and parser (tools/repl): text in, statements or a SyntaxError out.
tessera_add_fuzz_target(repl_parse
  SOURCES tests/fuzz/repl_parse.cpp tools/repl/lexer.cpp tools/repl/parser.cpp tools/repl/syntax_error.cpp)

# read_csv's parser and the fused read + group-by kernel (collections/dataframe):
# bytes in, partials or a ValueError out; the fused path must agree with the unfused one.
tessera_add_fuzz_target(csv_parse
  SOURCES tests/fuzz/csv_parse.cpp collections/dataframe/csv_parser.cpp collections/dataframe/csv_aggregate.cpp
    collections/dataframe/csv_spec.cpp collections/dataframe/text_values.cpp collections/dataframe/column_builder.cpp
    collections/dataframe/aggregation.cpp collections/dataframe/expression.cpp collections/dataframe/table_ops.cpp
    collections/dataframe/schema.cpp collections/dataframe/table_printer.cpp collections/core/text_file.cpp
    collections/dataframe/lambda_apply.cpp
  LIBS ZLIB::ZLIB)

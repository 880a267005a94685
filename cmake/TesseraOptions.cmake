# Warnings, sanitizers and CPU options shared by every Tessera target.
add_library(tessera_options INTERFACE)
target_compile_options(tessera_options INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(TESSERA_NATIVE)
  target_compile_options(tessera_options INTERFACE -march=native)
endif()
if(TESSERA_SANITIZE)
  # UBSan checks stay recoverable: only recoverable reports can be suppressed
  # (tests/sanitizers/ubsan.supp, for CAF's headers). halt_on_error=1, compiled
  # into every executable below, still makes any other report fatal.
  set(TESSERA_SANITIZE_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer)
  # No -D_GLIBCXX_ASSERTIONS: CAF 0.17.6's init_fun_factory dereferences a null
  # shared_ptr<tuple<>> when spawning a function-based actor, and the libstdc++
  # assertion aborts on it (UBSan's report of it is suppressed instead).
  target_compile_options(tessera_options INTERFACE ${TESSERA_SANITIZE_FLAGS})
  target_link_options(tessera_options INTERFACE ${TESSERA_SANITIZE_FLAGS})
  # Default ASAN/UBSAN/LSAN_OPTIONS (suppression files included) for every
  # executable that links tessera_options: a test binary run by hand behaves as under ctest.
  set(TESSERA_SANITIZER_DIR "${PROJECT_SOURCE_DIR}/tests/sanitizers")
  configure_file("${CMAKE_CURRENT_LIST_DIR}/sanitizer_defaults.cpp.in"
    "${PROJECT_BINARY_DIR}/tessera_sanitizer_defaults.cpp" @ONLY)
  target_sources(tessera_options INTERFACE
    "$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:${PROJECT_BINARY_DIR}/tessera_sanitizer_defaults.cpp>")
  # For projects built against this tree (tests/install): the same flags as a string.
  string(JOIN " " TESSERA_SANITIZE_FLAGS_STRING ${TESSERA_SANITIZE_FLAGS})
endif()

# tessera_add_library(NAME DIR DEPS...): a static library from every .cpp below DIR.
function(tessera_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:include/tessera>)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE $<BUILD_INTERFACE:tessera_options>)
endfunction()

# tessera_add_collection(name [SOURCE_DIRS dir...] DEPS ...): a collection's
# static library from the *.cpp of its folder (or of SOURCE_DIRS), recorded in
# the global TESSERA_COLLECTION_LIBS (tessera_collections links and installs them).
function(tessera_add_collection name)
  cmake_parse_arguments(ARG "" "" "SOURCE_DIRS;DEPS" ${ARGN})
  if(NOT ARG_SOURCE_DIRS)
    set(ARG_SOURCE_DIRS "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  set(srcs "")
  foreach(dir ${ARG_SOURCE_DIRS})
    file(GLOB_RECURSE dir_srcs CONFIGURE_DEPENDS "${dir}/*.cpp")
    list(APPEND srcs ${dir_srcs})
  endforeach()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:include/tessera>)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE $<BUILD_INTERFACE:tessera_options>)
  set_property(GLOBAL APPEND PROPERTY TESSERA_COLLECTION_LIBS ${name})
endfunction()

# Third-party libraries, all from Debian packages (cmake/deps.sh; installed by ./run and ./test).
# Used twice: by the build (include(TesseraDependencies)) and by the installed
# package (TesseraConfig.cmake), which must re-create every imported target that
# the exported Tessera targets name. Hence every target is guarded with
# if(NOT TARGET ...): a consumer may already have made it.
include(CMakeFindDependencyMacro)

# From TesseraConfig.cmake, a missing dependency must make find_package(Tessera)
# fail politely (find_dependency); in the build it is a hard error.
macro(tessera_find_dependency)
  if(CMAKE_FIND_PACKAGE_NAME STREQUAL "Tessera")
    find_dependency(${ARGV})
  else()
    find_package(${ARGV} REQUIRED)
  endif()
endmacro()

# tessera_import_library(TARGET HEADER LIBNAME...): an imported target for a
# library that ships no CMake package.
function(tessera_import_library target header)
  if(TARGET ${target})
    return()
  endif()
  string(MAKE_C_IDENTIFIER "${target}" id)
  string(TOUPPER "${id}" id)
  find_path(TESSERA_${id}_INCLUDE_DIR ${header})
  find_library(TESSERA_${id}_LIBRARY NAMES ${ARGN})
  if(NOT TESSERA_${id}_INCLUDE_DIR OR NOT TESSERA_${id}_LIBRARY)
    set(msg "Tessera needs ${target}: ${header} / lib${ARGV2} not found (Debian: see cmake/deps.sh)")
    if(CMAKE_FIND_PACKAGE_NAME STREQUAL "Tessera")
      set(Tessera_FOUND FALSE PARENT_SCOPE)
      set(Tessera_NOT_FOUND_MESSAGE "${msg}" PARENT_SCOPE)
      return()
    endif()
    message(FATAL_ERROR "${msg}")
  endif()
  add_library(${target} UNKNOWN IMPORTED)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${TESSERA_${id}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${TESSERA_${id}_INCLUDE_DIR}")
endfunction()

set(THREADS_PREFER_PTHREAD_FLAG ON)
tessera_find_dependency(Threads)

# OpenSSL: TLS on the data plane (Asio's ssl::stream) and CAF's openssl module.
tessera_find_dependency(OpenSSL)

# CAF 0.17 ships no CMake package: import its libraries by hand.
tessera_import_library(CAF::core caf/all.hpp caf_core)
tessera_import_library(CAF::io caf/io/all.hpp caf_io)
if(TARGET CAF::core AND TARGET CAF::io)
  set_property(TARGET CAF::core APPEND PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads)
  set_property(TARGET CAF::io APPEND PROPERTY INTERFACE_LINK_LIBRARIES CAF::core)
endif()
# CAF's openssl module (TLS on the control plane; Debian's libcaf-dev ships it).
tessera_import_library(CAF::openssl caf/openssl/all.hpp caf_openssl)
if(TARGET CAF::openssl AND TARGET CAF::io)
  set_property(TARGET CAF::openssl APPEND PROPERTY INTERFACE_LINK_LIBRARIES CAF::io OpenSSL::SSL OpenSSL::Crypto)
endif()

# xxHash: no CMake package in Debian 12 either.
tessera_import_library(xxhash::xxhash xxhash.h xxhash)

tessera_find_dependency(absl)
tessera_find_dependency(cereal)
tessera_find_dependency(nlohmann_json)
tessera_find_dependency(ZLIB)
# simdjson: the bag parses JSON records with it (collections/bag/json_simd.hpp).
tessera_find_dependency(simdjson)
# Boost (Asio, Beast: header-only) for net/.
tessera_find_dependency(Boost 1.74 CONFIG)

# Only the tools use CLI11; an installed Tessera does not need it.
if(NOT CMAKE_FIND_PACKAGE_NAME STREQUAL "Tessera")
  find_package(CLI11 QUIET)
endif()

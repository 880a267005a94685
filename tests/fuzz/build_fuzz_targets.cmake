# cmake -P script run by the ctest test fuzz.build: configures the clang
# sub-build (tests/fuzz/clang) in BUILD_DIR on first use, then builds it.
foreach(var SOURCE_DIR BUILD_DIR CXX GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build_fuzz_targets.cmake: ${var} is not set")
  endif()
endforeach()

if(NOT EXISTS "${BUILD_DIR}/CMakeCache.txt")
  set(launcher_arg "")
  if(LAUNCHER)
    set(launcher_arg "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
  endif()
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -G ${GENERATOR}
      -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo ${launcher_arg}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "configuring the clang fuzz build in ${BUILD_DIR} failed")
  endif()
endif()

include(ProcessorCount)
ProcessorCount(cores)
if(DEFINED ENV{TESSERA_JOBS})
  set(cores $ENV{TESSERA_JOBS})
elseif(cores EQUAL 0)
  set(cores 2)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} -j ${cores} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "building the fuzz targets in ${BUILD_DIR} failed")
endif()

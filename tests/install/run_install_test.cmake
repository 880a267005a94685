# cmake -P run_install_test.cmake: installs a Tessera build tree into a scratch
# prefix, builds tests/install against that prefix and runs the program.
# Variables: BUILD_DIR (the Tessera build), SOURCE_DIR (tests/install), WORK_DIR
# (scratch), GENERATOR, BUILD_TYPE, CXX_COMPILER, CXX_LAUNCHER, CXX_FLAGS,
# LINKER_FLAGS (the sanitizer flags when the build is sanitized).
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "run_install_test.cmake: ${var} is not set")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " cmd)
    message(FATAL_ERROR "install test: `${cmd}` failed (${rc})")
  endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
set(app "${WORK_DIR}/app")
file(REMOVE_RECURSE "${WORK_DIR}")

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(header runtime/value/value.hpp runtime/exec/executor.hpp)
  if(NOT EXISTS "${prefix}/include/tessera/${header}")
    message(FATAL_ERROR "install test: ${prefix}/include/tessera/${header} was not installed")
  endif()
endforeach()

set(args -S "${SOURCE_DIR}" -B "${app}" "-DCMAKE_PREFIX_PATH=${prefix}")
if(GENERATOR)
  list(APPEND args -G "${GENERATOR}")
endif()
foreach(pair "CMAKE_BUILD_TYPE=BUILD_TYPE" "CMAKE_CXX_COMPILER=CXX_COMPILER"
             "CMAKE_CXX_COMPILER_LAUNCHER=CXX_LAUNCHER" "CMAKE_CXX_FLAGS=CXX_FLAGS"
             "CMAKE_EXE_LINKER_FLAGS=LINKER_FLAGS")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 cache)
  list(GET pair 1 var)
  if(${var})
    list(APPEND args "-D${cache}=${${var}}")
  endif()
endforeach()
run(${CMAKE_COMMAND} ${args})
run(${CMAKE_COMMAND} --build "${app}")
run("${app}/tessera_install_app")

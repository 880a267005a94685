# cmake --install: libraries, headers and a CMake package, so that an
# application outside the tree does find_package(Tessera) and links Tessera::tessera.
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)
get_property(tessera_collection_libs GLOBAL PROPERTY TESSERA_COLLECTION_LIBS)
install(TARGETS tessera tessera_runtime tessera_collections ${tessera_collection_libs} tessera_actors tessera_net
  EXPORT TesseraTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(dir runtime collections actors net)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tessera/${dir}
    FILES_MATCHING PATTERN "*.hpp")
endforeach()
install(EXPORT TesseraTargets NAMESPACE Tessera:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Tessera)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/TesseraConfig.cmake.in
  ${PROJECT_BINARY_DIR}/TesseraConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Tessera)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TesseraConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/TesseraConfig.cmake ${PROJECT_BINARY_DIR}/TesseraConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/TesseraDependencies.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Tessera)

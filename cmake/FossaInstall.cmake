# `cmake --install build --prefix P` installs the headers, the libraries, the fossa and
# fossa-gateway programs and a CMake package, so a model author's project can `find_package(Fossa)`
# and link Fossa::engine — and its own program's `cluster up --gateway` finds fossa-gateway on PATH.
include(CMakePackageConfigHelpers)

install(TARGETS fossa_base fossa_http_client fossa_aws ayeaye fossa_engine EXPORT FossaTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS fossa RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# OPTIONAL: a build of `--target fossa` alone (the worker image's) installs without the gateway.
if(TARGET fossa-gateway)
  install(TARGETS fossa-gateway RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} OPTIONAL)
endif()
install(DIRECTORY include/ayeaye include/fossa DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT FossaTargets NAMESPACE Fossa:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Fossa)

configure_package_config_file(cmake/FossaConfig.cmake.in ${PROJECT_BINARY_DIR}/FossaConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Fossa)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/FossaConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/FossaConfig.cmake ${PROJECT_BINARY_DIR}/FossaConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Fossa)

# Install and export rules (included from the root when MQTTCODEC_INSTALL is ON).
#
# Installed layout, relative to the prefix:
#   include/mqttcodec/...                            the headers
#   share/cmake/mqttcodec/mqttcodecConfig.cmake      find_package(mqttcodec)
#   share/cmake/mqttcodec/mqttcodecConfigVersion.cmake
#   share/cmake/mqttcodec/mqttcodecTargets.cmake     imported target mqttcodec::mqttcodec
#   share/pkgconfig/mqttcodec.pc                     pkg-config --cflags mqttcodec
#   share/doc/mqttcodec/LICENSE
# Everything goes under share/, not lib/: a header-only library is the same on every
# architecture, so one installed copy serves all of them (hence ARCH_INDEPENDENT below).

include(CMakePackageConfigHelpers)

set(MQTTCODEC_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/cmake/mqttcodec" CACHE STRING
    "Where the CMake package files of mqttcodec are installed, relative to the prefix")
set(MQTTCODEC_PKGCONFIG_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/pkgconfig" CACHE STRING
    "Where mqttcodec.pc is installed, relative to the prefix")
mark_as_advanced(MQTTCODEC_CMAKE_INSTALL_DIR MQTTCODEC_PKGCONFIG_INSTALL_DIR)

install(TARGETS mqttcodec EXPORT mqttcodecTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/mqttcodec"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")

install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}")

install(EXPORT mqttcodecTargets
        NAMESPACE mqttcodec::
        FILE mqttcodecTargets.cmake
        DESTINATION "${MQTTCODEC_CMAKE_INSTALL_DIR}")

# One config file serves the install tree and the build tree: it only includes the targets
# file beside it, so it needs no paths of its own.
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/mqttcodecConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/mqttcodecConfig.cmake"
  INSTALL_DESTINATION "${MQTTCODEC_CMAKE_INSTALL_DIR}"
  NO_SET_AND_CHECK_MACRO)
# SameMajorVersion: a request for 0.1 accepts any 0.x; for 1.0, any 1.x >= 1.0.
# ARCH_INDEPENDENT (CMake 3.14+): a 32-bit consumer may use the package installed by a 64-bit
# build, which a plain version file refuses.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/mqttcodecConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/mqttcodecConfig.cmake"
              "${PROJECT_BINARY_DIR}/mqttcodecConfigVersion.cmake"
        DESTINATION "${MQTTCODEC_CMAKE_INSTALL_DIR}")

# Build tree: `-Dmqttcodec_DIR=<this build dir>` finds the package without installing. The
# exported target points at the source tree's include/ through BUILD_INTERFACE.
export(EXPORT mqttcodecTargets
       NAMESPACE mqttcodec::
       FILE "${PROJECT_BINARY_DIR}/mqttcodecTargets.cmake")

# pkg-config. The prefix is derived from the .pc file's own location (${pcfiledir}), so the
# package still works after `cmake --install --prefix <elsewhere>` or when the tree is moved.
if(IS_ABSOLUTE "${MQTTCODEC_PKGCONFIG_INSTALL_DIR}")
  message(FATAL_ERROR "MQTTCODEC_PKGCONFIG_INSTALL_DIR must be relative to the prefix")
endif()
file(RELATIVE_PATH MQTTCODEC_PC_TO_PREFIX "/prefix/${MQTTCODEC_PKGCONFIG_INSTALL_DIR}" "/prefix")
string(REGEX REPLACE "/$" "" MQTTCODEC_PC_TO_PREFIX "${MQTTCODEC_PC_TO_PREFIX}")
set(MQTTCODEC_PC_PREFIX "\${pcfiledir}/${MQTTCODEC_PC_TO_PREFIX}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(MQTTCODEC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(MQTTCODEC_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/mqttcodec.pc.in" "${PROJECT_BINARY_DIR}/mqttcodec.pc"
               @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/mqttcodec.pc"
        DESTINATION "${MQTTCODEC_PKGCONFIG_INSTALL_DIR}")

# Checks that include/mqttcodec/version.hpp and the CMake project version agree, and that the
# inline namespace (MQTTCODEC_ABI_VERSION) follows the version: v<major>_<minor> before 1.0,
# v<major> from then on.
# Usage: cmake -DHEADER=<version.hpp> -DPROJECT_VERSION=<x.y.z> -P check_version.cmake
cmake_minimum_required(VERSION 3.14)

file(READ "${HEADER}" text)
set(parts "")
foreach(part MAJOR MINOR PATCH)
  if(NOT text MATCHES "#define MQTTCODEC_VERSION_${part} ([0-9]+)")
    message(FATAL_ERROR "${HEADER} defines no MQTTCODEC_VERSION_${part}")
  endif()
  list(APPEND parts ${CMAKE_MATCH_1})
endforeach()
string(REPLACE ";" "." header_version "${parts}")
if(NOT header_version STREQUAL PROJECT_VERSION)
  message(FATAL_ERROR "version.hpp says ${header_version}, CMakeLists.txt project() says "
                      "${PROJECT_VERSION}: change both")
endif()
list(GET parts 0 major)
list(GET parts 1 minor)
if(major EQUAL 0)
  set(want_abi "v0_${minor}")
else()
  set(want_abi "v${major}")
endif()
if(NOT text MATCHES "#define MQTTCODEC_ABI_VERSION ([a-z0-9_]+)")
  message(FATAL_ERROR "${HEADER} defines no MQTTCODEC_ABI_VERSION")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL want_abi)
  message(FATAL_ERROR "version ${header_version} needs MQTTCODEC_ABI_VERSION ${want_abi}, "
                      "version.hpp says ${CMAKE_MATCH_1}")
endif()
message(STATUS "version.hpp and project() agree: ${header_version}, namespace ${want_abi}")

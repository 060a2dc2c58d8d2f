# Checks that include/mqttcodec/version.hpp and the CMake project version agree.
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
message(STATUS "version.hpp and project() agree: ${header_version}")

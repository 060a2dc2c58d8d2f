# Driver of the consumer tests, run by ctest as `cmake -D... -P run_consumer.cmake`.
#
#   MODE=install   configure a fresh copy of mqttcodec from SOURCE_DIR in WORK_DIR (nothing but
#                  the install rules) and `cmake --install` it into PREFIX; check the tree
#   MODE=project   configure, build and run the consumer project PROJECT_DIR in WORK_DIR,
#                  with the extra cache arguments ARGS (separated by '|')
#   MODE=compile   compile consumer.cpp with the compiler alone, taking the include flags
#                  from INCLUDE_DIR or, when PKG_CONFIG_PATH is set, from pkg-config; run it
#
# Every mode builds with the same compiler, flags, standard, build type and generator as the
# build that registered the test: CXX, CXX_FLAGS, CXX_STANDARD, BUILD_TYPE, GENERATOR,
# MAKE_PROGRAM.

cmake_minimum_required(VERSION 3.14)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " line "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${line}")
  endif()
endfunction()

# The same toolchain, as cache arguments of a nested configure.
set(toolchain -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
if(MAKE_PROGRAM)
  list(APPEND toolchain "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(BUILD_TYPE)
  list(APPEND toolchain "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()
if(CXX_STANDARD)
  list(APPEND toolchain "-DCMAKE_CXX_STANDARD=${CXX_STANDARD}")
endif()
set(config Debug)
if(BUILD_TYPE)
  set(config ${BUILD_TYPE})
endif()

function(run_consumer_binary dir)
  foreach(candidate "${dir}/consumer" "${dir}/consumer.exe" "${dir}/${config}/consumer"
                    "${dir}/${config}/consumer.exe")
    if(EXISTS "${candidate}")
      run("${candidate}")
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no consumer executable was built in ${dir}")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${PREFIX}")
  run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}" ${toolchain}
      -DMQTTCODEC_BUILD_TESTS=OFF -DMQTTCODEC_BUILD_BENCH=OFF -DMQTTCODEC_BUILD_FUZZ=OFF
      -DMQTTCODEC_BUILD_EXAMPLES=OFF -DMQTTCODEC_INSTALL=ON)
  if(CMAKE_VERSION VERSION_LESS 3.15)  # no `cmake --install` yet
    run("${CMAKE_COMMAND}" "-DCMAKE_INSTALL_PREFIX=${PREFIX}" "-DCMAKE_INSTALL_CONFIG_NAME=${config}"
        -P "${WORK_DIR}/cmake_install.cmake")
  else()
    run("${CMAKE_COMMAND}" --install "${WORK_DIR}" --prefix "${PREFIX}" --config "${config}")
  endif()
  foreach(f share/cmake/mqttcodec/mqttcodecConfig.cmake
            share/cmake/mqttcodec/mqttcodecConfigVersion.cmake
            share/cmake/mqttcodec/mqttcodecTargets.cmake share/pkgconfig/mqttcodec.pc
            share/doc/mqttcodec/LICENSE)
    if(NOT EXISTS "${PREFIX}/${f}")
      message(FATAL_ERROR "not installed: ${f}")
    endif()
  endforeach()
  # Every header of the source tree is installed, and nothing else under include/.
  file(GLOB_RECURSE src RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/*")
  file(GLOB_RECURSE dst RELATIVE "${PREFIX}/include" "${PREFIX}/include/*")
  list(SORT src)
  list(SORT dst)
  if(NOT src STREQUAL dst)
    message(FATAL_ERROR "installed headers differ from the source tree:\n  source: ${src}\n"
                        "  installed: ${dst}")
  endif()
  list(LENGTH dst count)
  message(STATUS "installed ${count} headers and the package files into ${PREFIX}")

elseif(MODE STREQUAL "project")
  string(REPLACE "|" ";" args "${ARGS}")
  run("${CMAKE_COMMAND}" -S "${PROJECT_DIR}" -B "${WORK_DIR}" ${toolchain} ${args})
  run("${CMAKE_COMMAND}" --build "${WORK_DIR}" --config "${config}")
  run_consumer_binary("${WORK_DIR}")

elseif(MODE STREQUAL "compile")
  set(std 17)
  if(CXX_STANDARD)
    set(std ${CXX_STANDARD})
  endif()
  separate_arguments(flags UNIX_COMMAND "${CXX_FLAGS}")
  if(DEFINED PKG_CONFIG_PATH)
    if(NOT PKG_CONFIG)
      # Matched by the test's SKIP_REGULAR_EXPRESSION.
      message(STATUS "mqttcodec-skip: pkg-config is not installed (apt-get install pkg-config)")
      return()
    endif()
    set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_PATH}")
    execute_process(COMMAND "${PKG_CONFIG}" --modversion mqttcodec OUTPUT_VARIABLE version
                    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0 OR NOT version STREQUAL EXPECTED_VERSION)
      message(FATAL_ERROR "pkg-config --modversion mqttcodec: '${version}' (${rc}), "
                          "expected ${EXPECTED_VERSION}")
    endif()
    execute_process(COMMAND "${PKG_CONFIG}" --cflags mqttcodec OUTPUT_VARIABLE cflags
                    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "pkg-config --cflags mqttcodec failed")
    endif()
    message(STATUS "pkg-config --cflags mqttcodec: ${cflags}")
    separate_arguments(include_flags UNIX_COMMAND "${cflags}")
  else()
    set(include_flags "-I${INCLUDE_DIR}")
  endif()
  # The consumer's own strict warnings: the headers must compile cleanly under them even when
  # included as ordinary (non-system) headers.
  run("${CXX}" ${flags} -std=c++${std} -Wall -Wextra -Wpedantic -Werror ${include_flags}
      "${CMAKE_CURRENT_LIST_DIR}/consumer.cpp" -o "${WORK_DIR}/consumer")
  run_consumer_binary("${WORK_DIR}")

else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()

# Checks that vendoring mqttcodec (add_subdirectory or FetchContent) gives the consumer the
# library target and nothing else: none of our tests, examples, benchmarks or fuzz targets,
# none of our warning flags, no install rules.

function(mqttcodec_check_vendored source_dir consumer_target)
  set(problems "")

  # Our warnings-as-errors must never reach a consumer's compile lines.
  foreach(prop INTERFACE_COMPILE_OPTIONS INTERFACE_COMPILE_DEFINITIONS INTERFACE_LINK_OPTIONS
               INTERFACE_LINK_LIBRARIES)
    get_target_property(value mqttcodec ${prop})
    if(value)
      list(APPEND problems "mqttcodec has ${prop} '${value}'")
    endif()
  endforeach()
  foreach(prop COMPILE_OPTIONS COMPILE_DEFINITIONS LINK_OPTIONS)
    get_target_property(value ${consumer_target} ${prop})
    if(value)
      list(APPEND problems "${consumer_target} inherited ${prop} '${value}'")
    endif()
  endforeach()
  if(COMMAND mqttcodec_set_warnings)
    list(APPEND problems "cmake/warnings.cmake was included by a vendored build")
  endif()

  # Nothing of ours is built: the source directory defines one target and adds no
  # subdirectories (tests, examples, bench, fuzz).
  get_property(targets DIRECTORY "${source_dir}" PROPERTY BUILDSYSTEM_TARGETS)
  if(NOT targets STREQUAL "mqttcodec")
    list(APPEND problems "the mqttcodec directory defines targets '${targets}'")
  endif()
  get_property(subdirs DIRECTORY "${source_dir}" PROPERTY SUBDIRECTORIES)
  if(subdirs)
    list(APPEND problems "the mqttcodec directory added subdirectories '${subdirs}'")
  endif()
  foreach(ours codec_tests mqttcodec_catch_main mqtt_dump)
    if(TARGET ${ours})
      list(APPEND problems "mqttcodec's target ${ours} was defined")
    endif()
  endforeach()
  foreach(opt MQTTCODEC_BUILD_TESTS MQTTCODEC_BUILD_BENCH MQTTCODEC_BUILD_FUZZ
              MQTTCODEC_BUILD_EXAMPLES MQTTCODEC_INSTALL)
    if(${opt})
      list(APPEND problems "${opt} defaults to ON when vendored")
    endif()
  endforeach()

  if(problems)
    string(REPLACE ";" "\n  " problems "${problems}")
    message(FATAL_ERROR "vendored mqttcodec leaks into its consumer:\n  ${problems}")
  endif()
  message(STATUS "mqttcodec vendored cleanly: one target, no flags, no tests")
endfunction()

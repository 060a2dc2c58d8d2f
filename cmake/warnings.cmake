# Warnings as errors for the project's own targets only; never set on the INTERFACE target,
# so consumers never inherit them.
function(mqttcodec_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wsign-conversion -Werror)
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX)
  endif()
endfunction()

# The stricter sets that users build their own code with (-Wold-style-cast,
# -Wzero-as-null-pointer-constant, ...), on the examples that use the library as a user does:
# whatever the headers instantiate there must not warn, since a consumer that includes them
# without -isystem sees these warnings as its own. In addition to mqttcodec_set_warnings.
function(mqttcodec_set_strict_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wold-style-cast -Wcast-align -Wcast-qual -Wnull-dereference -Wdouble-promotion
      -Wformat=2 -Wimplicit-fallthrough -Wundef -Wredundant-decls -Wnon-virtual-dtor
      -Woverloaded-virtual -Wextra-semi -Wzero-as-null-pointer-constant -Wsuggest-override)
  endif()
  # Not -Wuseless-cast: a size_t to uint32_t cast that 64-bit targets need is "useless" where
  # size_t is 32 bits, so no portable code is clean under it on both.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wduplicated-cond -Wduplicated-branches -Wlogical-op)
  elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE
      -Wcomma -Wshorten-64-to-32 -Wunreachable-code -Wdocumentation -Wnewline-eof
      -Wmissing-variable-declarations -Wmissing-prototypes)
  endif()
endfunction()

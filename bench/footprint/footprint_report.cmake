# Prints the .text size of the footprint programs and the codec's share, and fails when
# footprint_v311 holds a symbol of 5.0-only code or either program can throw. Run by the
# `footprint` target with -DV311= -DBASELINE= -DFULL= (program paths) -DSIZE= -DNM= (tools).

function(text_size file out)
  execute_process(COMMAND ${SIZE} -A ${file} OUTPUT_VARIABLE sections RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT sections MATCHES "\n\\.text[ \t]+([0-9]+)")
    message(FATAL_ERROR "cannot read the .text size of ${file}")
  endif()
  set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

# The demangled symbol table of `file`, one line per symbol.
function(symbols file out)
  execute_process(COMMAND ${NM} -C ${file} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm failed on ${file}")
  endif()
  set(${out} "${syms}" PARENT_SCOPE)
endfunction()

# Demangled symbols of 5.0-only code: the property block codec (decode, size, encode) and
# AUTH, the packet 3.1.1 does not have. (3.1.1 encode legitimately asks whether a packet's
# properties are empty, so any_property and the lazy lists' empty() may appear.)
function(v5_symbols file out)
  symbols(${file} syms)
  string(REPLACE "\n" ";" lines "${syms}")
  set(found "")
  foreach(line IN LISTS lines)
    if(line MATCHES "read_properties<|write_properties<|properties_size<|read_property<|read_value<|check_value<|reason_and_properties|decode_into<mqttcodec::v[0-9a-z_]+::auth|, mqttcodec::v[0-9a-z_]+::auth&\\)")
      list(APPEND found "${line}")
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

text_size(${V311} v311)
text_size(${BASELINE} base)
text_size(${FULL} full)
math(EXPR codec "${v311} - ${base}")
math(EXPR full_codec "${full} - ${base}")
message(STATUS "footprint .text: footprint_v311 ${v311} B, footprint_baseline ${base} B")
message(STATUS "footprint: 3.1.1-only codec (compile-time API) = ${codec} B (target <= 7200 B)")
message(STATUS "footprint: whole codec, runtime version (footprint_full ${full} B) = ${full_codec} B")

v5_symbols(${FULL} control)
list(LENGTH control ncontrol)
if(ncontrol EQUAL 0)
  message(FATAL_ERROR "the 5.0-symbol check found nothing in footprint_full either; it cannot tell")
endif()
v5_symbols(${V311} leaked)
list(LENGTH leaked nleaked)
if(nleaked GREATER 0)
  string(REPLACE ";" "\n  " shown "${leaked}")
  message(FATAL_ERROR "5.0-only code in footprint_v311:\n  ${shown}")
endif()
message(STATUS "footprint: no 5.0-only symbol in footprint_v311 (${ncontrol} in footprint_full)")

# A -fno-exceptions program must not call into the C++ exception runtime either: a standard
# library check that throws on failure (std::string_view::substr's range check) stays in the
# program and, in a static firmware image, links the unwinder and the personality routine
# (12.6 KB of .text on a Cortex-M4 with arm-none-eabi's standard libstdc++, session 16).
foreach(prog IN ITEMS ${V311} ${FULL})
  symbols(${prog} syms)
  string(REGEX MATCHALL "[^\n]*(std::__throw_|__cxa_throw|__cxa_allocate_exception|_Unwind_Resume)[^\n]*"
         throwing "${syms}")
  if(throwing)
    string(REPLACE ";" "\n  " shown "${throwing}")
    message(FATAL_ERROR "${prog} can throw, although built with -fno-exceptions:\n  ${shown}")
  endif()
endforeach()
message(STATUS "footprint: neither program calls into the C++ exception runtime")

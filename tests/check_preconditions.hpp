// Force-included into every test executable (tests/CMakeLists.txt; precondition_tests swaps
// in a counting check) and every fuzz target (fuzz/CMakeLists.txt): the library's
// precondition checks (config.hpp, MQTTCODEC_ASSERT) on in every build type, so a test, or the
// library itself, that reads a failed result's value or indexes past a view stops there.
#ifndef MQTTCODEC_TESTS_CHECK_PRECONDITIONS_HPP
#define MQTTCODEC_TESTS_CHECK_PRECONDITIONS_HPP
#define MQTTCODEC_ASSERT(cond) ((cond) ? static_cast<void>(0) : __builtin_trap())
#endif

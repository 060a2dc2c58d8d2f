// Includes Catch2 whichever major version the build found.
#ifndef MQTTCODEC_TEST_CATCH_HPP
#define MQTTCODEC_TEST_CATCH_HPP

#if defined(MQTTCODEC_CATCH_V3)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

#endif

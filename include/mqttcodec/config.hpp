// mqttcodec: configuration macros and the versioned namespace.
#ifndef MQTTCODEC_CONFIG_HPP
#define MQTTCODEC_CONFIG_HPP

#include "mqttcodec/version.hpp"

/// Opens the library namespace; the inline versioned namespace keeps two vendored copies of
/// different major versions from clashing at link time.
#define MQTTCODEC_NAMESPACE_BEGIN \
  namespace mqttcodec {           \
  inline namespace v1 {
#define MQTTCODEC_NAMESPACE_END \
  }                             \
  }

#if defined(__GNUC__) || defined(__clang__)
#define MQTTCODEC_LIKELY(x) __builtin_expect(!!(x), 1)
#define MQTTCODEC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define MQTTCODEC_LIKELY(x) (x)
#define MQTTCODEC_UNLIKELY(x) (x)
#endif

#endif

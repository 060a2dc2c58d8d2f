// mqttcodec: configuration macros and the versioned namespace.
#ifndef MQTTCODEC_CONFIG_HPP
#define MQTTCODEC_CONFIG_HPP

#include "mqttcodec/version.hpp"

#if defined(_MSVC_LANG)
#if _MSVC_LANG < 201703L
#error "mqttcodec needs C++17 or later (/std:c++17)"
#endif
#elif __cplusplus < 201703L
#error "mqttcodec needs C++17 or later (e.g. -std=c++17)"
#endif

#define MQTTCODEC_CAT_(a, b) a##b
#define MQTTCODEC_CAT(a, b) MQTTCODEC_CAT_(a, b)

/// Checks a caller's precondition: the value of a failed result (or the error of a successful
/// one) read, a byte view indexed or cut outside its bytes, a topic_index matched against a
/// string that is not a valid topic name. These are programming mistakes, not bad input (the
/// codec reports malformed bytes as an error value and never reaches them). Off by default, and
/// then no code; define it before including mqttcodec, e.g. as
/// `#define MQTTCODEC_ASSERT(cond) assert(cond)`, to stop a debug build at such a mistake.
/// Defined, it also changes the inline namespace (MQTTCODEC_ABI_NAMESPACE), so that a program
/// whose files differ in this choice gets both copies of the functions, each with its checks,
/// rather than whichever copy the linker keeps. Define it the same way in every file that
/// defines it (with and without NDEBUG, `assert` differs).
#ifndef MQTTCODEC_ASSERT
#define MQTTCODEC_ASSERT(cond) static_cast<void>(0)
#define MQTTCODEC_ABI_NAMESPACE MQTTCODEC_ABI_VERSION
#else
#define MQTTCODEC_ABI_NAMESPACE MQTTCODEC_CAT(MQTTCODEC_ABI_VERSION, _checked)
#endif

/// Opens the library namespace. The inline namespace, `mqttcodec::v0_1` for version 0.1 (or
/// `v0_1_checked`, see MQTTCODEC_ASSERT), keeps two vendored copies of versions that may differ
/// from clashing at link time.
#define MQTTCODEC_NAMESPACE_BEGIN \
  namespace mqttcodec {           \
  inline namespace MQTTCODEC_ABI_NAMESPACE {
#define MQTTCODEC_NAMESPACE_END \
  }                             \
  }

#if defined(__GNUC__) || defined(__clang__)
#define MQTTCODEC_LIKELY(x) __builtin_expect(!!(x), 1)
#define MQTTCODEC_UNLIKELY(x) __builtin_expect(!!(x), 0)
/// Marks a rarely taken path that should stay out of line.
#define MQTTCODEC_COLD __attribute__((cold, noinline))
/// Keeps a function out of line (a fallback that would otherwise burden its caller's fast path).
#define MQTTCODEC_NOINLINE __attribute__((noinline))
#else
#define MQTTCODEC_LIKELY(x) (x)
#define MQTTCODEC_UNLIKELY(x) (x)
#define MQTTCODEC_COLD
#define MQTTCODEC_NOINLINE
#endif

/// Marks the small helpers on the hot path of every decode and encode. GCC's inliner gives up
/// on some of them in large translation units (its unit-growth limits), and which ones changes
/// with unrelated code; forcing them keeps speed stable. Builds for size (-Os) keep the
/// compiler's choice, so the footprint does not grow. Define it before including mqttcodec to
/// override.
#ifndef MQTTCODEC_HOT_INLINE
#if (defined(__GNUC__) || defined(__clang__)) && !defined(__OPTIMIZE_SIZE__)
#define MQTTCODEC_HOT_INLINE inline __attribute__((always_inline))
#else
#define MQTTCODEC_HOT_INLINE inline
#endif
#endif

#endif

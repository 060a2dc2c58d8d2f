// Tests of MQTTCODEC_ASSERT (config.hpp): a caller's precondition mistake reaches the check
// when it is defined. Here it counts instead of stopping, so the test sees each one fire.
#include <cstddef>
#include <cstdint>
#include <string>

namespace {
std::string g_failed;  // the condition of every check that failed, each followed by ';'
}  // namespace

// Replaces the trapping check every test executable is built with (check_preconditions.hpp).
#undef MQTTCODEC_ASSERT
#define MQTTCODEC_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : static_cast<void>(g_failed.append(#cond ";")))

#include "mqttcodec/mqttcodec.hpp"
#include "mqttcodec/topic_index.hpp"
#include "test_catch.hpp"

namespace mc = mqttcodec;

namespace {
// Runs `f`; returns the conditions of the checks that failed in it ("" when none did).
template <class F>
std::string failed_checks(F&& f) {
  g_failed.clear();
  f();
  return g_failed;
}
}  // namespace

TEST_CASE("MQTTCODEC_ASSERT: a failed result's value and a successful result's error",
          "[precondition]") {
  const mc::result<int> failed = mc::error{mc::errc::truncated};
  CHECK(failed_checks([&] { (void)&failed.value(); }) == "ok_;");
  CHECK(failed_checks([&] { (void)&*failed; }) == "ok_;");
  const mc::result<int> ok = 7;
  CHECK(failed_checks([&] { (void)&ok.error(); }) == "!ok_;");
  CHECK(failed_checks([&] { (void)*ok; }).empty());  // a correct use does not fire
  const mc::result<void> done;
  CHECK(failed_checks([&] { (void)&done.error(); }) == "!ok_;");
}

TEST_CASE("MQTTCODEC_ASSERT: a byte view indexed or cut outside its bytes", "[precondition]") {
  std::uint8_t bytes[4] = {1, 2, 3, 4};
  const mc::bytes_view three(bytes, 3);  // the fourth byte exists, but is not in the view
  CHECK(failed_checks([&] { (void)three[3]; }) == "i < size_;");
  CHECK(failed_checks([&] { (void)three.subview(4); }) == "offset <= size_;");
  CHECK(failed_checks([&] { (void)three.subview(2, 2); }) ==
        "offset <= size_ && count <= size_ - offset;");
  CHECK(failed_checks([&] { (void)three.subview(3, 0); }).empty());  // the empty end is in
  const mc::mutable_bytes_view writable(bytes, 3);
  CHECK(failed_checks([&] { (void)writable[3]; }) == "i < size_;");
}

TEST_CASE("MQTTCODEC_ASSERT: topic_index matched against a string that is not a topic name",
          "[precondition]") {
  mc::topic_index<int> idx;
  REQUIRE(idx.insert("a/+", 1));
  int seen = 0;
  CHECK(failed_checks([&] { idx.match("a/+", [&](const int&) { ++seen; }); }) ==
        "topic.empty() || is_valid_topic_name(topic);");
  CHECK(failed_checks([&] { idx.match("a/b", [&](const int&) { ++seen; }); }).empty());
}

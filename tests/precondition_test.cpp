// Tests of MQTTCODEC_ASSERT (config.hpp): a caller's precondition mistake reaches the check
// when it is defined. Here it counts instead of stopping, so the test sees each one fire.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {
int g_fired = 0;
std::string_view g_what;
}  // namespace

#define MQTTCODEC_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : static_cast<void>((++g_fired, g_what = #cond)))

#include "mqttcodec/mqttcodec.hpp"
#include "mqttcodec/topic_index.hpp"
#include "test_catch.hpp"

namespace mc = mqttcodec;

namespace {
// Runs `f` and says whether the check fired, and on which condition.
template <class F>
bool fires(F&& f, std::string_view what) {
  g_fired = 0;
  g_what = {};
  f();
  return g_fired == 1 && g_what == what;
}
}  // namespace

TEST_CASE("MQTTCODEC_ASSERT: a failed result's value and a successful result's error",
          "[precondition]") {
  const mc::result<int> failed = mc::error{mc::errc::truncated};
  CHECK(fires([&] { (void)&failed.value(); }, "ok_"));
  CHECK(fires([&] { (void)&*failed; }, "ok_"));
  const mc::result<int> ok = 7;
  CHECK(fires([&] { (void)&ok.error(); }, "!ok_"));
  CHECK(fires([&] { (void)*ok; }, "") == false);  // a correct use does not fire
  const mc::result<void> done;
  CHECK(fires([&] { (void)&done.error(); }, "!ok_"));
}

TEST_CASE("MQTTCODEC_ASSERT: a byte view indexed or cut outside its bytes", "[precondition]") {
  std::uint8_t bytes[4] = {1, 2, 3, 4};
  const mc::bytes_view three(bytes, 3);  // the fourth byte exists, but is not in the view
  CHECK(fires([&] { (void)three[3]; }, "i < size_"));
  CHECK(fires([&] { (void)three.subview(4); }, "offset <= size_"));
  CHECK(fires([&] { (void)three.subview(2, 2); }, "offset <= size_ && count <= size_ - offset"));
  CHECK(fires([&] { (void)three.subview(3, 0); }, "") == false);  // the empty end is in
  const mc::mutable_bytes_view writable(bytes, 3);
  CHECK(fires([&] { (void)writable[3]; }, "i < size_"));
}

TEST_CASE("MQTTCODEC_ASSERT: topic_index matched against a string that is not a topic name",
          "[precondition]") {
  mc::topic_index<int> idx;
  REQUIRE(idx.insert("a/+", 1));
  int seen = 0;
  CHECK(fires([&] { idx.match("a/+", [&](const int&) { ++seen; }); },
              "topic.empty() || is_valid_topic_name(topic)"));
  CHECK(fires([&] { idx.match("a/b", [&](const int&) { ++seen; }); }, "") == false);
}

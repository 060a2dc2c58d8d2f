// error.hpp: every errc has a unique name, a message, a std::error_code round trip through
// the "mqttcodec" category, and the 5.0 reason code the documented rule gives it.
#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;

namespace {

// The reason code each errc must map to, written from the rule in the comment of
// detail::errc_table and the 5.0 text: 0x81 Malformed Packet when the bytes cannot be parsed
// as laid out (lengths, reserved bits, encodings; §2.2.2.2 also makes a property identifier
// that is not valid for the packet type a Malformed Packet); 0x82 Protocol Error when they
// parse but break a rule about values or their combination; the specific code where the spec
// names one. Keyed by name so a renumbering cannot hide behind a shifted row.
struct expected_reason {
  const char* name;
  std::uint8_t reason;
};
constexpr expected_reason expected[] = {
    {"truncated", 0x81},
    {"trailing_bytes", 0x81},
    {"invalid_packet_type", 0x81},
    {"invalid_header_flags", 0x81},  // §2.1.3: invalid flags are a Malformed Packet
    {"invalid_remaining_length", 0x81},
    {"non_minimal_length", 0x81},
    {"packet_too_large", 0x95},              // Packet too large
    {"invalid_utf8", 0x81},                  // §1.5.4
    {"utf8_null_character", 0x81},           // §1.5.4
    {"invalid_qos", 0x81},                   // §3.3.1.2: QoS 3 is a Malformed Packet
    {"zero_packet_id", 0x82},                // a value rule [MQTT-2.2.1-3]
    {"topic_has_wildcard", 0x82},            // Protocol Error: 0x90 is for names not malformed
    {"empty_topic", 0x82},                   // §3.3.2.1: Protocol Error
    {"invalid_topic_filter", 0x82},          // Protocol Error: 0x8F is for filters correctly formed
    {"no_topic_filters", 0x82},              // §3.8.3: Protocol Error
    {"invalid_subscription_options", 0x81},  // §3.8.3.1: reserved bits, Malformed Packet
    {"invalid_retain_handling", 0x82},       // §3.8.3.1: Protocol Error
    {"shared_subscription_no_local", 0x82},  // [MQTT-3.8.3-4]: Protocol Error
    {"invalid_protocol_name", 0x84},         // §3.1.2.1: Unsupported Protocol Version
    {"unsupported_protocol_version", 0x84},  // §3.1.2.2
    {"invalid_connect_flags", 0x81},         // §3.1.2.3: reserved flag, Malformed Packet
    {"invalid_will_flags", 0x82},            // a combination of flags [MQTT-3.1.2-11/-13]
    {"password_without_username", 0x82},     // a combination of flags [MQTT-3.1.2-22]
    {"invalid_client_id", 0x85},             // Client Identifier not valid
    {"invalid_connack_flags", 0x81},         // reserved bits [MQTT-3.2.2-1]
    {"invalid_reason_code", 0x82},           // a value not in the packet's list
    {"unknown_property", 0x81},              // §2.2.2.2
    {"property_not_allowed", 0x81},          // §2.2.2.2: not valid for its packet type
    {"duplicate_property", 0x82},            // "It is a Protocol Error to include ... twice"
    {"invalid_property_value", 0x82},        // "It is a Protocol Error to include a value ..."
    {"invalid_property_length", 0x81},
    {"auth_data_without_method", 0x82},  // §3.1.2.11.10: Protocol Error
    {"connack_from_v311_server", 0x84},
    {"field_not_in_version", 0x82},
    {"value_too_long", 0x81},
    {"buffer_too_small", 0x00},  // local; nothing to send
    {"invalid_version", 0x84},
    {"unexpected_packet_id", 0x81},           // encode-side: QoS 0 has no packet id field
    {"missing_authentication_method", 0x82},  // §3.15.2.2.2: "It is a Protocol Error to omit"
    {"invalid_subscription_qos", 0x82},       // §3.8.3.1: "It is a Protocol Error if ... 3"
    {"wrong_sender", 0x82},                   // "An unexpected or out of order packet was received"
    // The flag parses; its combination with a refusal breaks [MQTT-3.2.2-6].
    {"session_present_on_refusal", 0x82},
};
static_assert(sizeof(expected) / sizeof(expected[0]) == mc::errc_count,
              "one expected reason code per errc");

}  // namespace

TEST_CASE("every errc has a unique name and a message", "[error]") {
  std::set<std::string> names;
  for (unsigned i = 1; i <= mc::errc_count; ++i) {
    const auto e = static_cast<mc::errc>(i);
    INFO("errc " << i);
    const std::string n = mc::name(e);
    CHECK_FALSE(n.empty());
    CHECK(n != "ok");
    CHECK(names.insert(n).second);
    CHECK(std::strlen(mc::to_string(e)) > 0);
    CHECK(std::string(mc::to_string(e)) != n);
    const mc::error err{e, 3, nullptr, 0};
    CHECK(std::string(err.message()) == mc::to_string(e));
  }
  CHECK(names.size() == mc::errc_count);
  // Out-of-range values read the "ok" row, never past the table.
  CHECK(std::string(mc::name(static_cast<mc::errc>(0))) == "ok");
  CHECK(std::string(mc::name(static_cast<mc::errc>(mc::errc_count + 1))) == "ok");
  CHECK(std::string(mc::name(static_cast<mc::errc>(255))) == "ok");
}

TEST_CASE("errc converts to std::error_code of the mqttcodec category", "[error]") {
  CHECK(std::string(mc::error_category().name()) == "mqttcodec");
  CHECK(&mc::error_category() == &mc::error_category());
  for (unsigned i = 1; i <= mc::errc_count; ++i) {
    const auto e = static_cast<mc::errc>(i);
    INFO(mc::name(e));
    const std::error_code ec = e;  // via is_error_code_enum
    CHECK(ec.value() == static_cast<int>(i));
    CHECK(&ec.category() == &mc::error_category());
    CHECK(ec.message() == mc::to_string(e));
    CHECK(static_cast<bool>(ec));
    CHECK(ec == mc::make_error_code(e));
    CHECK(static_cast<mc::errc>(ec.value()) == e);
  }
  CHECK(std::error_code(mc::errc::truncated) != std::error_code(mc::errc::trailing_bytes));
  // Same value, different category: not equal.
  CHECK(std::error_code(mc::errc::truncated) != std::error_code(1, std::generic_category()));
  // Values no errc has are named as such, not as the errc their low byte happens to be.
  CHECK(mc::error_category().message(0) == "no error");
  for (const int ev : {-255, -1, mc::errc_count + 1, 257}) {
    INFO(ev);
    CHECK(mc::error_category().message(ev) == "unknown mqttcodec error");
  }
}

TEST_CASE("each errc maps to the documented 5.0 reason code", "[error]") {
  for (unsigned i = 1; i <= mc::errc_count; ++i) {
    const auto e = static_cast<mc::errc>(i);
    const expected_reason& want = expected[i - 1];
    INFO(mc::name(e));
    REQUIRE(std::string(mc::name(e)) == want.name);
    CHECK(int{static_cast<std::uint8_t>(mc::reason_code_for(e))} == int{want.reason});
    const mc::error err{e, 0, nullptr, 0};
    CHECK(err.reason() == mc::reason_code_for(e));
    // A server answers CONNECT with a code CONNACK may carry (§3.2.2.2), or sends nothing.
    if (want.reason != 0) {
      CHECK((mc::reason_code_allowed(mc::packet_type::connack, want.reason) ||
             mc::reason_code_allowed(mc::packet_type::disconnect, want.reason)));
    }
  }
}

TEST_CASE("disconnect_reason is a code the sender's 5.0 DISCONNECT may carry", "[error]") {
  for (unsigned i = 1; i <= mc::errc_count; ++i) {
    const auto e = static_cast<mc::errc>(i);
    const expected_reason& want = expected[i - 1];
    INFO(mc::name(e));
    for (const mc::role side : {mc::role::server, mc::role::client, mc::role::unknown}) {
      INFO(mc::to_string(side));
      const auto rc = static_cast<std::uint8_t>(mc::error{e}.disconnect_reason(side));
      CHECK(mc::reason_code_allowed(mc::packet_type::disconnect, rc));
      // An unknown side gets a code both may send.
      for (const mc::role by : {mc::role::server, mc::role::client}) {
        if (side == by || side == mc::role::unknown) {
          CHECK(mc::reason_code_sent_by(mc::packet_type::disconnect, rc, by));
        }
      }
      if (want.reason == 0) {
        CHECK(rc == 0x83);  // a local failure: Implementation specific error, not Normal
      } else if (want.reason == 0x84 || want.reason == 0x85) {
        CHECK(rc == 0x82);  // CONNACK's codes; the CONNECT's own answer is a CONNACK
      } else {
        CHECK(rc == want.reason);
      }
    }
  }
}

TEST_CASE("3.1.1 CONNACK return code for a failed CONNECT", "[error]") {
  // 3.1.1 §3.2.2.3: 0x01 unacceptable protocol version, 0x02 identifier rejected; any other
  // failure closes the connection without a CONNACK (0 here).
  for (unsigned i = 1; i <= mc::errc_count; ++i) {
    const auto e = static_cast<mc::errc>(i);
    const mc::error err{e, 0, nullptr, 0};
    INFO(mc::name(e));
    std::uint8_t want = 0;
    if (e == mc::errc::invalid_protocol_name || e == mc::errc::unsupported_protocol_version) {
      want = 0x01;
    } else if (e == mc::errc::invalid_client_id) {
      want = 0x02;
    }
    CHECK(int{err.connack_return_code()} == int{want});
  }
}

TEST_CASE("5.0 CONNACK reason codes and 3.x return codes map both ways", "[error][bridge]") {
  using mc::connack_return_code;
  using mc::reason_code;
  const std::pair<reason_code, connack_return_code> table[] = {
      {reason_code::success, connack_return_code::accepted},
      {reason_code::unsupported_protocol_version,
       connack_return_code::unacceptable_protocol_version},
      {reason_code::client_identifier_not_valid, connack_return_code::identifier_rejected},
      {reason_code::server_unavailable, connack_return_code::server_unavailable},
      {reason_code::server_busy, connack_return_code::server_unavailable},
      {reason_code::quota_exceeded, connack_return_code::server_unavailable},
      {reason_code::use_another_server, connack_return_code::server_unavailable},
      {reason_code::server_moved, connack_return_code::server_unavailable},
      {reason_code::connection_rate_exceeded, connack_return_code::server_unavailable},
      {reason_code::bad_user_name_or_password, connack_return_code::bad_user_name_or_password},
      {reason_code::not_authorized, connack_return_code::not_authorized},
      {reason_code::banned, connack_return_code::not_authorized},
      {reason_code::bad_authentication_method, connack_return_code::not_authorized},
  };
  std::size_t mapped = 0;
  for (unsigned code = 0; code <= 0xFF; ++code) {
    const auto rc = static_cast<reason_code>(code);
    if (!mc::reason_code_allowed(mc::packet_type::connack, static_cast<std::uint8_t>(code))) {
      continue;
    }
    INFO(mc::to_string(rc));
    const auto v3 = mc::to_connack_return_code(rc);
    const auto* row = std::find_if(std::begin(table), std::end(table),
                                   [&](const auto& r) { return r.first == rc; });
    if (row == std::end(table)) {
      CHECK_FALSE(v3);  // 3.x closes the connection without a CONNACK instead
      continue;
    }
    REQUIRE(v3);
    CHECK(*v3 == row->second);
    ++mapped;
    // A CONNACK carrying it encodes for 3.1 and 3.1.1 (both the connection and the code).
    mc::connack c;
    c.set_return_code(*v3);
    CHECK(c.return_code() == *v3);
    std::array<std::uint8_t, 8> buf{};
    CHECK(mc::encode(c, mc::protocol_version::v311, buf));
    CHECK(mc::encode(c, mc::protocol_version::v31, buf));
  }
  CHECK(mapped == std::size(table));
  // Each return code back to the 5.0 code of its meaning, which a 5.0 CONNACK may carry.
  for (unsigned code = 0; code <= 5; ++code) {
    const auto rc = static_cast<connack_return_code>(code);
    INFO(mc::to_string(rc));
    const reason_code v5 = mc::to_reason_code(rc);
    CHECK(mc::reason_code_allowed(mc::packet_type::connack, static_cast<std::uint8_t>(v5)));
    CHECK(mc::to_connack_return_code(v5) == rc);
  }
  CHECK(mc::to_reason_code(static_cast<connack_return_code>(6)) == reason_code::unspecified_error);
}

TEST_CASE("5.0 SUBACK reason codes as 3.1.1 and 3.1 SUBACK codes", "[error][bridge]") {
  for (unsigned code = 0; code <= 0xFF; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    if (!mc::reason_code_allowed(mc::packet_type::suback, c)) continue;
    INFO(code);
    const auto rc = static_cast<mc::reason_code>(code);
    const auto v311 = mc::to_v3_suback_code(rc, mc::protocol_version::v311);
    const auto v31 = mc::to_v3_suback_code(rc, mc::protocol_version::v31);
    REQUIRE(v311);
    CHECK(mc::reason_code_allowed(mc::packet_type::suback, *v311, mc::protocol_version::v311));
    CHECK(*v311 == (code < 0x80 ? c : 0x80));
    if (code < 0x80) {
      REQUIRE(v31);
      CHECK(*v31 == c);
    } else {
      CHECK_FALSE(v31);  // 3.1 has no failure code
    }
  }
}

TEST_CASE("error is a small trivially copyable value", "[error]") {
  STATIC_REQUIRE(std::is_trivially_copyable_v<mc::error>);
  // errc, value and offset share one word; the rule pointer is the other (two words on LP64,
  // three on a 32-bit target, where the pointer is 4 bytes and the offset needs a word).
  CHECK(sizeof(mc::error) == 8 + sizeof(void*));
  // An errc becomes an error only when asked to: error{code} is explicit.
  STATIC_REQUIRE_FALSE(std::is_convertible_v<mc::errc, mc::error>);
  STATIC_REQUIRE(std::is_constructible_v<mc::error, mc::errc>);
  mc::result<int> ok = 7;
  REQUIRE(ok);
  CHECK(*ok == 7);
  mc::result<int> bad = mc::error{mc::errc::truncated, 9, "MQTT-x", 1};
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == mc::errc::truncated);
  CHECK(bad.error().offset == 9);
  mc::result<int> copy = bad;
  REQUIRE_FALSE(copy);
  CHECK(copy.error().offset == 9);
  copy = ok;
  REQUIRE(copy);
  CHECK(*copy == 7);
  copy.set_error(mc::error{mc::errc::trailing_bytes, 2, nullptr, 0});
  REQUIRE_FALSE(copy);
  CHECK(copy.error().code == mc::errc::trailing_bytes);
  mc::result<void> v;
  CHECK(v);
  mc::result<void> vf = mc::error{mc::errc::invalid_qos, 0, nullptr, 0};
  REQUIRE_FALSE(vf);
  CHECK(vf.error().code == mc::errc::invalid_qos);
}

#if defined(__cpp_exceptions)  // the -fno-exceptions builds cannot make a copy throw
namespace {
// A value whose copy and move throw on demand, and which counts the objects alive.
struct fragile {
  static inline int alive = 0;
  static inline bool fail = false;
  fragile() { ++alive; }
  fragile(const fragile&) {
    if (fail) throw std::runtime_error("copy");
    ++alive;
  }
  fragile(fragile&&) noexcept(false) {
    if (fail) throw std::runtime_error("move");
    ++alive;
  }
  fragile& operator=(const fragile&) = default;
  fragile& operator=(fragile&&) = default;
  ~fragile() { --alive; }
};
}  // namespace

TEST_CASE("a result whose value's copy throws during assignment holds an error, not a dead value",
          "[error]") {
  {
    mc::result<fragile> a{std::in_place};
    mc::result<fragile> b{std::in_place};
    REQUIRE(fragile::alive == 2);
    fragile::fail = true;
    CHECK_THROWS_AS(a = b, std::runtime_error);
    fragile::fail = false;
    REQUIRE_FALSE(a);  // it held a destroyed value that counted as held, destroyed again later
    CHECK(a.error().code == mc::errc{});
    CHECK(fragile::alive == 1);
    a = b;
    REQUIRE(a);
    CHECK(fragile::alive == 2);
    fragile::fail = true;
    CHECK_THROWS_AS(a = std::move(b), std::runtime_error);
    fragile::fail = false;
    REQUIRE_FALSE(a);
    CHECK(fragile::alive == 1);
  }
  CHECK(fragile::alive == 0);
}
#endif

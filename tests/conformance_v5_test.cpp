// Spec conformance, MQTT 5.0: one TEST_CASE per statement id classed CODEC in
// docs/spec/mqtt-5.0.tsv, named "<id> [5.0] ..." so tools/conformance.py can find it, and one per
// format rule the spec states without an id (property rules, reserved values). Every vector is
// written by hand from the spec's field layout, never produced by our encoder.
//
// CONNECT layout used throughout (offsets into the packet):
//   0 type 0x10, 1 remaining length, 2-7 protocol name 00 04 'M' 'Q' 'T' 'T', 8 level 05,
//   9 connect flags, 10-11 keep alive (00 3C), 12 Property Length, then the properties, the
//   client id (13-14 length and 15 'c' when there are no properties), and the rest.
#include <string>
#include <variant>
#include <vector>

#include "conformance_vectors.hpp"

using namespace conformance;

namespace {

mc::subscribe subscribe_one(const mc::subscription (&subs)[1]) {
  mc::subscribe s;
  s.packet_id = 1;
  s.subscriptions = subs;
  return s;
}

// The error of a vector that must fail, for checks beyond the row's code, offset and rule.
mc::error error_of(const char* hex) {
  auto got = mc::decode(from_hex(hex), v5);
  REQUIRE_FALSE(got.has_value());
  return got.error();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// §1.5 Data representation

TEST_CASE("MQTT-1.5.4-1 [5.0] strings are well-formed UTF-8 without surrogates",
          "[conformance][v5]") {
  const row rows[] = {
      // PUBACK Reason String (0x1F) U+D800 written as ED A0 80.
      bad("40 0A 00 01 00 06 1F 00 03 ED A0 80", v5, errc::invalid_utf8, 9, "MQTT-1.5.4-1"),
      // DISCONNECT Reason String with an overlong '/' (C0 AF).
      bad("E0 08 00 06 1F 00 03 C0 AF 61", v5, errc::invalid_utf8, 7, "MQTT-1.5.4-1"),
      // CONNACK Assigned Client Identifier (0x12) above U+10FFFF (F4 90 80 80).
      bad("20 0A 00 00 07 12 00 04 F4 90 80 80", v5, errc::invalid_utf8, 8, "MQTT-1.5.4-1"),
      good("40 0A 00 01 00 06 1F 00 03 61 62 63", v5),
      good("E0 08 00 06 1F 00 03 E2 82 AC", v5),
      good("20 0A 00 00 07 12 00 04 F4 8F BF BF", v5),
  };
  check_rows(rows);
  mc::puback a;
  a.packet_id = 1;
  a.props.reason_string = "\xED\xA0\x80";
  check_encode_refuses(a, v5, errc::invalid_utf8);
}

TEST_CASE("MQTT-1.5.4-2 [5.0] strings do not contain U+0000", "[conformance][v5]") {
  const row rows[] = {
      bad("40 0A 00 01 00 06 1F 00 03 61 00 62", v5, errc::utf8_null_character, 10, "MQTT-1.5.4-2"),
      // Client identifier "\0".
      bad("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 00", v5, errc::utf8_null_character, 15,
          "MQTT-1.5.4-2"),
      good("40 0A 00 01 00 06 1F 00 03 61 01 62", v5),
  };
  check_rows(rows);
  mc::puback a;
  a.packet_id = 1;
  a.props.reason_string = std::string_view("a\0b", 3);
  check_encode_refuses(a, v5, errc::utf8_null_character);
}

TEST_CASE("MQTT-1.5.4-3 [5.0] a BOM inside a string is kept, not skipped", "[conformance][v5]") {
  const row rows[] = {
      good("30 08 00 05 61 EF BB BF 62 00", v5),
      bad("30 07 00 04 61 EF BB 62 00", v5, errc::invalid_utf8, 5, "MQTT-1.5.4-1"),
  };
  check_rows(rows);
  const auto p = decoded<mc::publish>("30 08 00 05 61 EF BB BF 62 00", v5);
  CHECK(p->topic ==
        "a\xEF\xBB\xBF"
        "b");
  CHECK(p->payload.empty());
}

TEST_CASE("MQTT-1.5.5-1 [5.0] variable byte integers use the fewest bytes", "[conformance][v5]") {
  const row rows[] = {
      // Remaining Length 0 as 80 00.
      bad("C0 80 00", v5, errc::non_minimal_length, 1, "MQTT-1.5.5-1"),
      // Remaining Length 5 as 85 00.
      bad("30 85 00 00 01 61 00 78", v5, errc::non_minimal_length, 1, "MQTT-1.5.5-1"),
      // Property Length 0 as 80 00.
      bad("30 05 00 01 61 80 00", v5, errc::non_minimal_length, 5, "MQTT-1.5.5-1"),
      // Subscription Identifier 1 as 81 00.
      bad("82 0A 00 01 03 0B 81 00 00 01 61 00", v5, errc::non_minimal_length, 6, "MQTT-1.5.5-1"),
      good("C0 00", v5),
      good("30 05 00 01 61 00 78", v5),
      good("82 09 00 01 02 0B 01 00 01 61 00", v5),
      // 128 is the smallest value that needs two bytes: 80 01.
      good("82 0A 00 01 03 0B 80 01 00 01 61 00", v5),
  };
  check_rows(rows);
  // The leniency for old peers accepts the long form, by name only.
  mc::decode_options lenient;
  lenient.allow_non_minimal_length = true;
  CHECK(mc::decode(from_hex("C0 80 00"), v5, lenient).has_value());
}

TEST_CASE("MQTT-1.5.7-1 [5.0] both strings of a User Property are UTF-8", "[conformance][v5]") {
  const row rows[] = {
      bad("30 0B 00 01 61 07 26 00 01 FF 00 01 76", v5, errc::invalid_utf8, 9, "MQTT-1.5.4-1"),
      bad("30 0B 00 01 61 07 26 00 01 6E 00 01 FF", v5, errc::invalid_utf8, 12, "MQTT-1.5.4-1"),
      bad("30 0B 00 01 61 07 26 00 01 00 00 01 76", v5, errc::utf8_null_character, 9,
          "MQTT-1.5.4-2"),
      good("30 0B 00 01 61 07 26 00 01 6E 00 01 76", v5),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  const mc::string_pair pairs[] = {{"n", "\xFF"}};
  p.props.user_properties = pairs;
  check_encode_refuses(p, v5, errc::invalid_utf8);
}

// ---------------------------------------------------------------------------------------------
// §2 Control packet format

TEST_CASE("MQTT-2.1.3-1 [5.0] fixed header flags are the ones Table 2-2 gives",
          "[conformance][v5]") {
  const row rows[] = {
      bad("11 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5, errc::invalid_header_flags, 0,
          "MQTT-2.1.3-1"),
      bad("28 03 00 00 00", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      bad("41 02 00 01", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      bad("54 02 00 01", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      bad("78 02 00 01", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      bad("91 04 00 01 00 00", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      bad("B2 04 00 01 00 00", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      bad("C1 00", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      bad("DF 00", v5, errc::invalid_header_flags, 0, "MQTT-2.1.3-1"),
      good("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5),
      good("20 03 00 00 00", v5),
      good("40 02 00 01", v5),
      good("50 02 00 01", v5),
      good("70 02 00 01", v5),
      good("90 04 00 01 00 00", v5),
      good("B0 04 00 01 00 00", v5),
      good("C0 00", v5),
      good("D0 00", v5),
      good("3B 06 00 01 61 00 01 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-2.2.1-2 [5.0] a QoS 0 PUBLISH has no packet identifier field",
          "[conformance][v5]") {
  const row rows[] = {
      // QoS 0: Property Length 0 right after the topic, payload "hi".
      good("30 06 00 01 61 00 68 69", v5),
      // QoS 0: the byte after the topic is the Property Length (0x12 = 18), which overruns.
      bad("30 06 00 01 61 12 34 00", v5, errc::invalid_property_length, 5, nullptr),
      // The same body at QoS 1 is packet id 0x1234 and an empty property block.
      good("32 06 00 01 61 12 34 00", v5),
  };
  check_rows(rows);
  const auto q0 = decoded<mc::publish>("30 06 00 01 61 00 68 69", v5);
  CHECK(q0->packet_id == 0);
  CHECK(q0->payload == mc::bytes_view(from_hex("68 69")));
  CHECK(decoded<mc::publish>("32 06 00 01 61 12 34 00", v5)->packet_id == 0x1234);
  // A packet id on a QoS 0 PUBLISH has no field to go to: refused, not silently dropped.
  check_encode_refuses(publish_a(mc::qos::at_most_once, 7), v5, errc::unexpected_packet_id);
}

TEST_CASE("MQTT-2.2.1-3 [5.0] client SUBSCRIBE, UNSUBSCRIBE, QoS>0 PUBLISH have a non-zero id",
          "[conformance][v5]") {
  const row rows[] = {
      bad("82 07 00 00 00 00 01 61 00", v5, errc::zero_packet_id, 2, "MQTT-2.2.1-3"),
      bad("A2 06 00 00 00 00 01 61", v5, errc::zero_packet_id, 2, "MQTT-2.2.1-3"),
      bad("32 06 00 01 61 00 00 00", v5, errc::zero_packet_id, 5, "MQTT-2.2.1-3"),
      good("82 07 00 01 00 00 01 61 00", v5),
      good("A2 06 00 01 00 00 01 61", v5),
      good("32 06 00 01 61 00 01 00", v5),
      // An acknowledgement's id 0, also in the short form that decode's fixed-size fast path
      // reads, which must leave it to the full decoder.
      bad("50 02 00 00", v5, errc::zero_packet_id, 2, "MQTT-2.2.1-3"),
      good("50 02 00 01", v5),
  };
  check_rows(rows);
  const mc::subscription subs[] = {{"a", {}}};
  mc::subscribe s = subscribe_one(subs);
  s.packet_id = 0;
  check_encode_refuses(s, v5, errc::zero_packet_id);
  check_encode_refuses(publish_a(mc::qos::at_least_once, 0), v5, errc::zero_packet_id);
}

TEST_CASE("MQTT-2.2.1-4 [5.0] server QoS>0 PUBLISH has a non-zero id", "[conformance][v5]") {
  // The check is the same in both directions. Not told who sent the packet, the decoder cites
  // the client's statement MQTT-2.2.1-3; told a server did, the server's.
  const row rows[] = {
      bad("34 06 00 01 61 00 00 00", v5, errc::zero_packet_id, 5, "MQTT-2.2.1-3"),
      bad("3B 06 00 01 61 00 00 00", v5, errc::zero_packet_id, 5, "MQTT-2.2.1-3"),
      good("34 06 00 01 61 00 01 00", v5),
  };
  check_rows(rows);
  const row from_server[] = {
      bad("34 06 00 01 61 00 00 00", v5, errc::zero_packet_id, 5, "MQTT-2.2.1-4"),
      bad("3B 06 00 01 61 00 00 00", v5, errc::zero_packet_id, 5, "MQTT-2.2.1-4"),
      bad("32 05 00 01 61 00 00", v311, errc::zero_packet_id, 5, "MQTT-2.3.1-1"),  // one for both
      good("34 06 00 01 61 00 01 00", v5),
  };
  check_rows(from_server, sent_by(mc::role::server));
  // The PUBLISH head decoders cite it too.
  const auto bytes = from_hex(from_server[0].hex);
  const auto head = mc::decode_publish_head(bytes, v5, sent_by(mc::role::server));
  const auto skip = mc::skip_publish(bytes, v5, sent_by(mc::role::server));
  REQUIRE(head.status == mc::frame_status::invalid);
  REQUIRE(skip.status == mc::frame_status::invalid);
  CHECK(rule_text(head.err.rule) == "MQTT-2.2.1-4");
  CHECK(rule_text(skip.err.rule) == "MQTT-2.2.1-4");
  check_encode_refuses(publish_a(mc::qos::exactly_once, 0), v5, errc::zero_packet_id);
}

TEST_CASE("MQTT-2.2.2-1 [5.0] the Property Length is always present", "[conformance][v5]") {
  const row rows[] = {
      bad("30 03 00 01 61", v5, errc::truncated, 5, "MQTT-2.2.2-1"),
      bad("32 05 00 01 61 00 01", v5, errc::truncated, 7, "MQTT-2.2.2-1"),
      bad("82 02 00 01", v5, errc::truncated, 4, "MQTT-2.2.2-1"),
      good("30 04 00 01 61 00", v5),
      good("32 06 00 01 61 00 01 00", v5),
      good("82 07 00 01 00 00 01 61 00", v5),
      // The acknowledgements are the spec's exception: with Remaining Length < 4 the Property
      // Length is left out and 0 is meant (§3.4.2.2.1).
      good("40 02 00 01", v5),
      good_long_form("40 03 00 01 00", v5),
      good_long_form("40 04 00 01 00 00", v5),
  };
  check_rows(rows);
  // The encoder writes the single byte 00 for an empty property block.
  check_encodes_to(publish_a(mc::qos::at_most_once), v5, "30 04 00 01 61 00");
}

TEST_CASE("MQTT-2.2.2-1 [5.0] AUTH leaves out its Property Length only with its reason code",
          "[conformance][v5]") {
  // §3.15.2.1: Reason Code and Property Length may be omitted only together (Remaining Length
  // 0). Unlike DISCONNECT (§3.14.2.2.1) and the acknowledgements, AUTH has no reason-code-only
  // form, so its Property Length must follow the reason code.
  const row rows[] = {
      bad("F0 01 18", v5, errc::truncated, 3, "MQTT-2.2.2-1"),
      bad("F0 01 19", v5, errc::truncated, 3, "MQTT-2.2.2-1"),
      bad("F0 01 00", v5, errc::truncated, 3, "MQTT-2.2.2-1"),
      good("F0 00", v5),
      good("F0 06 18 04 15 00 01 6D", v5),
      // DISCONNECT keeps its reason-code-only form.
      good("E0 01 8E", v5),
  };
  check_rows(rows);
  // So the encoder never writes the reason code alone: a reason code with no other
  // properties gets the Property Length after it.
  mc::auth a;
  a.reason_code = mc::reason_code::re_authenticate;
  a.props.authentication_method = "m";
  check_encodes_to(a, v5, "F0 06 19 04 15 00 01 6D");
  mc::disconnect d;
  d.reason_code = mc::reason_code::session_taken_over;
  check_encodes_to(d, v5, "E0 01 8E");
}

TEST_CASE("AUTH with a body must name its Authentication Method [5.0]", "[conformance][v5]") {
  // §3.15.2.2.2: "It is a Protocol Error to omit the Authentication Method". Only the empty
  // short form (success, no properties, §3.15.2.1) carries none.
  const row rows[] = {
      bad("F0 02 19 00", v5, errc::missing_authentication_method, 2, nullptr),
      bad("F0 02 00 00", v5, errc::missing_authentication_method, 2, nullptr),
      bad("F0 09 18 07 1F 00 04 6D 6F 72 65", v5, errc::missing_authentication_method, 2, nullptr),
      good("F0 00", v5),
      good("F0 06 00 04 15 00 01 6D", v5),
  };
  check_rows(rows);
  mc::auth a;
  a.reason_code = mc::reason_code::continue_authentication;
  check_encode_refuses(a, v5, errc::missing_authentication_method);
  mc::auth empty;
  check_encodes_to(empty, v5, "F0 00");
}

// ---------------------------------------------------------------------------------------------
// §3.1 CONNECT

TEST_CASE("MQTT-3.1.2-1 [5.0] the protocol name is MQTT", "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 58 05 02 00 3C 00 00 01 63", v5, errc::invalid_protocol_name, 2,
          "MQTT-3.1.2-1"),
      bad("10 0E 00 04 4D 51 74 74 05 02 00 3C 00 00 01 63", v5, errc::invalid_protocol_name, 2,
          "MQTT-3.1.2-1"),
      good("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).reason() == mc::reason_code::unsupported_protocol_version);
}

TEST_CASE("MQTT-3.1.2-2 [5.0] a protocol version other than 5 is unsupported",
          "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 54 06 02 00 3C 00 00 01 63", v5, errc::unsupported_protocol_version,
          8, "MQTT-3.1.2-2"),
      bad("10 0E 00 04 4D 51 54 54 00 02 00 3C 00 00 01 63", v5, errc::unsupported_protocol_version,
          8, "MQTT-3.1.2-2"),
      good("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).reason() == mc::reason_code::unsupported_protocol_version);
  // A decoder fixed to 5.0 at compile time refuses a 3.1.1 CONNECT.
  auto fixed =
      mc::decode<protocol_version::v5>(from_hex("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63"));
  REQUIRE_FALSE(fixed.has_value());
  CHECK(fixed.error().code == errc::unsupported_protocol_version);
  CHECK(fixed.error().offset == 8);
  CHECK(std::string(fixed.error().rule) == "MQTT-3.1.2-2");
}

TEST_CASE("MQTT-3.1.2-3 [5.0] CONNECT flags bit 0 is reserved and 0", "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 54 05 03 00 3C 00 00 01 63", v5, errc::invalid_connect_flags, 9,
          "MQTT-3.1.2-3"),
      good("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).reason() == mc::reason_code::malformed_packet);
}

TEST_CASE("MQTT-3.1.2-9 [5.0] Will Flag 1 requires Will Properties, Topic and Payload",
          "[conformance][v5]") {
  const row rows[] = {
      // Nothing after the client id: the Will Properties' length is missing.
      bad("10 0E 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63", v5, errc::truncated, 16,
          "MQTT-2.2.2-1"),
      bad("10 0F 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00", v5, errc::truncated, 17, nullptr),
      bad("10 12 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 00 01 74", v5, errc::truncated, 20,
          nullptr),
      good("10 15 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 00 01 74 00 01 6D", v5),
      // Will Delay Interval 5 as a will property.
      good("10 1A 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 05 18 00 00 00 05 00 01 74 00 01 6D",
           v5),
  };
  check_rows(rows);
  const auto c = decoded<mc::connect>(
      "10 1A 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 05 18 00 00 00 05 00 01 74 00 01 6D", v5);
  REQUIRE(c->will.has_value());
  CHECK(c->will->props.will_delay_interval == std::optional<std::uint32_t>(5));
  CHECK(c->will->topic == "t");
}

TEST_CASE("MQTT-3.1.2-11 [5.0] Will Flag 0 requires Will QoS 0", "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 54 05 0A 00 3C 00 00 01 63", v5, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-11"),
      bad("10 0E 00 04 4D 51 54 54 05 12 00 3C 00 00 01 63", v5, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-11"),
      good("10 15 00 04 4D 51 54 54 05 0E 00 3C 00 00 01 63 00 00 01 74 00 01 6D", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.2-12 [5.0] Will QoS is 0, 1 or 2, never 3", "[conformance][v5]") {
  const row rows[] = {
      bad("10 15 00 04 4D 51 54 54 05 1E 00 3C 00 00 01 63 00 00 01 74 00 01 6D", v5,
          errc::invalid_qos, 9, "MQTT-3.1.2-12"),
      good("10 15 00 04 4D 51 54 54 05 16 00 3C 00 00 01 63 00 00 01 74 00 01 6D", v5),
  };
  check_rows(rows);
  mc::connect c = connect_c(v5);
  c.will.emplace();
  c.will->topic = "t";
  c.will->qos = static_cast<mc::qos>(3);
  check_encode_refuses(c, v5, errc::invalid_qos);
}

TEST_CASE("MQTT-3.1.2-13 [5.0] Will Flag 0 requires Will Retain 0", "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 54 05 22 00 3C 00 00 01 63", v5, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-13"),
      good("10 15 00 04 4D 51 54 54 05 26 00 3C 00 00 01 63 00 00 01 74 00 01 6D", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.2-16 [5.0] User Name Flag 0: no User Name in the payload",
          "[conformance][v5]") {
  const row rows[] = {
      bad("10 11 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63 00 01 75", v5, errc::trailing_bytes, 16,
          nullptr),
      good("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.2-17 [5.0] User Name Flag 1: a User Name is in the payload",
          "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 54 05 82 00 3C 00 00 01 63", v5, errc::truncated, 16, nullptr),
      good("10 11 00 04 4D 51 54 54 05 82 00 3C 00 00 01 63 00 01 75", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.2-18 [5.0] Password Flag 0: no Password in the payload", "[conformance][v5]") {
  const row rows[] = {
      bad("10 14 00 04 4D 51 54 54 05 82 00 3C 00 00 01 63 00 01 75 00 01 70", v5,
          errc::trailing_bytes, 19, nullptr),
      good("10 11 00 04 4D 51 54 54 05 82 00 3C 00 00 01 63 00 01 75", v5),
  };
  check_rows(rows);
}

TEST_CASE(
    "MQTT-3.1.2-19 [5.0] Password Flag 1: a Password is in the payload, with or without "
    "a User Name",
    "[conformance][v5]") {
  const row rows[] = {
      bad("10 11 00 04 4D 51 54 54 05 C2 00 3C 00 00 01 63 00 01 75", v5, errc::truncated, 19,
          nullptr),
      bad("10 0E 00 04 4D 51 54 54 05 42 00 3C 00 00 01 63", v5, errc::truncated, 16, nullptr),
      good("10 14 00 04 4D 51 54 54 05 C2 00 3C 00 00 01 63 00 01 75 00 01 70", v5),
      // 5.0 allows a Password without a User Name.
      good("10 11 00 04 4D 51 54 54 05 42 00 3C 00 00 01 63 00 01 70", v5),
  };
  check_rows(rows);
  mc::connect c = connect_c(v5);
  c.password = mc::bytes_view("p", 1);
  check_encodes_to(c, v5, "10 11 00 04 4D 51 54 54 05 42 00 3C 00 00 01 63 00 01 70");
}

TEST_CASE(
    "MQTT-3.1.3-1 [5.0] CONNECT payload order: ClientID, Will Properties, Will Topic, "
    "Will Payload, User Name, Password",
    "[conformance][v5]") {
  const char* all =
      "10 1B 00 04 4D 51 54 54 05 C6 00 3C 00 00 01 63 00 00 01 74 00 01 6D 00 01 75 00 01 70";
  const row rows[] = {
      good(all, v5),
      // Will Properties left out: the Will Topic's length 00 01 is read as Property Length 0
      // followed by a Will Topic of length 0x0174, which overruns.
      bad("10 14 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 01 74 00 01 6D", v5, errc::truncated,
          17, nullptr),
      // Will Payload "#" before Will Topic "t": the second will field is the topic.
      bad("10 15 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 00 01 23 00 01 74", v5,
          errc::topic_has_wildcard, 19, "MQTT-3.3.2-2"),
  };
  check_rows(rows);
  const auto c = decoded<mc::connect>(all, v5);
  CHECK(c->client_id == "c");
  REQUIRE(c->will.has_value());
  CHECK(c->will->topic == "t");
  CHECK(c->will->payload == mc::bytes_view(from_hex("6D")));
  CHECK(c->username == std::optional<std::string_view>("u"));
  REQUIRE(c->password.has_value());
  CHECK(*c->password == mc::bytes_view(from_hex("70")));
}

TEST_CASE("MQTT-3.1.3-3 [5.0] the ClientID is mandatory and first; it may be empty",
          "[conformance][v5]") {
  const row rows[] = {
      bad("10 0B 00 04 4D 51 54 54 05 02 00 3C 00", v5, errc::truncated, 13, nullptr),
      good("10 0D 00 04 4D 51 54 54 05 02 00 3C 00 00 00", v5),
      // Unlike 3.1.1, an empty ClientID with Clean Start 0 is the server's call (0x85), not a
      // format error.
      good("10 0D 00 04 4D 51 54 54 05 00 00 3C 00 00 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.3-4 [5.0] the ClientID is a valid UTF-8 string", "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 FF", v5, errc::invalid_utf8, 15,
          "MQTT-1.5.4-1"),
      good("10 0F 00 04 4D 51 54 54 05 02 00 3C 00 00 02 C3 A9", v5),
  };
  check_rows(rows);
  mc::connect c = connect_c(v5);
  c.client_id = "\xFF";
  check_encode_refuses(c, v5, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.1.3-11 [5.0] the Will Topic is a valid UTF-8 string", "[conformance][v5]") {
  const row rows[] = {
      bad("10 15 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 00 01 FE 00 01 6D", v5,
          errc::invalid_utf8, 19, "MQTT-1.5.4-1"),
      bad("10 15 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 00 01 00 00 01 6D", v5,
          errc::utf8_null_character, 19, "MQTT-1.5.4-2"),
      good("10 16 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 00 02 C3 A9 00 01 6D", v5),
  };
  check_rows(rows);
  mc::connect c = connect_c(v5);
  c.will.emplace();
  c.will->topic = "\xFE";
  check_encode_refuses(c, v5, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.1.3-12 [5.0] the User Name is a valid UTF-8 string", "[conformance][v5]") {
  const row rows[] = {
      bad("10 11 00 04 4D 51 54 54 05 82 00 3C 00 00 01 63 00 01 C3", v5, errc::invalid_utf8, 18,
          "MQTT-1.5.4-1"),
      good("10 12 00 04 4D 51 54 54 05 82 00 3C 00 00 01 63 00 02 C3 A9", v5),
  };
  check_rows(rows);
  mc::connect c = connect_c(v5);
  c.username = "\xC3";
  check_encode_refuses(c, v5, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.1.4-1 [5.0] a CONNECT that breaks §3.1 is refused", "[conformance][v5]") {
  const row rows[] = {
      bad("10 0E 00 04 4D 51 54 54 05 03 00 3C 00 00 01 63", v5, errc::invalid_connect_flags, 9,
          "MQTT-3.1.2-3"),
      bad("10 0E 00 04 4D 51 54 58 05 02 00 3C 00 00 01 63", v5, errc::invalid_protocol_name, 2,
          "MQTT-3.1.2-1"),
      bad("10 0F 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63 00", v5, errc::trailing_bytes, 16,
          nullptr),
      // A PUBLISH-only property (Topic Alias) in CONNECT.
      bad("10 11 00 04 4D 51 54 54 05 02 00 3C 03 23 00 01 00 01 63", v5,
          errc::property_not_allowed, 13, nullptr),
      good("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5),
  };
  check_rows(rows);
  // Each names the CONNACK reason code a server may send before it closes.
  CHECK(error_of(rows[0].hex).reason() == mc::reason_code::malformed_packet);
  CHECK(error_of(rows[1].hex).reason() == mc::reason_code::unsupported_protocol_version);
  CHECK(error_of(rows[2].hex).reason() == mc::reason_code::malformed_packet);
}

// ---------------------------------------------------------------------------------------------
// §3.2 CONNACK

TEST_CASE("MQTT-3.2.2-1 [5.0] CONNACK acknowledge flags bits 7-1 are 0", "[conformance][v5]") {
  const row rows[] = {
      bad("20 03 02 00 00", v5, errc::invalid_connack_flags, 2, "MQTT-3.2.2-1"),
      bad("20 03 80 00 00", v5, errc::invalid_connack_flags, 2, "MQTT-3.2.2-1"),
      good("20 03 01 00 00", v5),
      good("20 03 00 00 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.2.2-6 [5.0] a CONNACK with a non-zero reason has Session Present 0",
          "[conformance][v5]") {
  const row rows[] = {
      bad("20 03 01 80 00", v5, errc::session_present_on_refusal, 2, "MQTT-3.2.2-6"),
      bad("20 03 01 9F 00", v5, errc::session_present_on_refusal, 2, "MQTT-3.2.2-6"),
      good("20 03 00 80 00", v5),
      good("20 03 01 00 00", v5),
  };
  check_rows(rows);
  mc::connack c;
  c.session_present = true;
  c.reason_code = mc::reason_code::not_authorized;
  check_encode_refuses(c, v5, errc::session_present_on_refusal);
}

TEST_CASE("MQTT-3.2.2-8 [5.0] CONNACK reason codes are those Table 3-1 lists",
          "[conformance][v5]") {
  const row rows[] = {
      bad("20 03 00 01 00", v5, errc::invalid_reason_code, 3, "MQTT-3.2.2-8"),
      bad("20 03 00 8B 00", v5, errc::invalid_reason_code, 3, "MQTT-3.2.2-8"),
      bad("20 03 00 8E 00", v5, errc::invalid_reason_code, 3, "MQTT-3.2.2-8"),
      bad("20 03 00 9E 00", v5, errc::invalid_reason_code, 3, "MQTT-3.2.2-8"),
      good("20 03 00 87 00", v5),
      good("20 03 00 8C 00", v5),
      good("20 03 00 95 00", v5),
      good("20 03 00 9F 00", v5),
  };
  check_rows(rows);
  mc::connack c;
  c.reason_code = mc::reason_code::server_shutting_down;
  check_encode_refuses(c, v5, errc::invalid_reason_code);
}

// ---------------------------------------------------------------------------------------------
// §3.3 PUBLISH

TEST_CASE("MQTT-3.3.1-2 [5.0] a QoS 0 PUBLISH has DUP 0", "[conformance][v5]") {
  const row rows[] = {
      bad("38 04 00 01 61 00", v5, errc::invalid_header_flags, 0, "MQTT-3.3.1-2"),
      good("30 04 00 01 61 00", v5),
      good("3A 06 00 01 61 00 01 00", v5),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.dup = true;
  check_encode_refuses(p, v5, errc::invalid_header_flags);
}

TEST_CASE("MQTT-3.3.1-4 [5.0] PUBLISH QoS is never 3", "[conformance][v5]") {
  const row rows[] = {
      bad("36 06 00 01 61 00 01 00", v5, errc::invalid_qos, 0, "MQTT-3.3.1-4"),
      good("34 06 00 01 61 00 01 00", v5),
  };
  check_rows(rows);
  check_encode_refuses(publish_a(static_cast<mc::qos>(3), 1), v5, errc::invalid_qos);
}

TEST_CASE("MQTT-3.3.2-1 [5.0] PUBLISH starts with a UTF-8 Topic Name", "[conformance][v5]") {
  const row rows[] = {
      bad("30 05 00 02 C3 28 00", v5, errc::invalid_utf8, 4, "MQTT-1.5.4-1"),
      bad("30 01 00", v5, errc::truncated, 2, nullptr),
      good("30 05 00 02 C3 A9 00", v5),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = "\xC3\x28";
  check_encode_refuses(p, v5, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.3.2-2 [5.0] wildcard in PUBLISH topic name", "[conformance][v5]") {
  const row rows[] = {
      bad("30 06 00 03 61 2F 2B 00", v5, errc::topic_has_wildcard, 6, "MQTT-3.3.2-2"),
      bad("30 04 00 01 23 00", v5, errc::topic_has_wildcard, 4, "MQTT-3.3.2-2"),
      good("30 06 00 03 61 2F 62 00", v5),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = "#";
  check_encode_refuses(p, v5, errc::topic_has_wildcard);
}

TEST_CASE("MQTT-3.3.2-8 [5.0] Topic Alias 0 is not allowed", "[conformance][v5]") {
  const row rows[] = {
      bad("30 07 00 01 61 03 23 00 00", v5, errc::invalid_property_value, 6, "MQTT-3.3.2-8"),
      bad("30 06 00 00 03 23 00 00", v5, errc::invalid_property_value, 5, "MQTT-3.3.2-8"),
      good("30 07 00 01 61 03 23 00 01", v5),
      // An empty topic name with a Topic Alias stands for the aliased topic.
      good("30 06 00 00 03 23 FF FF", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x23);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.props.topic_alias = std::uint16_t{0};
  check_encode_refuses(p, v5, errc::invalid_property_value);
}

TEST_CASE("MQTT-3.3.2-13 [5.0] the Response Topic is a UTF-8 string", "[conformance][v5]") {
  const row rows[] = {
      bad("30 08 00 01 61 04 08 00 01 FF", v5, errc::invalid_utf8, 9, "MQTT-1.5.4-1"),
      good("30 08 00 01 61 04 08 00 01 72", v5),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.props.response_topic = "\xFF";
  check_encode_refuses(p, v5, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.3.2-14 [5.0] the Response Topic has no wildcards", "[conformance][v5]") {
  const row rows[] = {
      bad("30 0A 00 01 61 06 08 00 03 61 2F 23", v5, errc::topic_has_wildcard, 6, "MQTT-3.3.2-14"),
      bad("30 08 00 01 61 04 08 00 01 2B", v5, errc::topic_has_wildcard, 6, "MQTT-3.3.2-14"),
      good("30 0A 00 01 61 06 08 00 03 61 2F 62", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x08);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.props.response_topic = "a/#";
  check_encode_refuses(p, v5, errc::topic_has_wildcard);
}

TEST_CASE("MQTT-3.3.2-19 [5.0] the Content Type is a UTF-8 string", "[conformance][v5]") {
  const row rows[] = {
      bad("30 08 00 01 61 04 03 00 01 FF", v5, errc::invalid_utf8, 9, "MQTT-1.5.4-1"),
      good("30 08 00 01 61 04 03 00 01 74", v5),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.props.content_type = "\xFF";
  check_encode_refuses(p, v5, errc::invalid_utf8);
}

// ---------------------------------------------------------------------------------------------
// §3.4-3.7 acknowledgements

TEST_CASE("MQTT-3.4.2-1 [5.0] PUBACK reason codes are those Table 3-4 lists", "[conformance][v5]") {
  const row rows[] = {
      bad("40 03 00 01 01", v5, errc::invalid_reason_code, 4, "MQTT-3.4.2-1"),
      bad("40 03 00 01 92", v5, errc::invalid_reason_code, 4, "MQTT-3.4.2-1"),
      good("40 03 00 01 10", v5),
      good("40 03 00 01 99", v5),
  };
  check_rows(rows);
  mc::puback a;
  a.packet_id = 1;
  a.reason_code = mc::reason_code::packet_identifier_not_found;
  check_encode_refuses(a, v5, errc::invalid_reason_code);
}

TEST_CASE("MQTT-3.5.2-1 [5.0] PUBREC reason codes are those Table 3-5 lists", "[conformance][v5]") {
  const row rows[] = {
      bad("50 03 00 01 92", v5, errc::invalid_reason_code, 4, "MQTT-3.5.2-1"),
      bad("50 03 00 01 02", v5, errc::invalid_reason_code, 4, "MQTT-3.5.2-1"),
      good("50 03 00 01 10", v5),
      good("50 03 00 01 80", v5),
  };
  check_rows(rows);
  mc::pubrec a;
  a.packet_id = 1;
  a.reason_code = mc::reason_code::packet_identifier_not_found;
  check_encode_refuses(a, v5, errc::invalid_reason_code);
}

TEST_CASE("MQTT-3.6.1-1 [5.0] PUBREL fixed header byte is 0x62", "[conformance][v5]") {
  const row rows[] = {
      bad("60 02 00 01", v5, errc::invalid_header_flags, 0, "MQTT-3.6.1-1"),
      bad("63 02 00 01", v5, errc::invalid_header_flags, 0, "MQTT-3.6.1-1"),
      good("62 02 00 01", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.6.2-1 [5.0] PUBREL reason codes are 0x00 or 0x92", "[conformance][v5]") {
  const row rows[] = {
      bad("62 03 00 01 10", v5, errc::invalid_reason_code, 4, "MQTT-3.6.2-1"),
      bad("62 03 00 01 80", v5, errc::invalid_reason_code, 4, "MQTT-3.6.2-1"),
      good("62 03 00 01 92", v5),
      good("62 02 00 01", v5),
  };
  check_rows(rows);
  mc::pubrel a;
  a.packet_id = 1;
  a.reason_code = mc::reason_code::unspecified_error;
  check_encode_refuses(a, v5, errc::invalid_reason_code);
}

TEST_CASE("MQTT-3.7.2-1 [5.0] PUBCOMP reason codes are 0x00 or 0x92", "[conformance][v5]") {
  const row rows[] = {
      bad("70 03 00 01 80", v5, errc::invalid_reason_code, 4, "MQTT-3.7.2-1"),
      bad("70 03 00 01 10", v5, errc::invalid_reason_code, 4, "MQTT-3.7.2-1"),
      good("70 03 00 01 92", v5),
  };
  check_rows(rows);
  mc::pubcomp a;
  a.packet_id = 1;
  a.reason_code = mc::reason_code::no_matching_subscribers;
  check_encode_refuses(a, v5, errc::invalid_reason_code);
}

// ---------------------------------------------------------------------------------------------
// §3.8-3.11 subscriptions

TEST_CASE("MQTT-3.8.1-1 [5.0] SUBSCRIBE fixed header byte is 0x82", "[conformance][v5]") {
  const row rows[] = {
      bad("80 07 00 01 00 00 01 61 00", v5, errc::invalid_header_flags, 0, "MQTT-3.8.1-1"),
      good("82 07 00 01 00 00 01 61 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.8.3-1 [5.0] SUBSCRIBE topic filters are UTF-8", "[conformance][v5]") {
  const row rows[] = {
      bad("82 07 00 01 00 00 01 FF 00", v5, errc::invalid_utf8, 7, "MQTT-1.5.4-1"),
      good("82 08 00 01 00 00 02 C3 A9 00", v5),
  };
  check_rows(rows);
  const mc::subscription subs[] = {{"\xFF", {}}};
  check_encode_refuses(subscribe_one(subs), v5, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.8.3-2 [5.0] SUBSCRIBE carries at least one topic filter", "[conformance][v5]") {
  const row rows[] = {
      bad("82 03 00 01 00", v5, errc::no_topic_filters, 5, "MQTT-3.8.3-2"),
      // Properties alone (Subscription Identifier 1) are not a subscription.
      bad("82 05 00 01 02 0B 01", v5, errc::no_topic_filters, 7, "MQTT-3.8.3-2"),
      good("82 07 00 01 00 00 01 61 00", v5),
  };
  check_rows(rows);
  mc::subscribe s;
  s.packet_id = 1;
  check_encode_refuses(s, v5, errc::no_topic_filters);
}

TEST_CASE("MQTT-3.8.3-4 [5.0] No Local is not set on a shared subscription", "[conformance][v5]") {
  const row rows[] = {
      bad("82 10 00 01 00 00 0A 24 73 68 61 72 65 2F 67 2F 61 04", v5,
          errc::shared_subscription_no_local, 17, "MQTT-3.8.3-4"),
      good("82 10 00 01 00 00 0A 24 73 68 61 72 65 2F 67 2F 61 00", v5),
      good("82 07 00 01 00 00 01 61 04", v5),
  };
  check_rows(rows);
  mc::subscription subs[] = {{"$share/g/a", {}}};
  subs[0].options.no_local = true;
  check_encode_refuses(subscribe_one(subs), v5, errc::shared_subscription_no_local);
}

TEST_CASE("MQTT-3.8.3-5 [5.0] subscription options bits 7-6 are 0", "[conformance][v5]") {
  const row rows[] = {
      bad("82 07 00 01 00 00 01 61 C0", v5, errc::invalid_subscription_options, 8, "MQTT-3.8.3-5"),
      bad("82 07 00 01 00 00 01 61 40", v5, errc::invalid_subscription_options, 8, "MQTT-3.8.3-5"),
      bad("82 07 00 01 00 00 01 61 80", v5, errc::invalid_subscription_options, 8, "MQTT-3.8.3-5"),
      // Every defined bit set: Retain Handling 2, Retain As Published, No Local, QoS 2.
      good("82 07 00 01 00 00 01 61 2E", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.9.3-2 [5.0] SUBACK reason codes are those Table 3-8 lists", "[conformance][v5]") {
  const row rows[] = {
      bad("90 04 00 01 00 03", v5, errc::invalid_reason_code, 5, "MQTT-3.9.3-2"),
      bad("90 05 00 01 00 00 10", v5, errc::invalid_reason_code, 6, "MQTT-3.9.3-2"),
      good("90 06 00 01 00 00 02 A2", v5),
  };
  check_rows(rows);
  mc::suback s;
  s.packet_id = 1;
  const std::uint8_t codes[] = {0x10};
  s.reason_codes = mc::bytes_view(codes, 1);
  check_encode_refuses(s, v5, errc::invalid_reason_code);
}

TEST_CASE("MQTT-3.10.1-1 [5.0] UNSUBSCRIBE fixed header byte is 0xA2", "[conformance][v5]") {
  const row rows[] = {
      bad("A0 06 00 01 00 00 01 61", v5, errc::invalid_header_flags, 0, "MQTT-3.10.1-1"),
      good("A2 06 00 01 00 00 01 61", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.10.3-1 [5.0] UNSUBSCRIBE topic filters are UTF-8", "[conformance][v5]") {
  const row rows[] = {
      bad("A2 06 00 01 00 00 01 FF", v5, errc::invalid_utf8, 7, "MQTT-1.5.4-1"),
      good("A2 09 00 01 00 00 01 61 00 01 62", v5),
  };
  check_rows(rows);
  mc::unsubscribe u;
  u.packet_id = 1;
  const std::string_view filters[] = {"\xFF"};
  u.topic_filters = filters;
  check_encode_refuses(u, v5, errc::invalid_utf8);
}

TEST_CASE(
    "MQTT-3.10.4-1 [5.0] UNSUBSCRIBE filters are compared as text, wildcards not "
    "expanded",
    "[conformance][v5]") {
  const row rows[] = {
      // "a/+" and "a/#", verbatim.
      good("A2 0D 00 01 00 00 03 61 2F 2B 00 03 61 2F 23", v5),
      // A filter that no subscription can hold is refused before any comparison.
      bad("A2 07 00 01 00 00 02 61 2B", v5, errc::invalid_topic_filter, 8, "MQTT-4.7.1-2"),
  };
  check_rows(rows);
  const decoded<mc::unsubscribe> u("A2 0D 00 01 00 00 03 61 2F 2B 00 03 61 2F 23", v5);
  check_unsubscribe_is_literal(*u, v5);
}

TEST_CASE("MQTT-3.10.3-2 [5.0] UNSUBSCRIBE carries at least one topic filter",
          "[conformance][v5]") {
  const row rows[] = {
      bad("A2 03 00 01 00", v5, errc::no_topic_filters, 5, "MQTT-3.10.3-2"),
      good("A2 06 00 01 00 00 01 61", v5),
  };
  check_rows(rows);
  mc::unsubscribe u;
  u.packet_id = 1;
  check_encode_refuses(u, v5, errc::no_topic_filters);
}

TEST_CASE("MQTT-3.11.3-2 [5.0] UNSUBACK reason codes are those Table 3-9 lists",
          "[conformance][v5]") {
  const row rows[] = {
      bad("B0 04 00 01 00 01", v5, errc::invalid_reason_code, 5, "MQTT-3.11.3-2"),
      bad("B0 05 00 01 00 11 10", v5, errc::invalid_reason_code, 6, "MQTT-3.11.3-2"),
      good("B0 05 00 01 00 00 11", v5),
  };
  check_rows(rows);
  mc::unsuback u;
  u.packet_id = 1;
  const std::uint8_t codes[] = {0x01};
  u.reason_codes = mc::bytes_view(codes, 1);
  check_encode_refuses(u, v5, errc::invalid_reason_code);
}

// ---------------------------------------------------------------------------------------------
// §3.14 DISCONNECT, §3.15 AUTH

TEST_CASE("MQTT-3.14.1-1 [5.0] DISCONNECT fixed header byte is 0xE0", "[conformance][v5]") {
  const row rows[] = {
      bad("E1 00", v5, errc::invalid_header_flags, 0, "MQTT-3.14.1-1"),
      good("E0 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.14.2-1 [5.0] DISCONNECT reason codes are those Table 3-10 lists",
          "[conformance][v5]") {
  const row rows[] = {
      bad("E0 01 05", v5, errc::invalid_reason_code, 2, "MQTT-3.14.2-1"),
      bad("E0 01 84", v5, errc::invalid_reason_code, 2, "MQTT-3.14.2-1"),
      good("E0 01 04", v5),
      good("E0 01 8E", v5),
      good("E0 00", v5),
      // Reason 0 written out, with an empty property block: allowed, though not the shortest.
      good_long_form("E0 02 00 00", v5),
  };
  check_rows(rows);
  mc::disconnect d;
  d.reason_code = static_cast<mc::reason_code>(0x05);
  check_encode_refuses(d, v5, errc::invalid_reason_code);
}

TEST_CASE("MQTT-3.15.1-1 [5.0] AUTH fixed header byte is 0xF0", "[conformance][v5]") {
  const row rows[] = {
      bad("F1 00", v5, errc::invalid_header_flags, 0, "MQTT-3.15.1-1"),
      bad("F8 01 18", v5, errc::invalid_header_flags, 0, "MQTT-3.15.1-1"),
      good("F0 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.15.2-1 [5.0] AUTH reason codes are 0x00, 0x18 or 0x19", "[conformance][v5]") {
  const row rows[] = {
      bad("F0 01 01", v5, errc::invalid_reason_code, 2, "MQTT-3.15.2-1"),
      bad("F0 01 87", v5, errc::invalid_reason_code, 2, "MQTT-3.15.2-1"),
      // Continue authentication and Re-authenticate, each with Authentication Method "m".
      good("F0 06 18 04 15 00 01 6D", v5),
      good("F0 06 19 04 15 00 01 6D", v5),
  };
  check_rows(rows);
  mc::auth a;
  a.reason_code = mc::reason_code::not_authorized;
  check_encode_refuses(a, v5, errc::invalid_reason_code);
}

// ---------------------------------------------------------------------------------------------
// §4.3 QoS 0, §4.7 topics, §4.8 shared subscriptions

TEST_CASE("MQTT-4.3.1-1 [5.0] a QoS 0 message is sent with QoS 0 and DUP 0", "[conformance][v5]") {
  const row rows[] = {
      bad("38 04 00 01 61 00", v5, errc::invalid_header_flags, 0, "MQTT-3.3.1-2"),
      good("30 04 00 01 61 00", v5),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  check_encodes_to(p, v5, "30 04 00 01 61 00");
  p.dup = true;
  check_encode_refuses(p, v5, errc::invalid_header_flags);
}

TEST_CASE("MQTT-4.7.0-1 [5.0] wildcards appear in topic filters, never in topic names",
          "[conformance][v5]") {
  const row rows[] = {
      bad("30 06 00 03 61 2F 23 00", v5, errc::topic_has_wildcard, 6, "MQTT-3.3.2-2"),
      bad("10 15 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 00 00 01 2B 00 01 6D", v5,
          errc::topic_has_wildcard, 19, "MQTT-3.3.2-2"),
      good("82 09 00 01 00 00 03 61 2F 23 00", v5),
      good("A2 08 00 01 00 00 03 2B 2F 61", v5),
  };
  check_rows(rows);
  mc::connect c = connect_c(v5);
  c.will.emplace();
  c.will->topic = "+";
  check_encode_refuses(c, v5, errc::topic_has_wildcard);
}

TEST_CASE("MQTT-4.7.1-1 [5.0] '#' stands alone as the last level of a filter",
          "[conformance][v5]") {
  const row rows[] = {
      bad("82 08 00 01 00 00 02 61 23 00", v5, errc::invalid_topic_filter, 8, "MQTT-4.7.1-1"),
      bad("82 0B 00 01 00 00 05 61 2F 23 2F 62 00", v5, errc::invalid_topic_filter, 9,
          "MQTT-4.7.1-1"),
      good("82 09 00 01 00 00 03 61 2F 23 00", v5),
      good("82 07 00 01 00 00 01 23 00", v5),
  };
  check_rows(rows);
  const mc::subscription subs[] = {{"#/a", {}}};
  check_encode_refuses(subscribe_one(subs), v5, errc::invalid_topic_filter);
}

TEST_CASE("MQTT-4.7.1-2 [5.0] '+' occupies a whole level of a filter", "[conformance][v5]") {
  const row rows[] = {
      bad("82 08 00 01 00 00 02 61 2B 00", v5, errc::invalid_topic_filter, 8, "MQTT-4.7.1-2"),
      bad("A2 07 00 01 00 00 02 2B 61", v5, errc::invalid_topic_filter, 7, "MQTT-4.7.1-2"),
      good("82 0B 00 01 00 00 05 61 2F 2B 2F 62 00", v5),
      good("A2 06 00 01 00 00 01 2B", v5),
  };
  check_rows(rows);
  const mc::subscription subs[] = {{"+a", {}}};
  check_encode_refuses(subscribe_one(subs), v5, errc::invalid_topic_filter);
}

TEST_CASE("MQTT-4.7.3-1 [5.0] topic names and filters are at least one character",
          "[conformance][v5]") {
  const row rows[] = {
      bad("30 03 00 00 00", v5, errc::empty_topic, 2, "MQTT-4.7.3-1"),
      bad("82 06 00 01 00 00 00 00", v5, errc::invalid_topic_filter, 7, "MQTT-4.7.3-1"),
      bad("A2 05 00 01 00 00 00", v5, errc::invalid_topic_filter, 7, "MQTT-4.7.3-1"),
      good("30 04 00 01 61 00", v5),
      // The one exception: an empty name with a Topic Alias.
      good("30 06 00 00 03 23 00 01", v5),
      // A Response Topic is the Topic Name of the response (§3.3.2.3.5, §3.1.3.2.6), in a
      // PUBLISH and in a will.
      bad("30 07 00 01 61 03 08 00 00", v5, errc::empty_topic, 6, "MQTT-4.7.3-1"),
      bad("10 18 00 04 4D 51 54 54 05 06 00 3C 00 00 01 63 03 08 00 00 00 01 74 00 01 6D", v5,
          errc::empty_topic, 17, "MQTT-4.7.3-1"),
  };
  check_rows(rows);
  CHECK(error_of(rows[5].hex).value == 0x08);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.props.response_topic = "";
  check_encode_refuses(p, v5, errc::empty_topic);
  p.props.response_topic.reset();
  p.topic = "";
  check_encode_refuses(p, v5, errc::empty_topic);
  mc::connect c = connect_c(v5);
  c.will.emplace();
  c.will->topic = "t";
  c.will->props.response_topic = "";
  check_encode_refuses(c, v5, errc::empty_topic);
  p.props.topic_alias = std::uint16_t{1};
  check_encodes_to(p, v5, "30 06 00 00 03 23 00 01");
}

TEST_CASE("MQTT-4.7.3-2 [5.0] topic names and filters do not contain U+0000", "[conformance][v5]") {
  const row rows[] = {
      bad("30 06 00 03 61 00 62 00", v5, errc::utf8_null_character, 5, "MQTT-1.5.4-2"),
      bad("82 08 00 01 00 00 02 61 00 00", v5, errc::utf8_null_character, 8, "MQTT-1.5.4-2"),
      good("30 06 00 03 61 01 62 00", v5),
  };
  check_rows(rows);
  mc::unsubscribe u;
  u.packet_id = 1;
  const std::string_view filters[] = {std::string_view("a\0", 2)};
  u.topic_filters = filters;
  check_encode_refuses(u, v5, errc::utf8_null_character);
}

TEST_CASE("MQTT-4.7.3-3 [5.0] topic names and filters are at most 65535 bytes",
          "[conformance][v5]") {
  const row rows[] = {
      bad("30 05 FF FF 61 62 00", v5, errc::truncated, 2, nullptr),
      good("30 04 00 01 61 00", v5),
  };
  check_rows(rows);
  // The longest topic: remaining length 65538 = 82 80 04, length FF FF, the name, Property
  // Length 00.
  std::vector<std::uint8_t> longest = from_hex("30 82 80 04 FF FF");
  longest.resize(longest.size() + 65535, 'a');
  longest.push_back(0x00);
  auto got = mc::decode(longest, v5);
  REQUIRE(got.has_value());
  CHECK(std::get<mc::publish>(*got).topic.size() == 65535);
  const std::string name(65536, 'a');
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = name;
  check_encode_refuses(p, v5, errc::value_too_long);
}

TEST_CASE("MQTT-4.8.2-1 [5.0] a shared subscription has a non-empty ShareName",
          "[conformance][v5]") {
  const row rows[] = {
      // "$share//a"
      bad("82 0F 00 01 00 00 09 24 73 68 61 72 65 2F 2F 61 00", v5, errc::invalid_topic_filter, 14,
          "MQTT-4.8.2-1"),
      // "$share/"
      bad("82 0D 00 01 00 00 07 24 73 68 61 72 65 2F 00", v5, errc::invalid_topic_filter, 14,
          "MQTT-4.8.2-1"),
      // "$share/g/a"
      good("82 10 00 01 00 00 0A 24 73 68 61 72 65 2F 67 2F 61 00", v5),
  };
  check_rows(rows);
  const mc::subscription subs[] = {{"$share//a", {}}};
  check_encode_refuses(subscribe_one(subs), v5, errc::invalid_topic_filter);
}

TEST_CASE(
    "MQTT-4.8.2-2 [5.0] a ShareName has no '/', '+', '#' and is followed by '/' and a "
    "filter",
    "[conformance][v5]") {
  const row rows[] = {
      // "$share/g": no filter.
      bad("82 0E 00 01 00 00 08 24 73 68 61 72 65 2F 67 00", v5, errc::invalid_topic_filter, 15,
          "MQTT-4.8.2-2"),
      // "$share/g/": an empty filter.
      bad("82 0F 00 01 00 00 09 24 73 68 61 72 65 2F 67 2F 00", v5, errc::invalid_topic_filter, 16,
          "MQTT-4.8.2-2"),
      // "$share/g+/a": a wildcard in the ShareName.
      bad("82 11 00 01 00 00 0B 24 73 68 61 72 65 2F 67 2B 2F 61 00", v5,
          errc::invalid_topic_filter, 15, "MQTT-4.8.2-2"),
      // The same in UNSUBSCRIBE.
      bad("A2 0D 00 01 00 00 08 24 73 68 61 72 65 2F 67", v5, errc::invalid_topic_filter, 15,
          "MQTT-4.8.2-2"),
      // "$share/g/a/#"
      good("82 12 00 01 00 00 0C 24 73 68 61 72 65 2F 67 2F 61 2F 23 00", v5),
  };
  check_rows(rows);
  const mc::subscription subs[] = {{"$share/g", {}}};
  check_encode_refuses(subscribe_one(subs), v5, errc::invalid_topic_filter);
}

// ---------------------------------------------------------------------------------------------
// Rules of one direction. The decoder checks them when it is told who sent the packet
// (decode_options::sender); not told, it accepts what either side may send. A sender checks
// them with check_sender before encoding, since encode is not told who sends.

// check_sender on `p` must fail for `sender` with `rule` and `value`, and pass for the other
// side and for an unknown sender.
template <class P>
void check_sender_refuses(const P& p, mc::role sender, const char* rule, std::uint8_t value) {
  const mc::role other = sender == mc::role::client ? mc::role::server : mc::role::client;
  auto st = mc::check_sender(p, v5, sender);
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().code == errc::wrong_sender);
  CHECK(rule_text(st.error().rule) == rule_text(rule));
  CHECK(st.error().value == value);
  auto held = mc::check_sender(mc::packet{p}, v5, sender);  // the variant overload
  REQUIRE_FALSE(held.has_value());
  CHECK(held.error().code == errc::wrong_sender);
  CHECK(mc::check_sender(p, v5, other).has_value());
  CHECK(mc::check_sender(p, v5, mc::role::unknown).has_value());
}

TEST_CASE("MQTT-3.3.4-6 [5.0] a client's PUBLISH carries no Subscription Identifier",
          "[conformance][v5]") {
  const row from_client[] = {
      bad("30 06 00 01 61 02 0B 01", v5, errc::wrong_sender, 6, "MQTT-3.3.4-6"),
      // After a Topic Alias: the offset is the identifier's own.
      bad("30 09 00 01 61 05 23 00 01 0B 01", v5, errc::wrong_sender, 9, "MQTT-3.3.4-6"),
      good("30 04 00 01 61 00", v5),
  };
  check_rows(from_client, sent_by(mc::role::client));
  // A server sends one; a decoder not told the sender accepts it.
  check_row(good("30 06 00 01 61 02 0B 01", v5), sent_by(mc::role::server));
  check_row(good("30 06 00 01 61 02 0B 01", v5));
  // A format error stays one whoever sends it: identifier 0.
  check_row(bad("30 06 00 01 61 02 0B 00", v5, errc::invalid_property_value, 6, nullptr),
            sent_by(mc::role::server));
  check_row(bad("30 06 00 01 61 02 0B 00", v5, errc::invalid_property_value, 6, nullptr),
            sent_by(mc::role::client));

  const std::uint32_t ids[] = {1};
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.props.subscription_identifiers = ids;
  check_sender_refuses(p, mc::role::client, "MQTT-3.3.4-6", 0x0B);
}

TEST_CASE("MQTT-3.14.2-2 [5.0] a server's DISCONNECT carries no Session Expiry Interval",
          "[conformance][v5]") {
  const row from_server[] = {
      bad("E0 07 00 05 11 00 00 00 0A", v5, errc::wrong_sender, 4, "MQTT-3.14.2-2"),
      // After a Reason String: the offset is the property's own.
      bad("E0 0B 00 09 1F 00 01 78 11 00 00 00 0A", v5, errc::wrong_sender, 8, "MQTT-3.14.2-2"),
      good("E0 00", v5),
      good("E0 01 8B", v5),
  };
  check_rows(from_server, sent_by(mc::role::server));
  check_row(good("E0 07 00 05 11 00 00 00 0A", v5), sent_by(mc::role::client));
  check_row(good("E0 07 00 05 11 00 00 00 0A", v5));

  mc::disconnect d;
  d.props.session_expiry_interval = 10;
  check_sender_refuses(d, mc::role::server, "MQTT-3.14.2-2", 0x11);
}

TEST_CASE("MQTT-3.14.2-1 [5.0] a DISCONNECT reason code is one its sender may use (Table 3-10)",
          "[conformance][v5]") {
  // Disconnect with Will Message is the client's alone; the server's codes include Server
  // shutting down, Keep Alive timeout, Session taken over and Use another server.
  const row from_server[] = {
      bad("E0 01 04", v5, errc::wrong_sender, 2, "MQTT-3.14.2-1"),
      bad("E0 02 04 00", v5, errc::wrong_sender, 2, "MQTT-3.14.2-1"),
      good("E0 01 8B", v5),
      good("E0 01 9C", v5),
      good("E0 01 98", v5),
  };
  check_rows(from_server, sent_by(mc::role::server));
  const row from_client[] = {
      bad("E0 01 8B", v5, errc::wrong_sender, 2, "MQTT-3.14.2-1"),
      bad("E0 01 8D", v5, errc::wrong_sender, 2, "MQTT-3.14.2-1"),
      bad("E0 01 8E", v5, errc::wrong_sender, 2, "MQTT-3.14.2-1"),
      bad("E0 01 A2", v5, errc::wrong_sender, 2, "MQTT-3.14.2-1"),
      good("E0 01 04", v5),
      good_long_form("E0 01 00", v5),
      good("E0 01 81", v5),
      good("E0 01 93", v5),
  };
  check_rows(from_client, sent_by(mc::role::client));
  // A code no side may send stays invalid_reason_code, whoever is named.
  check_row(bad("E0 01 05", v5, errc::invalid_reason_code, 2, "MQTT-3.14.2-1"),
            sent_by(mc::role::server));

  mc::disconnect d;
  d.reason_code = mc::reason_code::server_shutting_down;
  check_sender_refuses(d, mc::role::client, "MQTT-3.14.2-1", 0x8B);
  d.reason_code = mc::reason_code::disconnect_with_will_message;
  check_sender_refuses(d, mc::role::server, "MQTT-3.14.2-1", 0x04);
}

TEST_CASE("MQTT-3.15.2-1 [5.0] an AUTH reason code is one its sender may use",
          "[conformance][v5]") {
  // Success is the server's (the empty AUTH is Success too), Re-authenticate the client's,
  // Continue authentication either side's.
  const row from_client[] = {
      bad("F0 00", v5, errc::wrong_sender, 2, "MQTT-3.15.2-1"),
      bad("F0 05 00 03 15 00 00", v5, errc::wrong_sender, 2, "MQTT-3.15.2-1"),
      good("F0 05 19 03 15 00 00", v5),
      good("F0 05 18 03 15 00 00", v5),
  };
  check_rows(from_client, sent_by(mc::role::client));
  const row from_server[] = {
      bad("F0 05 19 03 15 00 00", v5, errc::wrong_sender, 2, "MQTT-3.15.2-1"),
      good("F0 00", v5),
      good("F0 05 18 03 15 00 00", v5),
  };
  check_rows(from_server, sent_by(mc::role::server));

  mc::auth a;
  a.reason_code = mc::reason_code::re_authenticate;
  a.props.authentication_method = "m";
  check_sender_refuses(a, mc::role::server, "MQTT-3.15.2-1", 0x19);
}

TEST_CASE("packets flow in the direction Table 2-1 gives [5.0]", "[conformance][v5]") {
  const row from_client[] = {
      bad("20 03 00 00 00", v5, errc::wrong_sender, 0, nullptr),     // CONNACK
      bad("90 04 00 01 00 00", v5, errc::wrong_sender, 0, nullptr),  // SUBACK
      bad("B0 04 00 01 00 00", v5, errc::wrong_sender, 0, nullptr),  // UNSUBACK
      bad("D0 00", v5, errc::wrong_sender, 0, nullptr),              // PINGRESP
      good("C0 00", v5),                                             // PINGREQ
      good("E0 00", v5),                                             // DISCONNECT
      good("40 02 00 01", v5),                                       // PUBACK
  };
  check_rows(from_client, sent_by(mc::role::client));
  const row from_server[] = {
      bad("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63", v5, errc::wrong_sender, 0,
          nullptr),                                                           // CONNECT
      bad("82 07 00 01 00 00 01 61 00", v5, errc::wrong_sender, 0, nullptr),  // SUBSCRIBE
      bad("A2 06 00 01 00 00 01 61", v5, errc::wrong_sender, 0, nullptr),     // UNSUBSCRIBE
      bad("C0 00", v5, errc::wrong_sender, 0, nullptr),                       // PINGREQ
      good("D0 00", v5),                                                      // PINGRESP
      good("E0 00", v5),  // a 5.0 server may send DISCONNECT
      good("20 03 00 00 00", v5),
  };
  check_rows(from_server, sent_by(mc::role::server));
  // The packet type's direction is read from the fixed header, before the body: a client's
  // CONNACK is refused whatever it holds, even a reason code no CONNACK may carry. Framing
  // errors still come first.
  check_row(bad("20 03 00 05 00", v5, errc::wrong_sender, 0, nullptr), sent_by(mc::role::client));
  check_row(bad("20 03 00 05 00", v5, errc::invalid_reason_code, 3, "MQTT-3.2.2-8"),
            sent_by(mc::role::server));
  check_row(bad("20 04 00 00 00", v5, errc::truncated, 5, nullptr), sent_by(mc::role::client));
  auto st = mc::check_sender(mc::connack{}, v5, mc::role::client);
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().code == errc::wrong_sender);
  CHECK(st.error().rule == nullptr);
  CHECK(mc::check_sender(mc::connack{}, v5, mc::role::server).has_value());
}

// decode_as<P> and the compile-time forms check the rules of one direction as decode does:
// the same outcome for `hex` sent by `sender`, at every entry point.
template <class P, protocol_version V>
void check_sender_at_entry_points(const char* hex, mc::role sender) {
  INFO("vector " << hex << " from sender " << mc::to_string(sender));
  const std::vector<std::uint8_t> bytes = from_hex(hex);
  const mc::decode_options opt = sent_by(sender);
  const auto ref = mc::decode(bytes, V, opt);
  const auto same = [&ref](const auto& got) {
    REQUIRE(got.has_value() == ref.has_value());
    if (ref.has_value()) return;
    CHECK(got.error().code == ref.error().code);
    CHECK(got.error().offset == ref.error().offset);
    CHECK(rule_text(got.error().rule) == rule_text(ref.error().rule));
    CHECK(got.error().value == ref.error().value);
  };
  same(mc::decode<V>(bytes, opt));
  same(mc::decode_as<P>(bytes, V, opt));
  same(mc::decode_as<P, V>(bytes, opt));
}

TEST_CASE("every decode entry point checks the rules of one direction", "[conformance][v5]") {
  for (const mc::role sender : {mc::role::client, mc::role::server}) {
    check_sender_at_entry_points<mc::publish, v5>("30 06 00 01 61 02 0B 01", sender);
    check_sender_at_entry_points<mc::publish, v5>("30 06 00 01 61 02 0B 00", sender);
    check_sender_at_entry_points<mc::disconnect, v5>("E0 07 00 05 11 00 00 00 0A", sender);
    check_sender_at_entry_points<mc::disconnect, v5>("E0 01 8B", sender);
    check_sender_at_entry_points<mc::disconnect, v5>("E0 01 04", sender);
    check_sender_at_entry_points<mc::auth, v5>("F0 00", sender);
    check_sender_at_entry_points<mc::connack, v5>("20 03 00 00 00", sender);
    check_sender_at_entry_points<mc::subscribe, v5>("82 07 00 01 00 00 01 61 00", sender);
    check_sender_at_entry_points<mc::disconnect, v311>("E0 00", sender);
    check_sender_at_entry_points<mc::connack, v311>("20 02 00 00", sender);
  }
  // The table above holds failures for both senders, so agreement is not vacuous.
  CHECK_FALSE(mc::decode_as<mc::disconnect, v311>(from_hex("E0 00"), sent_by(mc::role::server)));
  CHECK_FALSE(mc::decode_as<mc::publish>(from_hex("30 06 00 01 61 02 0B 01"), v5,
                                         sent_by(mc::role::client)));
  CHECK_FALSE(
      mc::decode_as<mc::connack, v5>(from_hex("20 03 00 00 00"), sent_by(mc::role::client)));
}

// ---------------------------------------------------------------------------------------------
// 5.0 format rules the spec states without a statement id

TEST_CASE("unknown property identifier [5.0]", "[conformance][v5]") {
  const row rows[] = {
      bad("30 05 00 01 61 01 04", v5, errc::unknown_property, 6, nullptr),
      bad("30 05 00 01 61 01 00", v5, errc::unknown_property, 6, nullptr),
      bad("40 05 00 01 00 01 2B", v5, errc::unknown_property, 6, nullptr),
      good("30 06 00 01 61 02 01 01", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x04);
  CHECK(error_of(rows[2].hex).value == 0x2B);
}

TEST_CASE("property not allowed in this packet names the property [5.0]", "[conformance][v5]") {
  const row rows[] = {
      // Session Expiry Interval in PUBLISH.
      bad("30 09 00 01 61 05 11 00 00 00 0A", v5, errc::property_not_allowed, 6, nullptr),
      // Topic Alias in CONNECT.
      bad("10 11 00 04 4D 51 54 54 05 02 00 3C 03 23 00 01 00 01 63", v5,
          errc::property_not_allowed, 13, nullptr),
      // Subscription Identifier in SUBACK.
      bad("90 06 00 01 02 0B 01 00", v5, errc::property_not_allowed, 5, nullptr),
      // Will Delay Interval in CONNECT's own properties (it belongs to the will).
      bad("10 13 00 04 4D 51 54 54 05 02 00 3C 05 18 00 00 00 05 00 01 63", v5,
          errc::property_not_allowed, 13, nullptr),
      good("30 09 00 01 61 05 02 00 00 00 0A", v5),
      good("10 13 00 04 4D 51 54 54 05 02 00 3C 05 11 00 00 00 05 00 01 63", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x11);
  CHECK(error_of(rows[1].hex).value == 0x23);
  CHECK(error_of(rows[2].hex).value == 0x0B);
  CHECK(error_of(rows[3].hex).value == 0x18);
}

TEST_CASE("duplicate property [5.0]", "[conformance][v5]") {
  const row rows[] = {
      // Message Expiry Interval twice in PUBLISH.
      bad("30 0E 00 01 61 0A 02 00 00 00 01 02 00 00 00 02", v5, errc::duplicate_property, 11,
          nullptr),
      // Receive Maximum twice in CONNACK.
      bad("20 09 00 00 06 21 00 0A 21 00 0A", v5, errc::duplicate_property, 8, nullptr),
      // Subscription Identifier twice in SUBSCRIBE (PUBLISH may repeat it, SUBSCRIBE may not).
      bad("82 0B 00 01 04 0B 01 0B 02 00 01 61 00", v5, errc::duplicate_property, 7, nullptr),
      // User Property may repeat, even with the same name and value.
      good("30 12 00 01 61 0E 26 00 01 6B 00 01 76 26 00 01 6B 00 01 76", v5),
      good("30 08 00 01 61 04 0B 01 0B 02", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x02);
  CHECK(error_of(rows[1].hex).value == 0x21);
}

TEST_CASE(
    "zero Receive Maximum, Maximum Packet Size, Topic Alias or Subscription Identifier "
    "[5.0]",
    "[conformance][v5]") {
  const row rows[] = {
      bad("10 11 00 04 4D 51 54 54 05 02 00 3C 03 21 00 00 00 01 63", v5,
          errc::invalid_property_value, 13, nullptr),
      bad("10 13 00 04 4D 51 54 54 05 02 00 3C 05 27 00 00 00 00 00 01 63", v5,
          errc::invalid_property_value, 13, nullptr),
      bad("20 06 00 00 03 21 00 00", v5, errc::invalid_property_value, 5, nullptr),
      bad("30 07 00 01 61 03 23 00 00", v5, errc::invalid_property_value, 6, "MQTT-3.3.2-8"),
      bad("82 09 00 01 02 0B 00 00 01 61 00", v5, errc::invalid_property_value, 5, nullptr),
      bad("30 06 00 01 61 02 0B 00", v5, errc::invalid_property_value, 6, nullptr),
      good("10 11 00 04 4D 51 54 54 05 02 00 3C 03 21 00 01 00 01 63", v5),
      good("10 13 00 04 4D 51 54 54 05 02 00 3C 05 27 00 00 00 01 00 01 63", v5),
      good("82 09 00 01 02 0B 01 00 01 61 00", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x21);
  CHECK(error_of(rows[1].hex).value == 0x27);
  CHECK(error_of(rows[4].hex).value == 0x0B);
  mc::connect c = connect_c(v5);
  c.props.receive_maximum = std::uint16_t{0};
  check_encode_refuses(c, v5, errc::invalid_property_value);
  c = connect_c(v5);
  c.props.maximum_packet_size = 0u;
  check_encode_refuses(c, v5, errc::invalid_property_value);
  mc::subscription subs[] = {{"a", {}}};
  mc::subscribe s = subscribe_one(subs);
  s.props.subscription_identifier = 0u;
  check_encode_refuses(s, v5, errc::invalid_property_value);
  mc::publish p = publish_a(mc::qos::at_most_once);
  const std::uint32_t ids[] = {0};
  p.props.subscription_identifiers = ids;
  check_encode_refuses(p, v5, errc::invalid_property_value);
}

TEST_CASE("byte properties that are 0 or 1 [5.0]", "[conformance][v5]") {
  const row rows[] = {
      // Payload Format Indicator 2.
      bad("30 06 00 01 61 02 01 02", v5, errc::invalid_property_value, 6, nullptr),
      // Request Problem Information 2.
      bad("10 10 00 04 4D 51 54 54 05 02 00 3C 02 17 02 00 01 63", v5, errc::invalid_property_value,
          13, nullptr),
      // Request Response Information 2.
      bad("10 10 00 04 4D 51 54 54 05 02 00 3C 02 19 02 00 01 63", v5, errc::invalid_property_value,
          13, nullptr),
      // Retain Available, Wildcard / Subscription Identifier / Shared Subscription Available 2.
      bad("20 05 00 00 02 25 02", v5, errc::invalid_property_value, 5, nullptr),
      bad("20 05 00 00 02 28 02", v5, errc::invalid_property_value, 5, nullptr),
      bad("20 05 00 00 02 29 FF", v5, errc::invalid_property_value, 5, nullptr),
      bad("20 05 00 00 02 2A 02", v5, errc::invalid_property_value, 5, nullptr),
      good("30 06 00 01 61 02 01 01", v5),
      good("10 10 00 04 4D 51 54 54 05 02 00 3C 02 17 00 00 01 63", v5),
      good("20 05 00 00 02 25 00", v5),
      good("20 05 00 00 02 2A 01", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x01);
  CHECK(error_of(rows[3].hex).value == 0x25);
}

TEST_CASE("Maximum QoS is 0 or 1 [5.0]", "[conformance][v5]") {
  const row rows[] = {
      bad("20 05 00 00 02 24 02", v5, errc::invalid_property_value, 5, nullptr),
      good("20 05 00 00 02 24 00", v5),
      good("20 05 00 00 02 24 01", v5),
  };
  check_rows(rows);
  CHECK(error_of(rows[0].hex).value == 0x24);
  mc::connack c;
  c.props.maximum_qos = mc::qos::exactly_once;
  check_encode_refuses(c, v5, errc::invalid_property_value);
}

TEST_CASE("Authentication Data without Authentication Method [5.0]", "[conformance][v5]") {
  const row rows[] = {
      bad("10 12 00 04 4D 51 54 54 05 02 00 3C 04 16 00 01 61 00 01 63", v5,
          errc::auth_data_without_method, 13, nullptr),
      bad("F0 06 18 04 16 00 01 61", v5, errc::auth_data_without_method, 4, nullptr),
      good("10 16 00 04 4D 51 54 54 05 02 00 3C 08 15 00 01 6D 16 00 01 61 00 01 63", v5),
      good("F0 0A 18 08 15 00 01 6D 16 00 01 61", v5),
  };
  check_rows(rows);
  mc::connect c = connect_c(v5);
  const std::uint8_t data[] = {0x61};
  c.props.authentication_data = mc::bytes_view(data, 1);
  check_encode_refuses(c, v5, errc::auth_data_without_method);
}

TEST_CASE("Retain Handling 3 and subscription QoS 3 [5.0]", "[conformance][v5]") {
  const row rows[] = {
      bad("82 07 00 01 00 00 01 61 30", v5, errc::invalid_retain_handling, 8, nullptr),
      bad("82 07 00 01 00 00 01 61 03", v5, errc::invalid_subscription_qos, 8, nullptr),
      good("82 07 00 01 00 00 01 61 20", v5),
      good("82 07 00 01 00 00 01 61 02", v5),
  };
  check_rows(rows);
  // Both are a Protocol Error in 5.0 (§3.8.3.1), not a Malformed Packet.
  CHECK(error_of(rows[0].hex).reason() == mc::reason_code::protocol_error);
  CHECK(error_of(rows[1].hex).reason() == mc::reason_code::protocol_error);
  mc::subscription subs[] = {{"a", {}}};
  subs[0].options.retain = static_cast<mc::retain_handling>(3);
  check_encode_refuses(subscribe_one(subs), v5, errc::invalid_retain_handling);
  subs[0].options = {};
  subs[0].options.max_qos = static_cast<mc::qos>(3);
  check_encode_refuses(subscribe_one(subs), v5, errc::invalid_subscription_qos);
}

TEST_CASE("Property Length past the packet [5.0]", "[conformance][v5]") {
  const row rows[] = {
      bad("30 05 00 01 61 05 01", v5, errc::invalid_property_length, 5, nullptr),
      bad("40 05 00 01 00 08 1F", v5, errc::invalid_property_length, 5, nullptr),
      // Property Length 2 cuts the Content Type value short, inside the packet.
      bad("30 0A 00 01 61 02 03 00 03 61 62 63", v5, errc::invalid_property_length, 7, nullptr),
      // A User Property name of 9 bytes in a block of 3: the same error whether payload bytes
      // follow the block or the packet ends with it (it used to be `truncated` then).
      bad("30 0C 00 01 74 04 26 00 09 61 70 61 79 6C", v5, errc::invalid_property_length, 7,
          nullptr),
      bad("30 07 00 01 74 03 26 00 09", v5, errc::invalid_property_length, 7, nullptr),
      bad("40 07 00 07 00 03 26 00 09", v5, errc::invalid_property_length, 7, nullptr),
      good("30 0A 00 01 61 06 03 00 03 61 62 63", v5),
  };
  check_rows(rows);
}

TEST_CASE("variable byte integer longer than 4 bytes [5.0]", "[conformance][v5]") {
  const row rows[] = {
      bad("30 FF FF FF FF 7F", v5, errc::invalid_remaining_length, 1, nullptr),
      bad("30 08 00 01 61 80 80 80 80 01", v5, errc::invalid_remaining_length, 5, nullptr),
      bad("82 0D 00 01 06 0B 80 80 80 80 01 00 01 61 00", v5, errc::invalid_remaining_length, 6,
          nullptr),
      good("C0 00", v5),
      // The largest Subscription Identifier, 268,435,455 = FF FF FF 7F.
      good("82 0C 00 01 05 0B FF FF FF 7F 00 01 61 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("packet type 0 is reserved [5.0]", "[conformance][v5]") {
  const row rows[] = {
      bad("00 00", v5, errc::invalid_packet_type, 0, nullptr),
      bad("0F 00", v5, errc::invalid_packet_type, 0, nullptr),
      good("F0 00", v5),
  };
  check_rows(rows);
}

TEST_CASE("a 2-byte CONNACK to a 5.0 client is a 3.1.1 server's answer [5.0]",
          "[conformance][v5]") {
  const row rows[] = {
      bad("20 02 00 05", v5, errc::connack_from_v311_server, 0, nullptr),
      bad("20 02 00 01", v5, errc::connack_from_v311_server, 0, nullptr),
      bad("20 02 00 00", v5, errc::connack_from_v311_server, 0, nullptr),
      good("20 03 00 00 00", v5),
  };
  check_rows(rows);
  // The value carries the 3.1.1 return code, so the client knows why and may retry in 3.1.1.
  CHECK(error_of(rows[0].hex).value == 0x05);
  CHECK(error_of(rows[1].hex).value == 0x01);
  CHECK(error_of(rows[2].hex).value == 0x00);
}

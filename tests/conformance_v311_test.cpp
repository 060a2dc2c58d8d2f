// Spec conformance, MQTT 3.1.1: one TEST_CASE per statement id classed CODEC in
// docs/spec/mqtt-3.1.1.tsv, named "<id> [3.1.1] ..." so tools/conformance.py can find it.
// Every vector is written by hand from the spec's field layout, never produced by our encoder.
//
// CONNECT layout used throughout (offsets into the packet):
//   0 type 0x10, 1 remaining length, 2-7 protocol name 00 04 'M' 'Q' 'T' 'T', 8 level 04,
//   9 connect flags, 10-11 keep alive (00 3C), 12 client id length, then the payload.
#include <string>
#include <variant>
#include <vector>

#include "conformance_vectors.hpp"

using namespace conformance;

// ---------------------------------------------------------------------------------------------
// §1.5.3 UTF-8 encoded strings

TEST_CASE("MQTT-1.5.3-1 [3.1.1] strings are well-formed UTF-8 without surrogates",
          "[conformance][v311]") {
  const row rows[] = {
      // PUBLISH topic U+D800 as ED A0 80: a surrogate.
      bad("30 05 00 03 ED A0 80", v311, errc::invalid_utf8, 4, "MQTT-1.5.3-1"),
      // Overlong '/' (C0 AF) and a code point above U+10FFFF (F4 90 80 80).
      bad("30 05 00 03 61 C0 AF", v311, errc::invalid_utf8, 5, "MQTT-1.5.3-1"),
      bad("30 06 00 04 F4 90 80 80", v311, errc::invalid_utf8, 4, "MQTT-1.5.3-1"),
      // A lone continuation byte in the client identifier.
      bad("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 80", v311, errc::invalid_utf8, 14,
          "MQTT-1.5.3-1"),
      // The same places with well-formed multi-byte characters: euro sign, U+10FFFF.
      good("30 05 00 03 E2 82 AC", v311),
      good("30 06 00 04 F4 8F BF BF", v311),
      good("10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 E2 82 AC", v311),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = "\xED\xA0\x80";
  check_encode_refuses(p, v311, errc::invalid_utf8);
}

TEST_CASE("MQTT-1.5.3-2 [3.1.1] strings do not contain U+0000", "[conformance][v311]") {
  const row rows[] = {
      // Client identifier "a\0".
      bad("10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 61 00", v311, errc::utf8_null_character, 15,
          "MQTT-1.5.3-2"),
      // User name "\0" (flags 0x82).
      bad("10 10 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 01 00", v311, errc::utf8_null_character,
          17, "MQTT-1.5.3-2"),
      // U+0000 written as the overlong C0 80 is not a way round the rule.
      bad("10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 61 C0 80", v311, errc::invalid_utf8, 15,
          "MQTT-1.5.3-1"),
      good("10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 61 62", v311),
      good("10 10 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 01 75", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.client_id = std::string_view("a\0", 2);
  check_encode_refuses(c, v311, errc::utf8_null_character);
}

TEST_CASE("MQTT-1.5.3-3 [3.1.1] a BOM inside a string is kept, not skipped",
          "[conformance][v311]") {
  const row rows[] = {
      // Topic "a" U+FEFF "b": the three BOM bytes stay part of the name.
      good("30 07 00 05 61 EF BB BF 62", v311),
      // Cut after EF BB, the bytes are read as UTF-8 (and fail), not skipped as a marker.
      bad("30 06 00 04 61 EF BB 62", v311, errc::invalid_utf8, 5, "MQTT-1.5.3-1"),
  };
  check_rows(rows);
  const auto p = decoded<mc::publish>("30 07 00 05 61 EF BB BF 62", v311);
  CHECK(p->topic ==
        "a\xEF\xBB\xBF"
        "b");
  CHECK(p->topic.size() == 5);
  CHECK(p->payload.empty());
}

// ---------------------------------------------------------------------------------------------
// §2.2.2 Fixed header flags

TEST_CASE("MQTT-2.2.2-1 [3.1.1] fixed header flags are the ones Table 2.2 gives",
          "[conformance][v311]") {
  const row rows[] = {
      bad("11 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311, errc::invalid_header_flags, 0,
          "MQTT-2.2.2-1"),                                                         // CONNECT
      bad("28 02 00 00", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),     // CONNACK
      bad("41 02 00 01", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),     // PUBACK
      bad("58 02 00 01", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),     // PUBREC
      bad("72 02 00 01", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),     // PUBCOMP
      bad("92 03 00 01 00", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),  // SUBACK
      bad("B1 02 00 01", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),     // UNSUBACK
      bad("C4 00", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),           // PINGREQ
      bad("D8 00", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),           // PINGRESP
      good("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311),
      good("20 02 00 00", v311),
      good("40 02 00 01", v311),
      good("50 02 00 01", v311),
      good("70 02 00 01", v311),
      good("90 03 00 01 00", v311),
      good("B0 02 00 01", v311),
      good("C0 00", v311),
      good("D0 00", v311),
      // PUBLISH is the one type whose nibble is data: DUP, QoS 2, RETAIN all set.
      good("3D 05 00 01 61 00 01", v311),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-2.2.2-2 [3.1.1] invalid fixed header flags mean closing the connection",
          "[conformance][v311]") {
  const row rows[] = {
      bad("C1 00", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),
      bad("2F 02 00 00", v311, errc::invalid_header_flags, 0, "MQTT-2.2.2-1"),
      good("C0 00", v311),
  };
  check_rows(rows);
  // The framer already says `invalid` (close) from the first byte, before any body arrives.
  mc::frame_options fo;
  fo.version = v311;
  const auto bytes = from_hex("C1");
  const mc::frame f = mc::next_frame(bytes, fo);
  CHECK(f.status == mc::frame_status::invalid);
  CHECK(f.err.code == errc::invalid_header_flags);
  const auto ok = from_hex("C0");
  CHECK(mc::next_frame(ok, fo).status == mc::frame_status::need_more);
}

// ---------------------------------------------------------------------------------------------
// §2.3.1 Packet Identifier

TEST_CASE("MQTT-2.3.1-1 [3.1.1] SUBSCRIBE, UNSUBSCRIBE and QoS>0 PUBLISH have a non-zero id",
          "[conformance][v311]") {
  const row rows[] = {
      bad("82 06 00 00 00 01 61 00", v311, errc::zero_packet_id, 2, "MQTT-2.3.1-1"),
      bad("A2 05 00 00 00 01 61", v311, errc::zero_packet_id, 2, "MQTT-2.3.1-1"),
      bad("32 05 00 01 61 00 00", v311, errc::zero_packet_id, 5, "MQTT-2.3.1-1"),
      bad("34 05 00 01 61 00 00", v311, errc::zero_packet_id, 5, "MQTT-2.3.1-1"),
      good("82 06 00 01 00 01 61 00", v311),
      good("A2 05 FF FF 00 01 61", v311),
      good("32 05 00 01 61 00 01", v311),
      good("34 05 00 01 61 80 00", v311),
      // An acknowledgement's id 0 is refused under the same rule, also by decode's fixed-size
      // fast path, which must leave it to the full decoder.
      bad("40 02 00 00", v311, errc::zero_packet_id, 2, "MQTT-2.3.1-1"),
      bad("62 02 00 00", v311, errc::zero_packet_id, 2, "MQTT-2.3.1-1"),
      good("40 02 00 01", v311),
  };
  check_rows(rows);
  mc::subscribe s;
  const mc::subscription subs[] = {{"a", {}}};
  s.subscriptions = subs;
  check_encode_refuses(s, v311, errc::zero_packet_id);
  mc::unsubscribe u;
  const std::string_view filters[] = {"a"};
  u.topic_filters = filters;
  check_encode_refuses(u, v311, errc::zero_packet_id);
  check_encode_refuses(publish_a(mc::qos::at_least_once, 0), v311, errc::zero_packet_id);
  check_encodes_to(publish_a(mc::qos::at_least_once, 1), v311, "32 05 00 01 61 00 01");
}

TEST_CASE("MQTT-2.3.1-5 [3.1.1] a QoS 0 PUBLISH has no packet identifier field",
          "[conformance][v311]") {
  const row rows[] = {
      // QoS 0: the two bytes after the topic are payload.
      good("30 05 00 01 61 00 07", v311),
      // The same body at QoS 1 is a packet id and an empty payload.
      good("32 05 00 01 61 00 07", v311),
      // At QoS 1 the id is mandatory: without room for it the packet is cut short.
      bad("32 03 00 01 61", v311, errc::truncated, 5, nullptr),
      bad("32 04 00 01 61 00", v311, errc::truncated, 5, nullptr),
  };
  check_rows(rows);
  const auto q0 = decoded<mc::publish>("30 05 00 01 61 00 07", v311);
  CHECK(q0->packet_id == 0);
  CHECK(q0->payload == mc::bytes_view(from_hex("00 07")));
  const auto q1 = decoded<mc::publish>("32 05 00 01 61 00 07", v311);
  CHECK(q1->packet_id == 7);
  CHECK(q1->payload.empty());
  // A QoS 0 topic-only PUBLISH is complete at 5 bytes.
  check_encodes_to(publish_a(mc::qos::at_most_once), v311, "30 03 00 01 61");
  // A packet id on a QoS 0 PUBLISH has no field to go to: refused, not silently dropped.
  check_encode_refuses(publish_a(mc::qos::at_most_once, 7), v311, errc::unexpected_packet_id);
}

// ---------------------------------------------------------------------------------------------
// §3.1 CONNECT

TEST_CASE("MQTT-3.1.2-1 [3.1.1] the protocol name is MQTT", "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 58 04 02 00 3C 00 01 63", v311, errc::invalid_protocol_name, 2,
          "MQTT-3.1.2-1"),  // "MQTX"
      bad("10 0D 00 04 6D 71 74 74 04 02 00 3C 00 01 63", v311, errc::invalid_protocol_name, 2,
          "MQTT-3.1.2-1"),  // "mqtt": compared exactly
      bad("10 0C 00 03 4D 51 54 04 02 00 3C 00 01 63", v311, errc::invalid_protocol_name, 2,
          "MQTT-3.1.2-1"),  // "MQT"
      good("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311),
  };
  check_rows(rows);
  for (const row& r : rows) {
    if (r.code == errc{}) continue;
    // A server may drop a connection that does not speak MQTT; if it answers, with 0x01.
    auto got = mc::decode(from_hex(r.hex), v311);
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().connack_return_code() == 0x01);
  }
}

TEST_CASE("MQTT-3.1.2-2 [3.1.1] an unsupported protocol level is answered with return code 1",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 06 02 00 3C 00 01 63", v311, errc::unsupported_protocol_version,
          8, "MQTT-3.1.2-2"),
      // "MQTT" with level 3 (3.1 used the name "MQIsdp").
      bad("10 0D 00 04 4D 51 54 54 03 02 00 3C 00 01 63", v311, errc::unsupported_protocol_version,
          8, "MQTT-3.1.2-2"),
      good("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311),
  };
  check_rows(rows);
  auto got = mc::decode(from_hex(rows[0].hex), v311);
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().connack_return_code() == 0x01);
  // A decoder fixed to 3.1.1 at compile time refuses a 5.0 CONNECT the same way.
  auto fixed = mc::decode<protocol_version::v311>(
      from_hex("10 0E 00 04 4D 51 54 54 05 02 00 3C 00 00 01 63"));
  REQUIRE_FALSE(fixed.has_value());
  CHECK(fixed.error().code == errc::unsupported_protocol_version);
  CHECK(fixed.error().offset == 8);
  // The struct cannot name level 6; an out-of-range version is refused before encoding.
  mc::connect c = connect_c(v311);
  c.version = static_cast<protocol_version>(6);
  check_encode_refuses(c, v311, errc::invalid_version);
}

TEST_CASE("MQTT-3.1.2-3 [3.1.1] CONNECT flags bit 0 is reserved and 0", "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 04 03 00 3C 00 01 63", v311, errc::invalid_connect_flags, 9,
          "MQTT-3.1.2-3"),
      bad("10 0D 00 04 4D 51 54 54 04 01 00 3C 00 01 63", v311, errc::invalid_connect_flags, 9,
          "MQTT-3.1.2-3"),
      good("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311),
      good("10 0D 00 04 4D 51 54 54 04 00 00 3C 00 01 63", v311),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.2-9 [3.1.1] Will Flag 1 requires Will Topic and Will Message",
          "[conformance][v311]") {
  const row rows[] = {
      // Will flag, but the payload ends after the client id.
      bad("10 0D 00 04 4D 51 54 54 04 06 00 3C 00 01 63", v311, errc::truncated, 15, nullptr),
      // Will Topic "t" present, Will Message missing.
      bad("10 10 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 74", v311, errc::truncated, 18,
          nullptr),
      // Will Topic present but empty: a topic name has at least one character.
      bad("10 12 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 00 00 01 6D", v311, errc::empty_topic,
          15, "MQTT-4.7.3-1"),
      good("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 74 00 01 6D", v311),
      // A zero-length Will Message is allowed.
      good("10 12 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 74 00 00", v311),
  };
  check_rows(rows);
  const auto c =
      decoded<mc::connect>("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 74 00 01 6D", v311);
  REQUIRE(c->will.has_value());
  CHECK(c->will->topic == "t");
  CHECK(c->will->payload == mc::bytes_view(from_hex("6D")));
}

TEST_CASE("MQTT-3.1.2-11 [3.1.1] Will Flag 0: Will QoS and Retain 0 and no will fields",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 04 0A 00 3C 00 01 63", v311, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-13"),  // Will QoS 1
      bad("10 0D 00 04 4D 51 54 54 04 22 00 3C 00 01 63", v311, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-15"),  // Will Retain
      // Will Topic and Message present although the flag is 0: they are not read as a will.
      bad("10 13 00 04 4D 51 54 54 04 02 00 3C 00 01 63 00 01 74 00 01 6D", v311,
          errc::trailing_bytes, 15, nullptr),
      good("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311),
  };
  check_rows(rows);
  CHECK_FALSE(
      decoded<mc::connect>("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311)->will.has_value());
}

TEST_CASE("MQTT-3.1.2-13 [3.1.1] Will Flag 0 requires Will QoS 0", "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 04 0A 00 3C 00 01 63", v311, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-13"),
      bad("10 0D 00 04 4D 51 54 54 04 12 00 3C 00 01 63", v311, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-13"),
      bad("10 0D 00 04 4D 51 54 54 04 1A 00 3C 00 01 63", v311, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-13"),
      good("10 13 00 04 4D 51 54 54 04 0E 00 3C 00 01 63 00 01 74 00 01 6D", v311),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.2-14 [3.1.1] Will QoS is 0, 1 or 2, never 3", "[conformance][v311]") {
  const row rows[] = {
      bad("10 13 00 04 4D 51 54 54 04 1E 00 3C 00 01 63 00 01 74 00 01 6D", v311, errc::invalid_qos,
          9, "MQTT-3.1.2-14"),
      good("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 74 00 01 6D", v311),
      good("10 13 00 04 4D 51 54 54 04 0E 00 3C 00 01 63 00 01 74 00 01 6D", v311),
      good("10 13 00 04 4D 51 54 54 04 16 00 3C 00 01 63 00 01 74 00 01 6D", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.will.emplace();
  c.will->topic = "t";
  c.will->qos = static_cast<mc::qos>(3);
  check_encode_refuses(c, v311, errc::invalid_qos);
  c.will->qos = mc::qos::exactly_once;
  c.will->payload = mc::bytes_view("m", 1);
  check_encodes_to(c, v311, "10 13 00 04 4D 51 54 54 04 16 00 3C 00 01 63 00 01 74 00 01 6D");
}

TEST_CASE("MQTT-3.1.2-15 [3.1.1] Will Flag 0 requires Will Retain 0", "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 04 22 00 3C 00 01 63", v311, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-15"),
      good("10 13 00 04 4D 51 54 54 04 26 00 3C 00 01 63 00 01 74 00 01 6D", v311),
  };
  check_rows(rows);
  CHECK(decoded<mc::connect>("10 13 00 04 4D 51 54 54 04 26 00 3C 00 01 63 00 01 74 00 01 6D", v311)
            ->will->retain);
}

TEST_CASE("MQTT-3.1.2-18 [3.1.1] User Name Flag 0: no User Name in the payload",
          "[conformance][v311]") {
  const row rows[] = {
      // A user name "u" after the client id with the flag clear is left over.
      bad("10 10 00 04 4D 51 54 54 04 02 00 3C 00 01 63 00 01 75", v311, errc::trailing_bytes, 15,
          nullptr),
      good("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311),
  };
  check_rows(rows);
  CHECK_FALSE(decoded<mc::connect>("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311)
                  ->username.has_value());
}

TEST_CASE("MQTT-3.1.2-19 [3.1.1] User Name Flag 1: a User Name is in the payload",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 04 82 00 3C 00 01 63", v311, errc::truncated, 15, nullptr),
      good("10 10 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 01 75", v311),
      // A zero-length user name is still a user name.
      good("10 0F 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 00", v311),
  };
  check_rows(rows);
  const auto c =
      decoded<mc::connect>("10 10 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 01 75", v311);
  REQUIRE(c->username.has_value());
  CHECK(*c->username == "u");
}

TEST_CASE("MQTT-3.1.2-20 [3.1.1] Password Flag 0: no Password in the payload",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 13 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 01 75 00 01 70", v311,
          errc::trailing_bytes, 18, nullptr),
      good("10 10 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 01 75", v311),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.1.2-21 [3.1.1] Password Flag 1: a Password is in the payload",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 10 00 04 4D 51 54 54 04 C2 00 3C 00 01 63 00 01 75", v311, errc::truncated, 18,
          nullptr),
      good("10 13 00 04 4D 51 54 54 04 C2 00 3C 00 01 63 00 01 75 00 01 70", v311),
  };
  check_rows(rows);
  const auto c =
      decoded<mc::connect>("10 13 00 04 4D 51 54 54 04 C2 00 3C 00 01 63 00 01 75 00 01 70", v311);
  REQUIRE(c->password.has_value());
  CHECK(*c->password == mc::bytes_view(from_hex("70")));
}

TEST_CASE("MQTT-3.1.2-22 [3.1.1] Password Flag requires User Name Flag", "[conformance][v311]") {
  const row rows[] = {
      bad("10 10 00 04 4D 51 54 54 04 42 00 3C 00 01 63 00 01 70", v311,
          errc::password_without_username, 9, "MQTT-3.1.2-22"),
      good("10 13 00 04 4D 51 54 54 04 C2 00 3C 00 01 63 00 01 75 00 01 70", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.password = mc::bytes_view("p", 1);
  check_encode_refuses(c, v311, errc::password_without_username);
}

TEST_CASE(
    "MQTT-3.1.3-1 [3.1.1] CONNECT payload order: ClientId, Will Topic, Will Message, "
    "User Name, Password",
    "[conformance][v311]") {
  // Client id "c", Will Topic "t", Will Message "m", User Name "u", Password "p".
  const char* all =
      "10 19 00 04 4D 51 54 54 04 C6 00 3C 00 01 63 00 01 74 00 01 6D 00 01 75 00 01 70";
  const row rows[] = {
      good(all, v311),
      // Will Message "#" sent before Will Topic "t": the second field is read as the Will
      // Topic, and a topic name has no wildcard (cited by the PUBLISH statement, as the will
      // is published under that name).
      bad("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 23 00 01 74", v311,
          errc::topic_has_wildcard, 17, "MQTT-3.3.2-2"),
  };
  check_rows(rows);
  const auto c = decoded<mc::connect>(all, v311);
  CHECK(c->client_id == "c");
  REQUIRE(c->will.has_value());
  CHECK(c->will->topic == "t");
  CHECK(c->will->payload == mc::bytes_view(from_hex("6D")));
  REQUIRE(c->username.has_value());
  CHECK(*c->username == "u");
  REQUIRE(c->password.has_value());
  CHECK(*c->password == mc::bytes_view(from_hex("70")));
}

TEST_CASE("MQTT-3.1.3-3 [3.1.1] the ClientId is mandatory and first; it may be empty",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 0A 00 04 4D 51 54 54 04 02 00 3C", v311, errc::truncated, 12, nullptr),
      bad("10 0B 00 04 4D 51 54 54 04 02 00 3C 00", v311, errc::truncated, 12, nullptr),
      good("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00", v311),
  };
  check_rows(rows);
  CHECK(decoded<mc::connect>("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00", v311)->client_id.empty());
}

TEST_CASE("MQTT-3.1.3-4 [3.1.1] the ClientId is a valid UTF-8 string", "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 FF", v311, errc::invalid_utf8, 14,
          "MQTT-1.5.3-1"),
      bad("10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 ED BF BF", v311, errc::invalid_utf8, 14,
          "MQTT-1.5.3-1"),  // U+DFFF
      bad("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 00", v311, errc::utf8_null_character, 14,
          "MQTT-1.5.3-2"),
      good("10 0E 00 04 4D 51 54 54 04 02 00 3C 00 02 C3 A9", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.client_id = "\xFF";
  check_encode_refuses(c, v311, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.1.3-7 [3.1.1] a zero-length ClientId requires CleanSession 1",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 0C 00 04 4D 51 54 54 04 00 00 3C 00 00", v311, errc::invalid_client_id, 12,
          "MQTT-3.1.3-8"),
      good("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00", v311),
      good("10 0D 00 04 4D 51 54 54 04 00 00 3C 00 01 63", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.client_id = "";
  c.clean_start = false;
  check_encode_refuses(c, v311, errc::invalid_client_id);
}

TEST_CASE("MQTT-3.1.3-8 [3.1.1] empty ClientId with CleanSession 0 gets return code 0x02",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 0C 00 04 4D 51 54 54 04 00 00 3C 00 00", v311, errc::invalid_client_id, 12,
          "MQTT-3.1.3-8"),
      good("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00", v311),
  };
  check_rows(rows);
  auto got = mc::decode(from_hex(rows[0].hex), v311);
  REQUIRE_FALSE(got.has_value());
  CHECK(got.error().connack_return_code() == 0x02);
}

TEST_CASE("MQTT-3.1.3-10 [3.1.1] the Will Topic is a valid UTF-8 string", "[conformance][v311]") {
  const row rows[] = {
      bad("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 FE 00 01 6D", v311,
          errc::invalid_utf8, 17, "MQTT-1.5.3-1"),
      bad("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 00 00 01 6D", v311,
          errc::utf8_null_character, 17, "MQTT-1.5.3-2"),
      good("10 14 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 02 C3 A9 00 01 6D", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.will.emplace();
  c.will->topic = "\xFE";
  check_encode_refuses(c, v311, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.1.3-11 [3.1.1] the User Name is a valid UTF-8 string", "[conformance][v311]") {
  const row rows[] = {
      bad("10 10 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 01 C3", v311, errc::invalid_utf8, 17,
          "MQTT-1.5.3-1"),
      good("10 11 00 04 4D 51 54 54 04 82 00 3C 00 01 63 00 02 C3 A9", v311),
      // The Password is binary data: any bytes.
      good("10 13 00 04 4D 51 54 54 04 C2 00 3C 00 01 63 00 01 75 00 01 FF", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.username = "\xC3";
  check_encode_refuses(c, v311, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.1.4-1 [3.1.1] a malformed CONNECT is closed without a CONNACK",
          "[conformance][v311]") {
  const row rows[] = {
      bad("10 0D 00 04 4D 51 54 54 04 03 00 3C 00 01 63", v311, errc::invalid_connect_flags, 9,
          "MQTT-3.1.2-3"),
      bad("10 0D 00 04 4D 51 54 54 04 0A 00 3C 00 01 63", v311, errc::invalid_will_flags, 9,
          "MQTT-3.1.2-13"),
      bad("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 FF", v311, errc::invalid_utf8, 14,
          "MQTT-1.5.3-1"),
      bad("10 0E 00 04 4D 51 54 54 04 02 00 3C 00 01 63 00", v311, errc::trailing_bytes, 15,
          nullptr),
      good("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311),
  };
  check_rows(rows);
  for (const row& r : rows) {
    if (r.code == errc{}) continue;
    auto got = mc::decode(from_hex(r.hex), v311);
    REQUIRE_FALSE(got.has_value());
    // 0 = close the connection without sending a CONNACK.
    CHECK(got.error().connack_return_code() == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// §3.2 CONNACK

TEST_CASE("MQTT-3.2.2-4 [3.1.1] a refusing CONNACK has Session Present 0", "[conformance][v311]") {
  const row rows[] = {
      bad("20 02 01 05", v311, errc::session_present_on_refusal, 2, "MQTT-3.2.2-4"),
      bad("20 02 01 01", v311, errc::session_present_on_refusal, 2, "MQTT-3.2.2-4"),
      good("20 02 01 00", v311),
      good("20 02 00 05", v311),
  };
  check_rows(rows);
  mc::connack c;
  c.session_present = true;
  c.reason_code = static_cast<mc::reason_code>(mc::connack_return_code::not_authorized);
  check_encode_refuses(c, v311, errc::session_present_on_refusal);
}

TEST_CASE("CONNACK [3.1.1] acknowledge flags bits 7-1 and return codes above 5 are refused",
          "[conformance][v311]") {
  // §3.2.2.1 reserves bits 7-1 and §3.2.2.3 lists return codes 0-5, without statement ids.
  const row rows[] = {
      bad("20 02 02 00", v311, errc::invalid_connack_flags, 2, nullptr),
      bad("20 02 80 00", v311, errc::invalid_connack_flags, 2, nullptr),
      bad("20 02 00 06", v311, errc::invalid_reason_code, 3, nullptr),
      bad("20 02 00 80", v311, errc::invalid_reason_code, 3, nullptr),
      good("20 02 00 00", v311),
      good("20 02 00 04", v311),
  };
  check_rows(rows);
  mc::connack c;
  c.reason_code = static_cast<mc::reason_code>(6);
  check_encode_refuses(c, v311, errc::invalid_reason_code);
}

TEST_CASE("CONNACK [3.1] byte 1 is reserved: there is no Session Present",
          "[conformance][v311][v31]") {
  // V3.1 names the first byte of CONNACK's variable header "Topic Name Compression Response",
  // "Reserved values. Not used." (docs/spec-audit.md §7): 3.1 has no Session Present, so bit 0
  // is refused like the others, and encoding a 3.1 CONNACK with session_present set fails
  // the same way, refusal or not.
  const auto v31 = protocol_version::v31;
  const row rows[] = {
      bad("20 02 01 00", v31, errc::invalid_connack_flags, 2, nullptr),
      bad("20 02 80 00", v31, errc::invalid_connack_flags, 2, nullptr),
      good("20 02 00 00", v31),
      good("20 02 00 05", v31),
  };
  check_rows(rows);
  mc::connack c;
  c.session_present = true;
  check_encode_refuses(c, v31, errc::invalid_connack_flags);
  mc::connack refused = c;
  refused.reason_code = static_cast<mc::reason_code>(mc::connack_return_code::not_authorized);
  check_encode_refuses(refused, v31, errc::invalid_connack_flags);
  // The same packet is a 3.1.1 one.
  std::array<std::uint8_t, 4> buf{};
  auto n = mc::encode(c, v311, buf);
  REQUIRE(n);
  CHECK(*n == 4);
  CHECK(buf == std::array<std::uint8_t, 4>{0x20, 0x02, 0x01, 0x00});
}

// ---------------------------------------------------------------------------------------------
// §3.3 PUBLISH

TEST_CASE("MQTT-3.3.1-2 [3.1.1] a QoS 0 PUBLISH has DUP 0", "[conformance][v311]") {
  const row rows[] = {
      bad("38 03 00 01 61", v311, errc::invalid_header_flags, 0, "MQTT-3.3.1-2"),
      bad("39 03 00 01 61", v311, errc::invalid_header_flags, 0, "MQTT-3.3.1-2"),
      good("30 03 00 01 61", v311),
      good("3A 05 00 01 61 00 01", v311),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.dup = true;
  check_encode_refuses(p, v311, errc::invalid_header_flags);
}

TEST_CASE("MQTT-3.3.1-4 [3.1.1] PUBLISH QoS is never 3", "[conformance][v311]") {
  const row rows[] = {
      bad("36 05 00 01 61 00 01", v311, errc::invalid_qos, 0, "MQTT-3.3.1-4"),
      bad("3F 05 00 01 61 00 01", v311, errc::invalid_qos, 0, "MQTT-3.3.1-4"),
      good("34 05 00 01 61 00 01", v311),
  };
  check_rows(rows);
  check_encode_refuses(publish_a(static_cast<mc::qos>(3), 1), v311, errc::invalid_qos);
}

TEST_CASE("MQTT-3.3.2-1 [3.1.1] PUBLISH starts with a UTF-8 Topic Name", "[conformance][v311]") {
  const row rows[] = {
      bad("30 04 00 02 C3 28", v311, errc::invalid_utf8, 4, "MQTT-1.5.3-1"),
      bad("30 01 00", v311, errc::truncated, 2, nullptr),
      bad("30 04 00 05 61 62", v311, errc::truncated, 2, nullptr),
      good("30 04 00 02 C3 A9", v311),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = "\xC3\x28";
  check_encode_refuses(p, v311, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.3.2-2 [3.1.1] wildcard in PUBLISH topic name", "[conformance][v311]") {
  const row rows[] = {
      bad("30 05 00 03 61 2F 2B", v311, errc::topic_has_wildcard, 6, "MQTT-3.3.2-2"),
      bad("30 05 00 03 61 2F 23", v311, errc::topic_has_wildcard, 6, "MQTT-3.3.2-2"),
      bad("30 03 00 01 23", v311, errc::topic_has_wildcard, 4, "MQTT-3.3.2-2"),
      good("30 05 00 03 61 2F 62", v311),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = "a/+";
  check_encode_refuses(p, v311, errc::topic_has_wildcard);
}

// ---------------------------------------------------------------------------------------------
// §3.6 PUBREL, §3.8 SUBSCRIBE, §3.9 SUBACK, §3.10 UNSUBSCRIBE, §3.14 DISCONNECT

TEST_CASE("MQTT-3.6.1-1 [3.1.1] PUBREL fixed header byte is 0x62", "[conformance][v311]") {
  const row rows[] = {
      bad("60 02 00 01", v311, errc::invalid_header_flags, 0, "MQTT-3.6.1-1"),
      bad("6A 02 00 01", v311, errc::invalid_header_flags, 0, "MQTT-3.6.1-1"),
      good("62 02 00 01", v311),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.8.1-1 [3.1.1] SUBSCRIBE fixed header byte is 0x82", "[conformance][v311]") {
  const row rows[] = {
      bad("80 06 00 01 00 01 61 00", v311, errc::invalid_header_flags, 0, "MQTT-3.8.1-1"),
      bad("83 06 00 01 00 01 61 00", v311, errc::invalid_header_flags, 0, "MQTT-3.8.1-1"),
      good("82 06 00 01 00 01 61 00", v311),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.8.3-1 [3.1.1] SUBSCRIBE topic filters are UTF-8", "[conformance][v311]") {
  const row rows[] = {
      bad("82 06 00 01 00 01 FF 00", v311, errc::invalid_utf8, 6, "MQTT-1.5.3-1"),
      // The second filter is checked too.
      bad("82 0A 00 01 00 01 61 00 00 01 80 01", v311, errc::invalid_utf8, 10, "MQTT-1.5.3-1"),
      bad("82 06 00 01 00 01 00 00", v311, errc::utf8_null_character, 6, "MQTT-1.5.3-2"),
      good("82 0A 00 01 00 01 61 00 00 01 62 01", v311),
  };
  check_rows(rows);
  mc::subscribe s;
  s.packet_id = 1;
  const mc::subscription subs[] = {{"\xFF", {}}};
  s.subscriptions = subs;
  check_encode_refuses(s, v311, errc::invalid_utf8);
}

TEST_CASE("MQTT-3.8.3-3 [3.1.1] SUBSCRIBE carries at least one topic filter",
          "[conformance][v311]") {
  const row rows[] = {
      bad("82 02 00 01", v311, errc::no_topic_filters, 4, "MQTT-3.8.3-3"),
      // A filter without its requested QoS byte is not a pair.
      bad("82 05 00 01 00 01 61", v311, errc::truncated, 7, nullptr),
      good("82 06 00 01 00 01 61 00", v311),
  };
  check_rows(rows);
  mc::subscribe s;
  s.packet_id = 1;
  check_encode_refuses(s, v311, errc::no_topic_filters);
}

TEST_CASE("MQTT-3.8.3-4 [3.1.1] requested QoS byte: bits 7-2 zero and QoS not 3",
          "[conformance][v311]") {
  const row rows[] = {
      bad("82 06 00 01 00 01 61 04", v311, errc::invalid_subscription_options, 7, "MQTT-3.8.3-4"),
      bad("82 06 00 01 00 01 61 80", v311, errc::invalid_subscription_options, 7, "MQTT-3.8.3-4"),
      bad("82 06 00 01 00 01 61 03", v311, errc::invalid_subscription_qos, 7, "MQTT-3.8.3-4"),
      good("82 06 00 01 00 01 61 02", v311),
  };
  check_rows(rows);
  mc::subscribe s;
  s.packet_id = 1;
  mc::subscription subs[] = {{"a", {}}};
  subs[0].options.max_qos = static_cast<mc::qos>(3);
  s.subscriptions = subs;
  check_encode_refuses(s, v311, errc::invalid_subscription_qos);
  // The 5.0 option bits have no place in 3.1.1's byte.
  subs[0].options = {};
  subs[0].options.no_local = true;
  check_encode_refuses(s, v311, errc::field_not_in_version);
}

TEST_CASE("MQTT-3.9.3-2 [3.1.1] SUBACK return codes are 0x00, 0x01, 0x02 or 0x80",
          "[conformance][v311]") {
  const row rows[] = {
      bad("90 03 00 01 03", v311, errc::invalid_reason_code, 4, "MQTT-3.9.3-2"),
      bad("90 04 00 01 00 87", v311, errc::invalid_reason_code, 5, "MQTT-3.9.3-2"),
      good("90 06 00 01 00 01 02 80", v311),
  };
  check_rows(rows);
  mc::suback s;
  s.packet_id = 1;
  const std::uint8_t codes[] = {0x03};
  s.reason_codes = mc::bytes_view(codes, 1);
  check_encode_refuses(s, v311, errc::invalid_reason_code);
}

TEST_CASE("MQTT-3.10.1-1 [3.1.1] UNSUBSCRIBE fixed header byte is 0xA2", "[conformance][v311]") {
  const row rows[] = {
      bad("A0 05 00 01 00 01 61", v311, errc::invalid_header_flags, 0, "MQTT-3.10.1-1"),
      bad("A6 05 00 01 00 01 61", v311, errc::invalid_header_flags, 0, "MQTT-3.10.1-1"),
      good("A2 05 00 01 00 01 61", v311),
  };
  check_rows(rows);
}

TEST_CASE("MQTT-3.10.3-1 [3.1.1] UNSUBSCRIBE filters are UTF-8 strings packed together",
          "[conformance][v311]") {
  const row rows[] = {
      bad("A2 05 00 01 00 01 FF", v311, errc::invalid_utf8, 6, "MQTT-1.5.3-1"),
      // No options byte follows an UNSUBSCRIBE filter: a lone byte after one is a cut filter.
      bad("A2 06 00 01 00 01 61 00", v311, errc::truncated, 7, nullptr),
      good("A2 08 00 01 00 01 61 00 01 62", v311),
  };
  check_rows(rows);
  const auto u = decoded<mc::unsubscribe>("A2 08 00 01 00 01 61 00 01 62", v311);
  std::vector<std::string_view> got(u->topic_filters.begin(), u->topic_filters.end());
  CHECK(got == std::vector<std::string_view>{"a", "b"});
  mc::unsubscribe bad_u;
  bad_u.packet_id = 1;
  const std::string_view filters[] = {"\xFF"};
  bad_u.topic_filters = filters;
  check_encode_refuses(bad_u, v311, errc::invalid_utf8);
}

TEST_CASE(
    "MQTT-3.10.4-1 [3.1.1] UNSUBSCRIBE filters are compared as text, wildcards not "
    "expanded",
    "[conformance][v311]") {
  const row rows[] = {
      // "a/+" and "a/#", verbatim.
      good("A2 0C 00 01 00 03 61 2F 2B 00 03 61 2F 23", v311),
      // A filter that no subscription can hold is refused before any comparison.
      bad("A2 06 00 01 00 02 61 2B", v311, errc::invalid_topic_filter, 7, "MQTT-4.7.1-3"),
  };
  check_rows(rows);
  const decoded<mc::unsubscribe> u("A2 0C 00 01 00 03 61 2F 2B 00 03 61 2F 23", v311);
  check_unsubscribe_is_literal(*u, v311);
}

TEST_CASE("MQTT-3.10.3-2 [3.1.1] UNSUBSCRIBE carries at least one topic filter",
          "[conformance][v311]") {
  const row rows[] = {
      bad("A2 02 00 01", v311, errc::no_topic_filters, 4, "MQTT-3.10.3-2"),
      good("A2 05 00 01 00 01 61", v311),
  };
  check_rows(rows);
  mc::unsubscribe u;
  u.packet_id = 1;
  check_encode_refuses(u, v311, errc::no_topic_filters);
}

TEST_CASE("MQTT-3.14.1-1 [3.1.1] DISCONNECT fixed header byte is 0xE0", "[conformance][v311]") {
  const row rows[] = {
      bad("E1 00", v311, errc::invalid_header_flags, 0, "MQTT-3.14.1-1"),
      bad("E8 00", v311, errc::invalid_header_flags, 0, "MQTT-3.14.1-1"),
      good("E0 00", v311),
      // 3.1.1's DISCONNECT has no variable header: a reason code byte is left over.
      bad("E0 01 00", v311, errc::trailing_bytes, 2, nullptr),
  };
  check_rows(rows);
}

// ---------------------------------------------------------------------------------------------
// §4.3 QoS 0, §4.7 topics

TEST_CASE("MQTT-4.3.1-1 [3.1.1] a QoS 0 message is sent with QoS 0 and DUP 0",
          "[conformance][v311]") {
  const row rows[] = {
      bad("38 03 00 01 61", v311, errc::invalid_header_flags, 0, "MQTT-3.3.1-2"),
      good("30 03 00 01 61", v311),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  check_encodes_to(p, v311, "30 03 00 01 61");
  p.dup = true;
  check_encode_refuses(p, v311, errc::invalid_header_flags);
}

TEST_CASE("MQTT-4.7.1-1 [3.1.1] wildcards appear in topic filters, never in topic names",
          "[conformance][v311]") {
  const row rows[] = {
      bad("30 05 00 03 61 2F 23", v311, errc::topic_has_wildcard, 6, "MQTT-3.3.2-2"),
      // The Will Topic is a topic name too.
      bad("10 13 00 04 4D 51 54 54 04 06 00 3C 00 01 63 00 01 2B 00 01 6D", v311,
          errc::topic_has_wildcard, 17, "MQTT-3.3.2-2"),
      good("82 08 00 01 00 03 61 2F 23 00", v311),
      good("A2 07 00 01 00 03 2B 2F 61", v311),
  };
  check_rows(rows);
  mc::connect c = connect_c(v311);
  c.will.emplace();
  c.will->topic = "a/#";
  check_encode_refuses(c, v311, errc::topic_has_wildcard);
}

TEST_CASE("MQTT-4.7.1-2 [3.1.1] '#' stands alone as the last level of a filter",
          "[conformance][v311]") {
  const row rows[] = {
      bad("82 07 00 01 00 02 61 23 00", v311, errc::invalid_topic_filter, 7, "MQTT-4.7.1-2"),
      bad("82 0A 00 01 00 05 61 2F 23 2F 62 00", v311, errc::invalid_topic_filter, 8,
          "MQTT-4.7.1-2"),
      bad("A2 06 00 01 00 02 23 23", v311, errc::invalid_topic_filter, 6, "MQTT-4.7.1-2"),
      good("82 08 00 01 00 03 61 2F 23 00", v311),
      good("82 06 00 01 00 01 23 00", v311),
  };
  check_rows(rows);
  mc::subscribe s;
  s.packet_id = 1;
  const mc::subscription subs[] = {{"a#", {}}};
  s.subscriptions = subs;
  check_encode_refuses(s, v311, errc::invalid_topic_filter);
}

TEST_CASE("MQTT-4.7.1-3 [3.1.1] '+' occupies a whole level of a filter", "[conformance][v311]") {
  const row rows[] = {
      bad("82 07 00 01 00 02 61 2B 00", v311, errc::invalid_topic_filter, 7, "MQTT-4.7.1-3"),
      bad("82 07 00 01 00 02 2B 61 00", v311, errc::invalid_topic_filter, 6, "MQTT-4.7.1-3"),
      bad("A2 08 00 01 00 04 61 2F 2B 2B", v311, errc::invalid_topic_filter, 8, "MQTT-4.7.1-3"),
      good("82 0A 00 01 00 05 61 2F 2B 2F 62 00", v311),
      good("82 06 00 01 00 01 2B 00", v311),
  };
  check_rows(rows);
  mc::unsubscribe u;
  u.packet_id = 1;
  const std::string_view filters[] = {"a+"};
  u.topic_filters = filters;
  check_encode_refuses(u, v311, errc::invalid_topic_filter);
}

TEST_CASE("MQTT-4.7.3-1 [3.1.1] topic names and filters are at least one character",
          "[conformance][v311]") {
  const row rows[] = {
      bad("30 02 00 00", v311, errc::empty_topic, 2, "MQTT-4.7.3-1"),
      bad("32 04 00 00 00 01", v311, errc::empty_topic, 2, "MQTT-4.7.3-1"),
      bad("82 05 00 01 00 00 00", v311, errc::invalid_topic_filter, 6, "MQTT-4.7.3-1"),
      bad("A2 04 00 01 00 00", v311, errc::invalid_topic_filter, 6, "MQTT-4.7.3-1"),
      good("30 03 00 01 61", v311),
      // A single '/' is a valid name of two empty levels.
      good("30 03 00 01 2F", v311),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = "";
  check_encode_refuses(p, v311, errc::empty_topic);
}

TEST_CASE("MQTT-4.7.3-2 [3.1.1] topic names and filters do not contain U+0000",
          "[conformance][v311]") {
  const row rows[] = {
      bad("30 05 00 03 61 00 62", v311, errc::utf8_null_character, 5, "MQTT-1.5.3-2"),
      bad("A2 06 00 01 00 02 61 00", v311, errc::utf8_null_character, 7, "MQTT-1.5.3-2"),
      good("30 05 00 03 61 01 62", v311),
  };
  check_rows(rows);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = std::string_view("a\0b", 3);
  check_encode_refuses(p, v311, errc::utf8_null_character);
}

TEST_CASE("MQTT-4.7.3-3 [3.1.1] topic names and filters are at most 65535 bytes",
          "[conformance][v311]") {
  // The two-byte length cannot say more; a length of 65535 with fewer bytes is cut short.
  const row rows[] = {
      bad("30 04 FF FF 61 62", v311, errc::truncated, 2, nullptr),
      good("30 03 00 01 61", v311),
  };
  check_rows(rows);
  // The longest topic, 65535 bytes, decodes: 30, remaining length 65537 = 81 80 04, FF FF.
  std::vector<std::uint8_t> longest = from_hex("30 81 80 04 FF FF");
  longest.resize(longest.size() + 65535, 'a');
  auto got = mc::decode(longest, v311);
  REQUIRE(got.has_value());
  CHECK(std::get<mc::publish>(*got).topic.size() == 65535);
  const std::string name(65536, 'a');
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.topic = name;
  check_encode_refuses(p, v311, errc::value_too_long);
  mc::subscribe s;
  s.packet_id = 1;
  const mc::subscription subs[] = {{name, {}}};
  s.subscriptions = subs;
  check_encode_refuses(s, v311, errc::value_too_long);
}

// ---------------------------------------------------------------------------------------------
// Format rules without a statement id

TEST_CASE("packet type 0 and AUTH (15) are not 3.1.1 packets", "[conformance][v311]") {
  const row rows[] = {
      bad("00 00", v311, errc::invalid_packet_type, 0, nullptr),
      bad("F0 00", v311, errc::invalid_packet_type, 0, nullptr),
      good("E0 00", v311),
  };
  check_rows(rows);
  check_encode_refuses(mc::auth{}, v311, errc::invalid_packet_type);
}

TEST_CASE("packets flow in the direction Table 2.1 gives [3.1.1]", "[conformance][v311]") {
  // Told the sender, the decoder refuses what the other side alone sends; 3.1.1 has no
  // server DISCONNECT. 3.1 (MQIsdp) has the same table.
  const row from_server[] = {
      bad("E0 00", v311, errc::wrong_sender, 0, nullptr),
      bad("C0 00", v311, errc::wrong_sender, 0, nullptr),
      bad("82 06 00 01 00 01 61 00", v311, errc::wrong_sender, 0, nullptr),
      bad("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 63", v311, errc::wrong_sender, 0, nullptr),
      good("20 02 00 00", v311),
      good("90 03 00 01 00", v311),
      good("D0 00", v311),
      good("40 02 00 01", v311),
  };
  check_rows(from_server, sent_by(mc::role::server));
  const row from_client[] = {
      bad("20 02 00 00", v311, errc::wrong_sender, 0, nullptr),
      bad("B0 02 00 01", v311, errc::wrong_sender, 0, nullptr),
      good("E0 00", v311),
      good("C0 00", v311),
      good("50 02 00 01", v311),
  };
  check_rows(from_client, sent_by(mc::role::client));
  check_row(bad("E0 00", protocol_version::v31, errc::wrong_sender, 0, nullptr),
            sent_by(mc::role::server));
  CHECK(mc::check_sender(mc::disconnect{}, v311, mc::role::client).has_value());
  auto st = mc::check_sender(mc::disconnect{}, v311, mc::role::server);
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().code == errc::wrong_sender);
  CHECK(mc::check_sender(mc::disconnect{}, v5, mc::role::server).has_value());
}

TEST_CASE("remaining length longer than 4 bytes [3.1.1]", "[conformance][v311]") {
  const row rows[] = {
      bad("30 FF FF FF FF 7F", v311, errc::invalid_remaining_length, 1, nullptr),
      bad("C0 80 80 80 80 00", v311, errc::invalid_remaining_length, 1, nullptr),
      good("C0 00", v311),
  };
  check_rows(rows);
}

TEST_CASE("3.1.1 packets carry no 5.0 fields [3.1.1]", "[conformance][v311]") {
  // A 3.1.1 PUBACK is only the packet id; a reason code byte is left over.
  const row rows[] = {
      bad("40 03 00 01 00", v311, errc::trailing_bytes, 4, nullptr),
      bad("B0 03 00 01 00", v311, errc::trailing_bytes, 4, nullptr),
      good("40 02 00 01", v311),
  };
  check_rows(rows);
  mc::puback a;
  a.packet_id = 1;
  a.reason_code = mc::reason_code::no_matching_subscribers;
  check_encode_refuses(a, v311, errc::field_not_in_version);
  mc::publish p = publish_a(mc::qos::at_most_once);
  p.props.content_type = "text/plain";
  check_encode_refuses(p, v311, errc::field_not_in_version);
  mc::disconnect d;
  d.reason_code = mc::reason_code::unspecified_error;
  check_encode_refuses(d, v311, errc::field_not_in_version);
}

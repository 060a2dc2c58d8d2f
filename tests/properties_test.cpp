// Tests of include/mqttcodec/properties.hpp beyond the per-statement conformance tests:
// for_each_property, the lazily iterated lists, and encode_to_fit (5.0 §3.1.2.11.4).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mqttcodec/mqttcodec.hpp"
#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;
using mc::protocol_version;

using test::from_hex;

namespace {

// Renders a property value for comparison, whatever its type.
struct render {
  std::string operator()(std::uint32_t v) const { return std::to_string(v); }
  std::string operator()(std::uint16_t v) const { return std::to_string(v); }
  std::string operator()(bool v) const { return v ? "true" : "false"; }
  std::string operator()(mc::qos v) const { return "qos" + std::to_string(static_cast<int>(v)); }
  std::string operator()(mc::payload_format v) const {
    return "pfi" + std::to_string(static_cast<int>(v));
  }
  std::string operator()(std::string_view v) const { return std::string(v); }
  std::string operator()(mc::bytes_view v) const { return "bin" + std::to_string(v.size()); }
  std::string operator()(const mc::string_pair& v) const {
    return std::string(v.name) + "=" + std::string(v.value);
  }
};

std::vector<std::pair<mc::property_id, std::string>> visit_all(const mc::publish_properties& p) {
  std::vector<std::pair<mc::property_id, std::string>> seen;
  mc::for_each_property(
      p, [&](mc::property_id id, const auto& v) { seen.emplace_back(id, render{}(v)); });
  return seen;
}

}  // namespace

TEST_CASE("for_each_property visits the properties of a decoded W2 PUBLISH in wire order") {
  // W2 of the shared benchmark workloads: Message Expiry 3600, Content Type, two User Properties.
  const auto w2 = from_hex(
      "32af01002e73656e736f72732f6275696c64696e672d372f666c6f6f722d332f726f6f6d2d34322f74656d70"
      "6572617475726512343c0200000e100300106170706c69636174696f6e2f6a736f6e260004756e6974000763"
      "656c73697573260006736f75726365000973656e736f722d34327b2274223a32312e35372c2275223a224322"
      "2c227473223a313731373137313731372c22736571223a343234322c226964223a2262372d66332d72343222"
      "7d20");
  const auto r = mc::decode_as<mc::publish>(w2, protocol_version::v5);
  REQUIRE(r);
  const auto seen = visit_all(r->props);
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] == std::make_pair(mc::property_id::message_expiry_interval, std::string("3600")));
  CHECK(seen[1] == std::make_pair(mc::property_id::content_type, std::string("application/json")));
  CHECK(seen[2] == std::make_pair(mc::property_id::user_property, std::string("unit=celsius")));
  CHECK(seen[3] == std::make_pair(mc::property_id::user_property, std::string("source=sensor-42")));
}

TEST_CASE("for_each_property visits nothing for empty properties and each repeat of a list") {
  mc::publish_properties p;
  CHECK(visit_all(p).empty());
  const std::uint32_t ids[] = {7, 268'435'455};
  p.subscription_identifiers = ids;
  p.topic_alias = std::uint16_t{3};
  const auto seen = visit_all(p);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].second == "7");
  CHECK(seen[1].second == "268435455");
  CHECK(seen[2] == std::make_pair(mc::property_id::topic_alias, std::string("3")));
}

TEST_CASE("user properties keep order and duplicates through decode and encode") {
  // 5.0 [MQTT-3.3.2-17]/[MQTT-3.3.2-18]: order and duplicates of User Properties are kept.
  const mc::string_pair pairs[] = {{"k", "1"}, {"a", "x"}, {"k", "2"}, {"k", "1"}};
  mc::publish p;
  p.topic = "t";
  p.props.user_properties = pairs;
  std::array<std::uint8_t, 128> buf{};
  const auto n = mc::encode(p, protocol_version::v5, buf);
  REQUIRE(n);
  const auto back =
      mc::decode_as<mc::publish>(mc::bytes_view(buf.data(), *n), protocol_version::v5);
  REQUIRE(back);
  std::vector<std::string> got;
  for (const mc::string_pair& u : back->props.user_properties) {
    got.push_back(std::string(u.name) + "=" + std::string(u.value));
  }
  CHECK(got == std::vector<std::string>{"k=1", "a=x", "k=2", "k=1"});
  CHECK(back->props.user_properties.size() == 4);
  CHECK(back->props.user_properties == p.props.user_properties);
}

TEST_CASE("decoded user properties are encoded again by copying them, when that is exact") {
  // A packet forwarded as decoded: its User Properties, checked by the decoder and back to
  // back, are their own encoding, which the encoder copies instead of writing them pair by
  // pair. Whatever way it takes, the encoder writes the same bytes, and the pairs unaltered
  // and in order (5.0 [MQTT-3.3.2-17], [MQTT-3.3.2-18], which a broker meets this way).
  const auto encode = [](const mc::publish& p) {
    std::array<std::uint8_t, 64> buf{};
    const auto n = mc::encode(p, protocol_version::v5, buf);
    REQUIRE(n);
    return test::to_hex(mc::bytes_view(buf.data(), *n));
  };
  // Topic "t", Property Length 18: Content Type "a", then User Properties k=1 and k=2.
  const std::string canonical =
      "301600017412"
      "03000161"
      "2600016b000131"
      "2600016b000132";

  SECTION("back to back: the bytes of the pairs, copied") {
    const auto in = from_hex(canonical);
    const auto r = mc::decode_as<mc::publish>(in, protocol_version::v5);
    REQUIRE(r);
    const mc::bytes_view pairs = r->props.user_properties.encoded_bytes();
    CHECK(pairs.data() == in.data() + 10);
    CHECK(test::to_hex(pairs) == "2600016b0001312600016b000132");
    CHECK(encode(*r) == canonical);
  }
  SECTION("with another property between them: written pair by pair, in the encoder's order") {
    const auto in = from_hex("301600017412 2600016b000131 03000161 2600016b000132");
    const auto r = mc::decode_as<mc::publish>(in, protocol_version::v5);
    REQUIRE(r);
    CHECK(r->props.user_properties.encoded_bytes().empty());
    CHECK(r->props.user_properties.size() == 2);
    CHECK(encode(*r) == canonical);
  }
  SECTION("duplicates and their order are kept, copied or written pair by pair") {
    // z=1, a=2, z=1, back to back: copied as they are.
    const auto together = from_hex("301900017415 2600017a000131 26000161000132 2600017a000131");
    const auto r = mc::decode_as<mc::publish>(together, protocol_version::v5);
    REQUIRE(r);
    CHECK_FALSE(r->props.user_properties.encoded_bytes().empty());
    CHECK(encode(*r) == test::to_hex(together));
    // The same pairs with a Content Type before the last: written one by one, in their order.
    const auto apart =
        from_hex("301d00017419 2600017a000131 26000161000132 03000161 2600017a000131");
    const auto q = mc::decode_as<mc::publish>(apart, protocol_version::v5);
    REQUIRE(q);
    CHECK(q->props.user_properties.encoded_bytes().empty());
    CHECK(encode(*q) == test::to_hex(from_hex("301d00017419 03000161 2600017a000131 "
                                              "26000161000132 2600017a000131")));
  }
  SECTION("decoded without the UTF-8 check: checked again, and refused") {
    const auto in = from_hex("300b00017407 2600016b0001ff");  // value 0xFF: not UTF-8
    mc::decode_options lenient;
    lenient.skip_utf8_validation = true;
    const auto r = mc::decode_as<mc::publish>(in, protocol_version::v5, lenient);
    REQUIRE(r);
    CHECK(r->props.user_properties.encoded_bytes().empty());
    std::array<std::uint8_t, 64> buf{};
    const auto n = mc::encode(*r, protocol_version::v5, buf);
    REQUIRE_FALSE(n);
    CHECK(n.error().code == mc::errc::invalid_utf8);
    CHECK(n.error().value == 0x26);
  }
  SECTION("decoded with a non-minimal identifier: written in its shortest form") {
    const auto in = from_hex("300c00017408 a600 00016b000131");  // 0x26 as A6 00
    mc::decode_options lenient;
    lenient.allow_non_minimal_length = true;
    const auto r = mc::decode_as<mc::publish>(in, protocol_version::v5, lenient);
    REQUIRE(r);
    CHECK(r->props.user_properties.encoded_bytes().empty());
    CHECK(encode(*r) == "300b000174072600016b000131");
  }
  SECTION("a list of the caller's pairs has no encoded bytes") {
    const mc::string_pair pairs[] = {{"k", "1"}};
    CHECK(mc::user_property_list(pairs).encoded_bytes().empty());
    CHECK(mc::user_property_list().encoded_bytes().empty());
  }
}

TEST_CASE("encode_to_fit drops the Reason String, then the User Properties, and says so") {
  // 5.0 [MQTT-3.4.2-2], [MQTT-3.4.2-3]: a sender leaves these out rather than exceed the
  // receiver's Maximum Packet Size.
  mc::puback a;
  a.packet_id = 5;
  a.reason_code = mc::reason_code::no_matching_subscribers;
  a.props.reason_string = "nobody is listening";  // 1 + 2 + 19 = 22 bytes
  const mc::string_pair ups[] = {{"k", "v"}};     // 1 + 3 + 3 = 7 bytes
  a.props.user_properties = ups;
  std::array<std::uint8_t, 64> buf{};

  const auto full = mc::encoded_size(a, protocol_version::v5);
  REQUIRE(full);
  CHECK(*full == 2 + 2 + 1 + 1 + 22 + 7);

  SECTION("fits as it is") {
    const auto r = mc::encode_to_fit(a, protocol_version::v5, 35, buf);
    REQUIRE(r);
    CHECK(r->size == 35);
    CHECK_FALSE(r->dropped_reason_string);
    CHECK_FALSE(r->dropped_user_properties);
  }
  SECTION("without the Reason String") {
    const auto r = mc::encode_to_fit(a, protocol_version::v5, 34, buf);
    REQUIRE(r);
    CHECK(r->size == 13);
    CHECK(r->dropped_reason_string);
    CHECK_FALSE(r->dropped_user_properties);
    const auto back =
        mc::decode_as<mc::puback>(mc::bytes_view(buf.data(), r->size), protocol_version::v5);
    REQUIRE(back);
    CHECK_FALSE(back->props.reason_string);
    CHECK(back->props.user_properties.size() == 1);
    CHECK(back->reason_code == mc::reason_code::no_matching_subscribers);
  }
  SECTION("without both: the 4-byte packet id and reason code form") {
    const auto r = mc::encode_to_fit(a, protocol_version::v5, 12, buf);
    REQUIRE(r);
    CHECK(r->size == 5);
    CHECK(r->dropped_reason_string);
    CHECK(r->dropped_user_properties);
    CHECK(std::vector<std::uint8_t>(buf.begin(), buf.begin() + 5) == from_hex("40 03 00 05 10"));
  }
  SECTION("nothing left to drop") {
    const auto r = mc::encode_to_fit(a, protocol_version::v5, 4, buf);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mc::errc::packet_too_large);
  }
}

TEST_CASE("encode_to_fit trims a packet that no remaining length could hold") {
  // 4,200 User Properties of 65,540 bytes each make a PUBACK of some 275 MB, past the 4-byte
  // remaining length (max_varint): encode refuses it, and encode_to_fit leaves the properties
  // out as it does for any size over the peer's maximum (5.0 [MQTT-3.4.2-2], [MQTT-3.4.2-3]).
  static const std::string big(65535, 'x');
  static const std::vector<mc::string_pair> ups(4200, mc::string_pair{big, {}});
  mc::puback a;
  a.packet_id = 5;
  a.reason_code = mc::reason_code::no_matching_subscribers;
  a.props.reason_string = std::string_view(big);
  a.props.user_properties = ups;
  const auto whole = mc::encoded_size(a, protocol_version::v5);
  REQUIRE_FALSE(whole);
  CHECK(whole.error().code == mc::errc::packet_too_large);
  std::array<std::uint8_t, 16> buf{};
  const auto r = mc::encode_to_fit(a, protocol_version::v5, 100, buf);
  REQUIRE(r);
  CHECK(r->dropped_reason_string);
  CHECK(r->dropped_user_properties);
  CHECK(std::vector<std::uint8_t>(buf.begin(), buf.begin() + 5) == from_hex("40 03 00 05 10"));

  // The list is checked up to the element that passes max_varint (the 4,096th), so an invalid
  // one after that is not reported: the list is left out like any list too large.
  std::vector<mc::string_pair> bad_tail = ups;
  bad_tail.back().value = "\xED\xA0\x80";  // U+D800, a surrogate
  a.props.user_properties = bad_tail;
  const auto trimmed = mc::encode_to_fit(a, protocol_version::v5, 100, buf);
  REQUIRE(trimmed);
  CHECK(trimmed->dropped_user_properties);
}

TEST_CASE("encode_to_fit never trims a PUBLISH") {
  mc::publish p;
  p.topic = "t";
  const mc::string_pair ups[] = {{"k", "v"}};
  p.props.user_properties = ups;
  std::array<std::uint8_t, 64> buf{};
  const auto r = mc::encode_to_fit(p, protocol_version::v5, 8, buf);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == mc::errc::packet_too_large);
  const auto ok = mc::encode_to_fit(p, protocol_version::v5, 64, buf);
  REQUIRE(ok);
  CHECK_FALSE(ok->dropped_user_properties);
  // Nor one past the 4-byte remaining length (the payload view is never read).
  static const std::uint8_t one = 0;
  p.payload = mc::bytes_view(&one, mc::max_varint);
  const auto huge = mc::encode_to_fit(p, protocol_version::v5, mc::max_varint, buf);
  REQUIRE_FALSE(huge);
  CHECK(huge.error().code == mc::errc::packet_too_large);
}

TEST_CASE("encode_to_fit takes the packet variant, as a proxy holds what it decoded") {
  // A 5.0 DISCONNECT 0x80 with Reason String "bye" (6 bytes) and one User Property k=v (7),
  // decoded into the variant: 17 bytes in all.
  const auto wire = from_hex("e0 0f 80 0d 1f 0003 627965 26 0001 6b 0001 76");
  const auto p = mc::decode(wire, protocol_version::v5);
  REQUIRE(p);
  std::array<std::uint8_t, 32> buf{};
  auto sent = [&](const mc::fit_report& r) {
    return std::vector<std::uint8_t>(buf.begin(), buf.begin() + static_cast<long>(r.size));
  };
  const auto whole = mc::encode_to_fit(*p, protocol_version::v5, 17, buf);
  REQUIRE(whole);
  CHECK_FALSE(whole->dropped_reason_string);
  CHECK(sent(*whole) == wire);
  const auto no_reason = mc::encode_to_fit(*p, protocol_version::v5, 16, buf);
  REQUIRE(no_reason);
  CHECK(no_reason->dropped_reason_string);
  CHECK_FALSE(no_reason->dropped_user_properties);
  CHECK(sent(*no_reason) == from_hex("e0 09 80 07 26 0001 6b 0001 76"));
  const auto bare = mc::encode_to_fit(*p, protocol_version::v5, 10, buf);
  REQUIRE(bare);
  CHECK(bare->dropped_user_properties);
  CHECK(sent(*bare) == from_hex("e0 01 80"));
  const auto none = mc::encode_to_fit(*p, protocol_version::v5, 2, buf);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == mc::errc::packet_too_large);
}

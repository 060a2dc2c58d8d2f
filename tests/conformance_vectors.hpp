// Shared machinery of the spec-conformance tests (conformance_v311_test.cpp,
// conformance_v5_test.cpp): a row is one packet written by hand from the spec, in hex, with the
// exact outcome the decoder must give. Every table holds at least one row that must fail and one
// that must decode, so each test can fail both ways.
#ifndef MQTTCODEC_TESTS_CONFORMANCE_VECTORS_HPP
#define MQTTCODEC_TESTS_CONFORMANCE_VECTORS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decode_as_named.hpp"
#include "mqttcodec/mqttcodec.hpp"
#include "mqttcodec/topic_index.hpp"
#include "test_catch.hpp"
#include "test_util.hpp"

namespace conformance {

namespace mc = mqttcodec;
using mc::errc;
using mc::protocol_version;

inline constexpr protocol_version v311 = protocol_version::v311;
inline constexpr protocol_version v5 = protocol_version::v5;

/// One vector: bytes, version, and the expected errc (errc{} = must decode), offset and rule
/// (nullptr where the library names no statement).
struct row {
  const char* hex;
  protocol_version version;
  errc code;
  std::uint32_t offset;
  const char* rule;
  /// For rows that decode: whether the encoder must give back exactly these bytes. False for
  /// valid packets the spec allows in a longer form than the shortest one the encoder writes.
  bool canonical;
};

/// A vector that must fail with `code` at `offset`, citing `rule`.
constexpr row bad(const char* hex, protocol_version v, errc code, std::uint32_t offset,
                  const char* rule) {
  return {hex, v, code, offset, rule, false};
}
/// A vector that must decode, and re-encode to the same bytes.
constexpr row good(const char* hex, protocol_version v) {
  return {hex, v, errc{}, 0, nullptr, true};
}
/// A vector that must decode; the encoder may choose a shorter form.
constexpr row good_long_form(const char* hex, protocol_version v) {
  return {hex, v, errc{}, 0, nullptr, false};
}

/// Bytes from "30 03 00 01 61" (spaces optional).
inline std::vector<std::uint8_t> from_hex(std::string_view s) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out;
  int high = -1;
  for (const char c : s) {
    const int n = nibble(c);
    if (n < 0) continue;
    if (high < 0) {
      high = n;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | n));
      high = -1;
    }
  }
  REQUIRE(high < 0);  // an odd number of digits is a typo in the table
  return out;
}

using test::rule_text;

/// Decode options naming who sent the packets, for the rules of one direction.
inline mc::decode_options sent_by(mc::role sender) {
  mc::decode_options opt;
  opt.sender = sender;
  return opt;
}

/// Encodes any packet to a vector (the test may allocate; the library does not).
inline mc::result<std::size_t> encode_to(const mc::packet& p, protocol_version v,
                                         std::vector<std::uint8_t>& out) {
  out.clear();
  mc::container_sink<std::vector<std::uint8_t>> sink(out);
  return mc::encode(p, v, sink);
}

/// Checks one entry point's outcome for row `r` exactly.
inline void check_outcome(const row& r, const mc::result<mc::packet>& got, const char* entry) {
  INFO("entry point " << entry);
  if (r.code == errc{}) {
    if (!got) {
      INFO("decode failed: " << mc::name(got.error().code) << " at " << got.error().offset
                             << " rule " << rule_text(got.error().rule));
    }
    CHECK(got.has_value());
    return;
  }
  REQUIRE_FALSE(got.has_value());
  CHECK(mc::name(got.error().code) == std::string(mc::name(r.code)));
  CHECK(got.error().offset == r.offset);
  CHECK(rule_text(got.error().rule) == rule_text(r.rule));
}

/// Decodes one row (with `opt`, e.g. naming the sender) and checks its outcome exactly, both
/// through decode and through decode_as for the type the first byte names, which tests the
/// first byte on a path of its own.
/// For a CONNECT vector: connect_version, which reads the protocol name and level alone, names
/// the version the decoder found, or fails as the decoder does on a bad name or level
/// (MQTT-3.1.2-1, MQTT-3.1.2-2).
inline void check_connect_version(const row& r, const std::vector<std::uint8_t>& bytes,
                                  const mc::result<mc::packet>& got,
                                  const mc::decode_options& opt) {
  if (bytes.empty() || static_cast<mc::packet_type>(bytes[0] >> 4) != mc::packet_type::connect) {
    return;
  }
  const auto v = mc::connect_version(bytes, opt);
  if (got) {
    REQUIRE(v.has_value());
    CHECK(*v == std::get<mc::connect>(*got).version);
  } else if (r.code == errc::invalid_protocol_name ||
             r.code == errc::unsupported_protocol_version) {
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == r.code);
    CHECK(v.error().offset == r.offset);
    CHECK(std::string(v.error().rule ? v.error().rule : "") == std::string(r.rule ? r.rule : ""));
  }
}

inline void check_row(const row& r, const mc::decode_options& opt = {}) {
  const std::vector<std::uint8_t> bytes = from_hex(r.hex);
  INFO("vector " << r.hex << " as " << mc::to_string(r.version) << " from sender "
                 << mc::to_string(opt.sender));
  const auto got = mc::decode(bytes, r.version, opt);
  check_outcome(r, got, "decode");
  const auto as = test::decode_as_named(bytes, r.version, opt);
  check_outcome(r, as, "decode_as");
  if (got && as) CHECK(*as == *got);
  check_connect_version(r, bytes, got, opt);
  if (got && r.code == errc{} && r.canonical) {
    // The encoder must write the spec's bytes, not merely something it can read back.
    std::vector<std::uint8_t> again;
    auto n = encode_to(*got, r.version, again);
    REQUIRE(n.has_value());
    CHECK(again == bytes);
  }
}

/// Checks every row, and that the table can fail both ways.
template <std::size_t N>
void check_rows(const row (&rows)[N], const mc::decode_options& opt = {}) {
  bool any_bad = false;
  bool any_good = false;
  for (const row& r : rows) {
    (r.code == errc{} ? any_good : any_bad) = true;
    check_row(r, opt);
  }
  CHECK(any_bad);
  CHECK(any_good);
}

/// A packet of type P decoded from `hex`, together with the bytes its views point into (so the
/// views stay valid as long as this object). Not copyable: a copy would dangle.
template <class P>
class decoded {
 public:
  decoded(const char* hex, protocol_version v) : bytes_(from_hex(hex)) {
    INFO("vector " << hex << " as " << mc::to_string(v));
    auto got = mc::decode(bytes_, v);
    REQUIRE(got.has_value());
    REQUIRE(std::holds_alternative<P>(*got));
    packet_ = std::get<P>(*got);
  }
  decoded(const decoded&) = delete;
  decoded& operator=(const decoded&) = delete;
  const P* operator->() const noexcept { return &packet_; }
  const P& operator*() const noexcept { return packet_; }

 private:
  std::vector<std::uint8_t> bytes_;
  P packet_{};
};

/// Encoding `p` must be refused with `code` (the errc the decoder gives for the same bytes),
/// whichever sink is used.
template <class P>
void check_encode_refuses(const P& p, protocol_version v, errc code) {
  INFO("encoding a " << mc::to_string(P::type) << " as " << mc::to_string(v));
  auto size = mc::encoded_size(p, v);
  REQUIRE_FALSE(size.has_value());
  CHECK(mc::name(size.error().code) == std::string(mc::name(code)));
  std::array<std::uint8_t, 512> buf{};
  auto n = mc::encode(p, v, buf);
  REQUIRE_FALSE(n.has_value());
  CHECK(mc::name(n.error().code) == std::string(mc::name(code)));
}

/// Encoding `p` must succeed and give exactly the spec's bytes `hex`.
template <class P>
void check_encodes_to(const P& p, protocol_version v, const char* hex) {
  INFO("encoding a " << mc::to_string(P::type) << " as " << mc::to_string(v));
  std::vector<std::uint8_t> out;
  mc::container_sink<std::vector<std::uint8_t>> sink(out);
  auto n = mc::encode(p, v, sink);
  REQUIRE(n.has_value());
  CHECK(out == from_hex(hex));
}

/// MQTT-3.10.4-1: the filters of a decoded UNSUBSCRIBE holding "a/+" then "a/#" are compared
/// with held subscriptions as text: "a/+" removes exactly the "a/+" subscription, and "a/#",
/// though it matches every topic "a/b" matches, removes nothing.
inline void check_unsubscribe_is_literal(const mc::unsubscribe& u, protocol_version v) {
  const std::vector<std::string_view> filters(u.topic_filters.begin(), u.topic_filters.end());
  REQUIRE(filters == std::vector<std::string_view>{"a/+", "a/#"});
  mc::topic_index<int> index;
  REQUIRE(index.insert("a/+", 1, v).has_value());
  REQUIRE(index.insert("a/b", 2, v).has_value());
  CHECK(index.erase(filters[0], 1, v) == 1);
  CHECK(index.erase(filters[1], 2, v) == 0);
  std::vector<int> left;
  index.match("a/b", [&left](const int& x) { left.push_back(x); });
  CHECK(left == std::vector<int>{2});
}

// The CONNECT most rows start from: client id "c", keep alive 60, level `v`.
inline mc::connect connect_c(protocol_version v) {
  mc::connect c;
  c.version = v;
  c.client_id = "c";
  c.keep_alive = 60;
  return c;
}

// A PUBLISH to topic "a" with QoS `q` and packet identifier `id`.
inline mc::publish publish_a(mc::qos q, std::uint16_t id = 0) {
  mc::publish p;
  p.topic = "a";
  p.qos = q;
  p.packet_id = id;
  return p;
}

}  // namespace conformance

#endif

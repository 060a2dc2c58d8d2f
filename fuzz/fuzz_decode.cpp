// Fuzz target for the decode entry points (packet.hpp): decode(bytes, v), decode<V>(bytes),
// decode_as<P>(bytes, v), decode_as<P, V>(bytes), decode_publish_head(bytes, v),
// skip_publish(bytes, v) and connect_version(bytes).
//
// Input: one option byte, then the packet.
//   bits 0-1  version: 0 = 3.1, 1 = 3.1.1, 2 and 3 = 5.0
//   bit 2     decode_options::allow_non_minimal_length
//   bit 3     decode_options::skip_utf8_validation
//   bit 4     also run the compile-time-version entry point
//   bit 5     also run decode_as<P>
//   bit 6     with bit 5: P is the type after the packet's own (must fail invalid_packet_type)
//   bit 7     also decode with max_packet_size = size and size - 1
// Oracles: the runtime decode is the reference the other entry points must agree with, and
// for a PUBLISH the full decoder without the 3.x fast path (detail::decode_checked), and for
// any input decode's full decoder without its fast paths (detail::decode_any); a
// failure is a well-formed error; a success passes check_decoded and the round trip of
// fuzz_common.hpp (encode through every sink, strict re-decode to an equal packet). Decoding
// told the sender (client, then server) fails exactly as the reference does (a server's 5.0
// PUBLISH with id 0 citing the server's statement), or, where the reference decodes, fails
// with wrong_sender exactly when check_sender refuses the packet.
// decode_publish_head and skip_publish of prefixes of the input agree with decode_as<publish> of
// the whole, and encode_publish_head of a decoded PUBLISH writes what encode writes, less the
// payload's rest.
// connect_version agrees with decode on a CONNECT's version and on a wrong name or level.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <variant>
#include <vector>

#include "fuzz_common.hpp"

namespace mc = mqttcodec;

namespace {

template <std::size_t I>
mc::result<mc::packet> decode_as_runtime(mc::bytes_view b, mc::protocol_version v,
                                         const mc::decode_options& o) {
  using P = std::variant_alternative_t<I, mc::packet>;
  auto r = mc::decode_as<P>(b, v, o);
  if (!r) return r.error();
  return mc::packet{std::in_place_index<I>, *r};
}

template <std::size_t I, mc::protocol_version V>
mc::result<mc::packet> decode_as_fixed(mc::bytes_view b, mc::protocol_version,
                                       const mc::decode_options& o) {
  using P = std::variant_alternative_t<I, mc::packet>;
  auto r = mc::decode_as<P, V>(b, o);
  if (!r) return r.error();
  return mc::packet{std::in_place_index<I>, *r};
}

using decode_fn = mc::result<mc::packet> (*)(mc::bytes_view, mc::protocol_version,
                                             const mc::decode_options&);

template <std::size_t... I>
constexpr std::array<decode_fn, sizeof...(I)> runtime_table(std::index_sequence<I...>) {
  return {&decode_as_runtime<I>...};
}
template <mc::protocol_version V, std::size_t... I>
constexpr std::array<decode_fn, sizeof...(I)> fixed_table(std::index_sequence<I...>) {
  return {&decode_as_fixed<I, V>...};
}

constexpr std::size_t packet_types = std::variant_size_v<mc::packet>;

decode_fn decode_as_entry(std::size_t index, mc::protocol_version v, bool fixed) {
  static constexpr auto rt = runtime_table(std::make_index_sequence<packet_types>{});
  static constexpr auto f31 =
      fixed_table<mc::protocol_version::v31>(std::make_index_sequence<packet_types>{});
  static constexpr auto f311 =
      fixed_table<mc::protocol_version::v311>(std::make_index_sequence<packet_types>{});
  static constexpr auto f5 =
      fixed_table<mc::protocol_version::v5>(std::make_index_sequence<packet_types>{});
  if (!fixed) return rt[index];
  switch (v) {
    case mc::protocol_version::v31: return f31[index];
    case mc::protocol_version::v311: return f311[index];
    case mc::protocol_version::v5: break;
  }
  return f5[index];
}

mc::result<mc::packet> decode_fixed(mc::bytes_view b, mc::protocol_version v,
                                    const mc::decode_options& o) {
  switch (v) {
    case mc::protocol_version::v31: return mc::decode<mc::protocol_version::v31>(b, o);
    case mc::protocol_version::v311: return mc::decode<mc::protocol_version::v311>(b, o);
    case mc::protocol_version::v5: break;
  }
  return mc::decode<mc::protocol_version::v5>(b, o);
}

// True when `bytes` frames as exactly one packet under `o`, i.e. decoding gets past the
// fixed header; then `type` is the packet's type.
bool frames_whole(mc::bytes_view bytes, mc::protocol_version v, const mc::decode_options& o,
                  mc::packet_type& type) {
  mc::frame_options fo;
  fo.version = v;
  fo.max_packet_size = o.max_packet_size;
  fo.allow_non_minimal_length = o.allow_non_minimal_length;
  const mc::frame f = mc::next_frame(bytes, fo);
  type = f.type;
  return f.status == mc::frame_status::complete && f.size == bytes.size();
}

// The compile-time entry point agrees with the runtime one, except that it speaks only its own
// version in CONNECT.
void check_fixed_version(const mc::result<mc::packet>& ref, const mc::result<mc::packet>& got,
                         mc::protocol_version v, bool is_connect) {
  if (!is_connect) {
    FUZZ_REQUIRE(fuzz::same_outcome(ref, got));
    return;
  }
  if (!ref) {
    FUZZ_REQUIRE(!got);
    return;
  }
  if (std::get<mc::connect>(*ref).version == v) {
    FUZZ_REQUIRE(fuzz::same_outcome(ref, got));
  } else {
    FUZZ_REQUIRE(!got && got.error().code == mc::errc::unsupported_protocol_version);
  }
}

// Decoding with decode_options::sender set adds only the rules of one direction: the packet
// type's, right after framing, then the others after every format rule; check_sender on the
// reference packet names the same fault. Where both fail, they fail alike, but that a server's
// 5.0 PUBLISH with packet id 0 cites MQTT-2.2.1-4 (the reference, told no sender, MQTT-2.2.1-3).
void check_sender_oracle(const mc::result<mc::packet>& ref, mc::bytes_view bytes,
                         mc::protocol_version v, mc::decode_options o, bool framed,
                         mc::packet_type type) {
  for (const mc::role sender : {mc::role::client, mc::role::server}) {
    o.sender = sender;
    const auto got = mc::decode(bytes, v, o);
    if (framed && !mc::may_send(sender, type, v)) {
      FUZZ_REQUIRE(!got && got.error().code == mc::errc::wrong_sender && got.error().offset == 0 &&
                   got.error().rule == nullptr);
      if (ref) FUZZ_REQUIRE(!mc::check_sender(*ref, v, sender));
      continue;
    }
    if (!ref) {
      // The same error, but that a 5.0 server's PUBLISH with id 0 cites the server's statement.
      mc::error expected = ref.error();
      if (sender == mc::role::server && v == mc::protocol_version::v5 &&
          type == mc::packet_type::publish && expected.code == mc::errc::zero_packet_id) {
        expected.rule = "MQTT-2.2.1-4";
      }
      FUZZ_REQUIRE(!got && fuzz::same_error(expected, got.error()));
      continue;
    }
    const auto st = mc::check_sender(*ref, v, sender);
    if (st) {
      FUZZ_REQUIRE(fuzz::same_outcome(ref, got));
      continue;
    }
    FUZZ_REQUIRE(!got && got.error().code == mc::errc::wrong_sender);
    mc::error expected = st.error();
    expected.offset = got.error().offset;  // check_sender has no bytes to point into
    FUZZ_REQUIRE(fuzz::same_error(expected, got.error()));
    fuzz::check_error(got.error(), bytes.size(), true);
  }
}

// skip_publish on a prefix `bytes` of the input, whose frame is `f` and whose decode_as<publish>
// is `whole` with a head of `head` bytes (when complete): decode_as's error where it fails, its
// QoS, packet identifier and size where it decodes; need_more asks for no byte past the head,
// and is not the answer once the prefix holds it.
void check_skip_publish(mc::bytes_view bytes, mc::protocol_version v, const mc::decode_options& o,
                        const mc::frame& f, const mc::result<mc::publish>& whole,
                        std::size_t head) {
  const mc::publish_skip s = mc::skip_publish(bytes, v, o);
  const bool framed = f.status == mc::frame_status::complete;
  switch (s.status) {
    case mc::frame_status::need_more:
      FUZZ_REQUIRE(s.size >= 1);
      if (framed) FUZZ_REQUIRE(bytes.size() + s.size <= head);
      break;
    case mc::frame_status::invalid:
      fuzz::check_error(s.err, bytes.size(), true);
      if (f.status == mc::frame_status::invalid) FUZZ_REQUIRE(fuzz::same_error(f.err, s.err));
      if (framed) FUZZ_REQUIRE(!whole && fuzz::same_error(whole.error(), s.err));
      break;
    case mc::frame_status::complete:
      FUZZ_REQUIRE(f.status != mc::frame_status::invalid && f.type == mc::packet_type::publish);
      FUZZ_REQUIRE(s.size == std::size_t{f.header_size} + f.remaining_length);
      if (whole) FUZZ_REQUIRE(s.qos == whole->qos && s.packet_id == whole->packet_id);
      break;
  }
}

// decode_publish_head on prefixes of `bytes`, each copied to a buffer of its own size so that
// a read past it faults: the error decode_as<publish> gives the whole packet, or its fields
// with the payload cut where the input ends. need_more asks for no more than the head (than
// the packet, when that is broken), and is never the answer once the packet is whole.
void check_publish_head(mc::bytes_view bytes, mc::protocol_version v, const mc::decode_options& o) {
  const mc::frame f = mc::next_frame(bytes, o.framing(v));
  mc::result<mc::publish> whole = mc::error{mc::errc::truncated, 0, nullptr, 0};
  std::size_t head = 0;
  if (f.status == mc::frame_status::complete) {
    whole = mc::decode_as<mc::publish>(bytes.subview(0, f.size), v, o);
    head = whole ? f.size - whole->payload.size() : f.size;
  }
  auto one = [&](std::size_t k) {
    const std::vector<std::uint8_t> copy(bytes.data(), bytes.data() + k);
    const mc::publish_head h = mc::decode_publish_head(mc::bytes_view(copy.data(), k), v, o);
    switch (h.status) {
      case mc::frame_status::need_more:
        FUZZ_REQUIRE(h.size >= 1);
        if (f.status == mc::frame_status::complete) FUZZ_REQUIRE(k + h.size <= head);
        break;
      case mc::frame_status::invalid:
        fuzz::check_error(h.err, k, true);
        if (f.status == mc::frame_status::invalid) FUZZ_REQUIRE(fuzz::same_error(f.err, h.err));
        if (f.status == mc::frame_status::complete) {
          FUZZ_REQUIRE(!whole && fuzz::same_error(whole.error(), h.err));
        }
        break;
      case mc::frame_status::complete: {
        FUZZ_REQUIRE(f.status != mc::frame_status::invalid);
        FUZZ_REQUIRE(h.size <= k);
        const std::size_t end = f.status == mc::frame_status::complete ? f.size : k;
        FUZZ_REQUIRE(h.packet.payload.data() == copy.data() + h.size &&
                     h.packet.payload.size() == std::min(k, end) - h.size);
        if (f.status != mc::frame_status::complete) break;
        FUZZ_REQUIRE(whole && h.size == head && h.payload_size == whole->payload.size());
        mc::publish same = h.packet;
        same.payload = whole->payload;
        FUZZ_REQUIRE(same == *whole);
        break;
      }
    }
    if (f.status == mc::frame_status::complete && k >= f.size) {
      FUZZ_REQUIRE(h.status != mc::frame_status::need_more);
    }
    check_skip_publish(mc::bytes_view(copy.data(), k), v, o, f, whole, head);
  };
  // Every prefix of a short input, the edges of a long one, and either side of the head.
  const std::size_t n = bytes.size();
  for (std::size_t k = 0; k <= n && k <= 40; ++k) one(k);
  if (n > 40) {
    one(n / 2);
    one(n - 1);
    one(n);
  }
  if (whole && head > 40) {
    one(head - 1);
    one(head);
  }
}

// connect_version on `bytes` and on prefixes of it, each copied to a buffer of its own size:
// the version a decoded CONNECT has; the error decode gives a CONNECT whose name or level is
// wrong; otherwise a well-formed error; and on a prefix, the answer of the whole once the
// prefix holds the level.
void check_connect_version(mc::bytes_view bytes, const mc::result<mc::packet>& ref,
                           const mc::decode_options& o) {
  const auto cv = mc::connect_version(bytes, o);
  const auto* c = ref ? std::get_if<mc::connect>(&*ref) : nullptr;
  if (c != nullptr) FUZZ_REQUIRE(cv && *cv == c->version);
  if (!ref && (ref.error().code == mc::errc::invalid_protocol_name ||
               ref.error().code == mc::errc::unsupported_protocol_version)) {
    FUZZ_REQUIRE(!cv && fuzz::same_error(ref.error(), cv.error()));
  }
  if (!cv) fuzz::check_error(cv.error(), bytes.size(), true);
  // refuse_connect's answer to a refused CONNECT is one a CONNACK may carry, in the version
  // the CONNECT names (a 5.0 one: a failure code), and it encodes.
  if (!ref && !bytes.empty() && (bytes[0] >> 4) == 1) {
    if (const auto answer = mc::refuse_connect(bytes, ref.error(), o)) {
      if (cv) FUZZ_REQUIRE(answer->version == *cv);
      if (answer->version == mc::protocol_version::v5) {
        FUZZ_REQUIRE(static_cast<std::uint8_t>(answer->ack.reason_code) >= 0x80);
      }
      std::array<std::uint8_t, 16> out{};
      FUZZ_REQUIRE(mc::encode(answer->ack, answer->version, out).has_value());
    }
  }
  // The level of a CONNECT whose remaining length takes one byte: at byte 2 + 2 + name + 1.
  const std::size_t level_end = bytes.size() >= 4 ? 5u + mc::detail::load_u16(bytes.data() + 2) : 0;
  for (std::size_t k = 0; k < bytes.size() && k <= 16; ++k) {
    const std::vector<std::uint8_t> copy(bytes.data(), bytes.data() + k);
    const auto part = mc::connect_version(mc::bytes_view(copy.data(), k), o);
    if (!part) fuzz::check_error(part.error(), k, true);
    if (cv && bytes[1] < 0x80 && k >= level_end) FUZZ_REQUIRE(part && *part == *cv);
  }
}

// encode_publish_head of decoded PUBLISH `p` with its payload cut after `part` bytes: the bytes
// encode writes for `p`, less the payload's rest, or encode's error.
void check_publish_head_encode(const mc::publish& p, mc::protocol_version v, std::size_t part) {
  std::array<std::uint8_t, 4200> whole_buf;
  const auto whole = mc::encode(p, v, whole_buf);
  mc::publish start = p;
  start.payload = p.payload.subview(0, part);
  const std::size_t after = p.payload.size() - part;
  std::array<std::uint8_t, 4200> buf;
  const auto head = mc::encode_publish_head(start, after, v, buf);
  FUZZ_REQUIRE(whole.has_value() == head.has_value());
  if (!whole) {
    FUZZ_REQUIRE(fuzz::same_error(whole.error(), head.error()));
    return;
  }
  FUZZ_REQUIRE(*head + after == *whole);
  FUZZ_REQUIRE(std::memcmp(buf.data(), whole_buf.data(), *head) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t opt = data[0];
  const mc::protocol_version v = fuzz::version_from(opt);
  mc::decode_options o;
  o.allow_non_minimal_length = (opt & 0x04u) != 0;
  o.skip_utf8_validation = (opt & 0x08u) != 0;
  // The packet is the tail of libFuzzer's exactly sized buffer: a read past it faults.
  const mc::bytes_view bytes(data + 1, size - 1);

  const auto ref = mc::decode(bytes, v, o);
  if (!ref) {
    fuzz::check_error(ref.error(), bytes.size(), true);
  } else {
    FUZZ_REQUIRE(static_cast<std::size_t>(mc::type_of(*ref)) == ref->index() + 1);
    fuzz::check_decoded(*ref, v, bytes);
    fuzz::check_round_trip(*ref, mc::encode_version(*ref, v), bytes, o.skip_utf8_validation);
    if (const auto* pub = std::get_if<mc::publish>(&*ref)) {
      // The payload cut where its last byte says (payloads are opaque: any cut is one).
      const std::size_t part =
          pub->payload.empty() ? 0 : bytes[bytes.size() - 1] % (pub->payload.size() + 1);
      check_publish_head_encode(*pub, v, part);
    }
  }

  mc::packet_type type{};
  const bool framed = frames_whole(bytes, v, o, type);
  if (ref) FUZZ_REQUIRE(framed && type == mc::type_of(*ref));
  check_sender_oracle(ref, bytes, v, o, framed, type);
  const bool is_connect = framed && type == mc::packet_type::connect;

  // decode and decode_as read a common 3.x PUBLISH through a fast path that declines
  // whatever it is not sure of; the full decoder alone must give the same outcome.
  if (framed && type == mc::packet_type::publish) {
    const auto full =
        mc::detail::decode_checked<mc::publish>(bytes, mc::detail::version_value{v}, o);
    FUZZ_REQUIRE(ref.has_value() == full.has_value());
    if (ref) FUZZ_REQUIRE(std::get<mc::publish>(*ref) == *full);
    if (!ref) FUZZ_REQUIRE(fuzz::same_error(ref.error(), full.error()));
  }
  check_publish_head(bytes, v, o);
  check_connect_version(bytes, ref, o);
  // decode also settles the packets of one fixed size inline (detail::read_fixed_size): the
  // full decoder behind it, alone, must give the same outcome for any input.
  {
    mc::result<mc::packet> full{std::in_place, std::in_place_type<mc::pingreq>};
    mc::detail::decode_any(full, bytes, mc::detail::version_value{v}, o);
    FUZZ_REQUIRE(ref.has_value() == full.has_value());
    if (ref) FUZZ_REQUIRE(*ref == *full);
    if (!ref) FUZZ_REQUIRE(fuzz::same_error(ref.error(), full.error()));
  }

  const bool fixed = (opt & 0x10u) != 0;
  if (fixed) check_fixed_version(ref, decode_fixed(bytes, v, o), v, is_connect);

  if ((opt & 0x20u) != 0) {
    const bool mismatch = (opt & 0x40u) != 0;
    // Without a framed packet any type will do: the framing error must come first.
    const std::size_t own = framed ? static_cast<std::size_t>(type) - 1 : 0;
    const std::size_t index = mismatch ? (own + 1) % packet_types : own;
    const auto got = decode_as_entry(index, v, fixed)(bytes, v, o);
    if (!framed) {
      FUZZ_REQUIRE(!ref && !got && fuzz::same_error(ref.error(), got.error()));
    } else if (mismatch) {
      FUZZ_REQUIRE(!got && got.error().code == mc::errc::invalid_packet_type &&
                   got.error().offset == 0);
    } else if (fixed) {
      check_fixed_version(ref, got, v, is_connect);
    } else {
      FUZZ_REQUIRE(fuzz::same_outcome(ref, got));
    }
    if (!got) fuzz::check_error(got.error(), bytes.size(), true);
  }

  if ((opt & 0x80u) != 0 && !bytes.empty()) {
    mc::decode_options exact = o;
    exact.max_packet_size = static_cast<std::uint32_t>(bytes.size());
    const auto at_limit = mc::decode(bytes, v, exact);
    // A limit the packet meets changes nothing; an input cut short of its declared length
    // may now be too large instead of truncated.
    if (framed) FUZZ_REQUIRE(fuzz::same_outcome(ref, at_limit));
    if (!framed) FUZZ_REQUIRE(!at_limit);
    mc::decode_options below = o;
    below.max_packet_size = static_cast<std::uint32_t>(bytes.size() - 1);
    const auto small = mc::decode(bytes, v, below);
    if (framed) FUZZ_REQUIRE(!small && small.error().code == mc::errc::packet_too_large);
    if (!small) fuzz::check_error(small.error(), bytes.size(), true);
  }
  return 0;
}

// Fuzz target for 5.0 property blocks (properties.hpp, detail/property_codec.hpp), decoded
// through decode(bytes, v5) inside each packet that has one.
//
// Input: option byte, then the property block (identifiers and values, no length prefix).
//   bits 0-3  the packet around the block (see `kind`)
//   bit 4     the next byte is a signed change to the Property Length, so it disagrees with
//             the block's real size
//   bit 5     decode_options::allow_non_minimal_length
//   bit 6     decode_options::skip_utf8_validation
//   bit 7     Property Length written in 4 bytes (non-minimal) instead of its shortest form
// The rest of the packet is fixed and valid. A reference validator written from the spec's
// tables (Table 2-4 and the per-packet property lists of §3) says whether the block is valid
// in that packet and, if not, which rule fails first; decode must agree. A decoded packet's
// lazy lists and single values must match the reference walk, and it must round-trip.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"

namespace mc = mqttcodec;

namespace {

enum class kind : std::uint8_t {
  publish,        // QoS 1, topic "t"
  publish_alias,  // QoS 0, empty topic: needs a Topic Alias
  connect,        // the CONNECT properties
  will,           // the will properties of a CONNECT
  connack,
  puback,
  pubrec,
  pubrel,
  pubcomp,
  subscribe,
  suback,
  unsubscribe,
  unsuback,
  disconnect,
  auth,
  publish_qos0,  // QoS 0, topic "t"
};

constexpr std::uint64_t ids(std::initializer_list<std::uint32_t> l) {
  std::uint64_t m = 0;
  for (const std::uint32_t x : l) m |= std::uint64_t{1} << x;
  return m;
}

// Which properties each packet may carry (5.0 §3.1.2.11, §3.1.3.2, §3.2.2.3, §3.3.2.3, §3.4.2.2,
// §3.8.2.1, §3.9.2.1, §3.10.2.1, §3.11.2.1, §3.14.2.2, §3.15.2.2), as a set of identifiers.
std::uint64_t allowed(kind k) {
  switch (k) {
    case kind::publish:
    case kind::publish_alias:
    case kind::publish_qos0: return ids({0x01, 0x02, 0x23, 0x08, 0x09, 0x26, 0x0B, 0x03});
    case kind::connect: return ids({0x11, 0x21, 0x27, 0x22, 0x19, 0x17, 0x26, 0x15, 0x16});
    case kind::will: return ids({0x18, 0x01, 0x02, 0x03, 0x08, 0x09, 0x26});
    case kind::connack:
      return ids({0x11, 0x21, 0x24, 0x25, 0x27, 0x12, 0x22, 0x1F, 0x26, 0x28, 0x29, 0x2A, 0x13,
                  0x1A, 0x1C, 0x15, 0x16});
    case kind::puback:
    case kind::pubrec:
    case kind::pubrel:
    case kind::pubcomp:
    case kind::suback:
    case kind::unsuback: return ids({0x1F, 0x26});
    case kind::subscribe: return ids({0x0B, 0x26});
    case kind::unsubscribe: return ids({0x26});
    case kind::disconnect: return ids({0x11, 0x1F, 0x26, 0x1C});
    case kind::auth: return ids({0x15, 0x16, 0x1F, 0x26});
  }
  return 0;
}

bool is_publish(kind k) {
  return k == kind::publish || k == kind::publish_alias || k == kind::publish_qos0;
}

bool contains(std::uint64_t set, std::uint32_t id) {
  return id < 64 && ((set >> id) & 1u) != 0;
}

// The reference's verdict: ok, or the first rule that fails.
struct verdict {
  bool ok = true;
  bool structural = false;  // cut off / unterminated: the code depends on where the block ends
  mc::errc code{};
  std::size_t offset = 0;  // within the block; for id-level errors, the identifier's offset
  bool id_level = false;   // code is reported at the identifier
  std::uint32_t id = 0;
  std::uint8_t named = 0;  // error::value: the property, or 0 when its identifier failed
};

verdict reject(mc::errc code, const fuzz::ref_property& p, bool id_level) {
  verdict v;
  v.ok = false;
  v.code = code;
  v.offset = p.offset;
  v.id_level = id_level;
  v.id = p.id;
  v.named = static_cast<std::uint8_t>(p.id < 256 ? p.id : 0);
  return v;
}

bool contains_id(const std::vector<std::uint32_t>& ids, std::uint32_t id) {
  for (const std::uint32_t x : ids) {
    if (x == id) return true;
  }
  return false;
}

bool has_wildcard(std::string_view s) {
  return s.find_first_of("+#") != std::string_view::npos;
}

// The checks of one property, in the order a reader meets them: the identifier's encoding,
// whether it is defined and allowed here, whether it repeats, then its value.
bool check_property(const fuzz::ref_property& p, kind k, const mc::decode_options& o,
                    std::vector<std::uint32_t>& seen, bool value_present, verdict& out) {
  if (!p.id_minimal && !o.allow_non_minimal_length) {
    out = reject(mc::errc::non_minimal_length, p, false);
    out.named = 0;  // the identifier itself did not read
    return false;
  }
  if (fuzz::ref_type_of(p.id) == fuzz::ref_type::none) {
    out = reject(mc::errc::unknown_property, p, true);
    return false;
  }
  if (!contains(allowed(k), p.id)) {
    out = reject(mc::errc::property_not_allowed, p, true);
    return false;
  }
  const bool repeatable = p.id == 0x26 || (p.id == 0x0B && is_publish(k));
  if (!repeatable) {
    if (contains_id(seen, p.id)) {
      out = reject(mc::errc::duplicate_property, p, true);
      return false;
    }
    seen.push_back(p.id);
  }
  if (!value_present) {
    // A pair is read one string at a time: the name's UTF-8 is judged before the value is
    // found cut off.
    if (p.first_parsed && !o.skip_utf8_validation) {
      if (const auto u = mc::check_utf8(p.a); !u) {
        out = reject(u.code, p, false);
        return false;
      }
    }
    return true;  // the caller reports the cut-off value
  }
  if (p.id == 0x0B && !p.value_minimal && !o.allow_non_minimal_length) {
    out = reject(mc::errc::non_minimal_length, p, false);
    return false;
  }
  bool bad_value = false;
  switch (p.id) {
    case 0x01:
    case 0x17:
    case 0x19:
    case 0x24:
    case 0x25:
    case 0x28:
    case 0x29:
    case 0x2A: bad_value = p.number > 1; break;
    case 0x21:
    case 0x23:
    case 0x27:
    case 0x0B: bad_value = p.number == 0; break;
    default: break;
  }
  if (bad_value) {
    out = reject(mc::errc::invalid_property_value, p, true);
    return false;
  }
  const fuzz::ref_type t = fuzz::ref_type_of(p.id);
  if (!o.skip_utf8_validation && (t == fuzz::ref_type::string || t == fuzz::ref_type::pair)) {
    for (const std::string_view s : {p.a, p.b}) {
      if (const auto u = mc::check_utf8(s); !u) {
        out = reject(u.code, p, false);
        return false;
      }
    }
  }
  // A Response Topic is a topic name: at least one character [MQTT-4.7.3-1], no wildcards.
  if (p.id == 0x08 && p.a.empty()) {
    out = reject(mc::errc::empty_topic, p, true);
    return false;
  }
  if (p.id == 0x08 && has_wildcard(p.a)) {
    out = reject(mc::errc::topic_has_wildcard, p, true);
    return false;
  }
  return true;
}

verdict judge(mc::bytes_view block, kind k, const mc::decode_options& o) {
  const fuzz::ref_block ref = fuzz::ref_walk(block);
  std::vector<std::uint32_t> seen;
  verdict v;
  for (const fuzz::ref_property& p : ref.props) {
    if (!check_property(p, k, o, seen, true, v)) return v;
  }
  if (!ref.ok) {
    if (ref.has_tail && !check_property(ref.tail, k, o, seen, false, v)) return v;
    v.ok = false;
    v.structural = true;
    v.offset = ref.bad_offset;
    return v;
  }
  auto has = [&](std::uint32_t id) { return contains_id(seen, id); };
  if ((k == kind::connect || k == kind::connack || k == kind::auth) && has(0x16) && !has(0x15)) {
    v.ok = false;
    v.code = mc::errc::auth_data_without_method;
    return v;
  }
  if (k == kind::auth && !has(0x15)) {
    // An AUTH with a body must name its method (§3.15.2.2.2).
    v.ok = false;
    v.code = mc::errc::missing_authentication_method;
    return v;
  }
  if (k == kind::publish_alias && !has(0x23)) {
    v.ok = false;
    v.code = mc::errc::empty_topic;
    return v;
  }
  return v;
}

void put_varint(std::vector<std::uint8_t>& out, std::uint32_t v, bool four_bytes) {
  for (int i = 0; i < 4; ++i) {
    auto b = static_cast<std::uint8_t>(v & 0x7Fu);
    v >>= 7;
    const bool more = four_bytes ? i < 3 : v != 0;
    if (more) b |= 0x80u;
    out.push_back(b);
    if (!more) break;
  }
}

void put(std::vector<std::uint8_t>& out, std::initializer_list<std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// The whole packet: fixed fields of `k` around the length-prefixed block. Returns where the
// block's Property Length starts.
std::size_t build(kind k, mc::bytes_view block, std::uint32_t declared, bool long_length,
                  std::vector<std::uint8_t>& pkt) {
  std::vector<std::uint8_t> body;
  std::uint8_t first = 0;
  auto props = [&] {
    const std::size_t at = body.size();
    put_varint(body, declared, long_length);
    body.insert(body.end(), block.begin(), block.end());
    return at;
  };
  std::size_t at = 0;
  switch (k) {
    case kind::publish:
      first = 0x32;
      put(body, {0x00, 0x01, 't', 0x00, 0x07});
      at = props();
      put(body, {'x'});
      break;
    case kind::publish_alias:
      first = 0x30;
      put(body, {0x00, 0x00});
      at = props();
      put(body, {'x'});
      break;
    case kind::publish_qos0:
      first = 0x31;
      put(body, {0x00, 0x01, 't'});
      at = props();
      break;
    case kind::connect:
    case kind::will:
      first = 0x10;
      put(body, {0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05});
      put(body, {static_cast<std::uint8_t>(k == kind::will ? 0x0E : 0x02), 0x00, 0x3C});
      if (k == kind::connect) {
        at = props();
      } else {
        put(body, {0x00});
      }
      put(body, {0x00, 0x01, 'c'});
      if (k == kind::will) {
        at = props();
        put(body, {0x00, 0x01, 'w', 0x00, 0x01, 'p'});
      }
      break;
    case kind::connack:
      first = 0x20;
      put(body, {0x00, 0x00});
      at = props();
      break;
    case kind::puback:
    case kind::pubrec:
    case kind::pubrel:
    case kind::pubcomp: {
      const unsigned type = 4u + static_cast<unsigned>(k) - static_cast<unsigned>(kind::puback);
      first = static_cast<std::uint8_t>((type << 4) | (type == 6 ? 2u : 0u));
      put(body, {0x12, 0x34, 0x00});
      at = props();
      break;
    }
    case kind::subscribe:
      first = 0x82;
      put(body, {0x00, 0x09});
      at = props();
      put(body, {0x00, 0x01, 'a', 0x01});
      break;
    case kind::suback:
      first = 0x90;
      put(body, {0x00, 0x09});
      at = props();
      put(body, {0x01});
      break;
    case kind::unsubscribe:
      first = 0xA2;
      put(body, {0x00, 0x09});
      at = props();
      put(body, {0x00, 0x01, 'a'});
      break;
    case kind::unsuback:
      first = 0xB0;
      put(body, {0x00, 0x09});
      at = props();
      put(body, {0x11});
      break;
    case kind::disconnect:
      first = 0xE0;
      put(body, {0x04});
      at = props();
      break;
    case kind::auth:
      first = 0xF0;
      put(body, {0x18});
      at = props();
      break;
  }
  pkt.push_back(first);
  put_varint(pkt, static_cast<std::uint32_t>(body.size()), false);
  const std::size_t header = pkt.size();
  pkt.insert(pkt.end(), body.begin(), body.end());
  return header + at;
}

void report(const verdict& v, const mc::result<mc::packet>& got) {
  std::fprintf(stderr, "reference: %s (%s at block offset %zu, id 0x%x); decode: %s",
               v.ok ? "ok" : "reject",
               v.ok ? "-" : (v.structural ? "structural" : mc::name(v.code)), v.offset,
               static_cast<unsigned>(v.id), got ? "ok\n" : "");
  if (!got) {
    std::fprintf(stderr, "%s at %u value 0x%x\n", mc::name(got.error().code), got.error().offset,
                 static_cast<unsigned>(got.error().value));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t opt = data[0];
  const auto k = static_cast<kind>(opt & 0x0Fu);
  std::size_t skip = 1;
  int delta = 0;
  if ((opt & 0x10u) != 0) {
    if (size < 2) return 0;
    delta = data[1] < 0x80 ? int{data[1]} : int{data[1]} - 0x100;  // the byte as signed
    skip = 2;
  }
  mc::decode_options o;
  o.allow_non_minimal_length = (opt & 0x20u) != 0;
  o.skip_utf8_validation = (opt & 0x40u) != 0;
  const bool long_length = (opt & 0x80u) != 0;
  const mc::bytes_view block(data + skip, size - skip);
  if (block.size() > 4000) return 0;  // keep every length a 2-byte varint or less

  const long declared_l = static_cast<long>(block.size()) + delta;
  const auto declared = static_cast<std::uint32_t>(declared_l < 0 ? 0 : declared_l);
  std::vector<std::uint8_t> built;
  const std::size_t length_at = build(k, block, declared, long_length, built);
  const fuzz::exact_buffer pkt(built.data(), built.size());
  const auto got = mc::decode(pkt.view(), mc::protocol_version::v5, o);
  if (!got) fuzz::check_error(got.error(), built.size(), true);

  if (declared == block.size()) {
    verdict v = judge(block, k, o);
    if (long_length && !o.allow_non_minimal_length && declared < (1u << 21)) {
      // The Property Length itself is padded: refused before the block is read.
      v = verdict{};
      v.ok = false;
      v.code = mc::errc::non_minimal_length;
      v.offset = 0;
    }
    if (v.ok != got.has_value()) report(v, got);
    FUZZ_REQUIRE(v.ok == got.has_value());
    if (!v.ok) {
      const mc::error& e = got.error();
      const std::size_t block_at = length_at + (long_length ? 4u : mc::varint_size(declared));
      if (v.structural) {
        // Inside the block every read ends at the block's end: a value cut off is cut off by
        // the Property Length, whether or not the packet ends there too.
        if (e.code != mc::errc::invalid_property_length &&
            e.code != mc::errc::invalid_remaining_length) {
          report(v, got);
        }
        FUZZ_REQUIRE(e.code == mc::errc::invalid_property_length ||
                     e.code == mc::errc::invalid_remaining_length);
        FUZZ_REQUIRE(e.offset >= block_at);
      } else if (v.code == mc::errc::non_minimal_length && v.offset == 0 && long_length) {
        FUZZ_REQUIRE(e.code == mc::errc::non_minimal_length && e.offset == length_at);
      } else {
        if (e.code != v.code) report(v, got);
        FUZZ_REQUIRE(e.code == v.code);
        // Every error inside a property names it, as the encoder's do.
        if (e.value != v.named) report(v, got);
        FUZZ_REQUIRE(e.value == v.named);
        if (v.id_level) FUZZ_REQUIRE(e.offset == block_at + v.offset);
      }
    }
  }
  // A Property Length that disagrees with the block may still parse another way (the block
  // then ends early or swallows the fields after it); such a packet gets the checks below.

  if (got) {
    fuzz::check_decoded(*got, mc::protocol_version::v5, pkt.view());
    fuzz::check_round_trip(*got, mc::protocol_version::v5, pkt.view(), o.skip_utf8_validation);
  }
  return 0;
}

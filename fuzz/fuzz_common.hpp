// Shared oracles of the codec fuzz targets (fuzz_decode, fuzz_frame, fuzz_properties).
//
// An oracle failure aborts with the failed condition and its line, so libFuzzer keeps the
// input as a crash file and the replay build stops at it. Nothing here throws.
#ifndef MQTTCODEC_FUZZ_COMMON_HPP
#define MQTTCODEC_FUZZ_COMMON_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "mqttcodec/mqttcodec.hpp"

namespace fuzz {

namespace mc = mqttcodec;

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "oracle failed: %s (%s:%d)\n", what, file, line);
  std::abort();
}

// Checked in every build type: the oracles are the point of the target.
#define FUZZ_REQUIRE(cond) ((cond) ? static_cast<void>(0) : ::fuzz::fail(#cond, __FILE__, __LINE__))

// The three versions a selector value picks; 3 maps to 5.0 too, the version with most rules.
inline mc::protocol_version version_from(unsigned bits) {
  switch (bits & 3u) {
    case 0: return mc::protocol_version::v31;
    case 1: return mc::protocol_version::v311;
    default: return mc::protocol_version::v5;
  }
}

// A heap block of exactly `n` bytes holding `src`, so AddressSanitizer faults on any read past
// the end of what a call was given (a view into a larger buffer would hide it).
class exact_buffer {
 public:
  exact_buffer(const std::uint8_t* src, std::size_t n)
      : data_(new std::uint8_t[n == 0 ? 1 : n]), size_(n) {
    if (n != 0) std::memcpy(data_.get(), src, n);
  }
  explicit exact_buffer(mc::bytes_view src) : exact_buffer(src.data(), src.size()) {}
  [[nodiscard]] mc::bytes_view view() const noexcept { return {data_.get(), size_}; }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_;
};

inline bool within(mc::bytes_view outer, const void* p, std::size_t n) {
  if (n == 0) return true;  // an empty view may point anywhere (or nowhere)
  const auto* q = static_cast<const std::uint8_t*>(p);
  return q >= outer.begin() && q <= outer.end() && n <= static_cast<std::size_t>(outer.end() - q);
}
inline bool within(mc::bytes_view outer, std::string_view s) {
  return within(outer, s.data(), s.size());
}
inline bool within(mc::bytes_view outer, mc::bytes_view b) {
  return within(outer, b.data(), b.size());
}

// Codes only an encoder produces; a decoder given a known version never reports them.
inline bool encode_only(mc::errc e) {
  return e == mc::errc::field_not_in_version || e == mc::errc::value_too_long ||
         e == mc::errc::buffer_too_small || e == mc::errc::invalid_version ||
         e == mc::errc::unexpected_packet_id;
}

// Every error is well formed: a known code with a name, an offset inside the input, a rule id
// that is a statement id, a reason code a server may send.
inline void check_error(const mc::error& e, std::size_t input_size, bool from_decoder) {
  const auto code = static_cast<std::uint8_t>(e.code);
  FUZZ_REQUIRE(code >= 1 && code <= mc::errc_count);
  FUZZ_REQUIRE(mc::name(e.code) != nullptr);
  FUZZ_REQUIRE(std::strcmp(mc::name(e.code), "ok") != 0);
  FUZZ_REQUIRE(mc::to_string(e.code) != nullptr && e.message() != nullptr);
  FUZZ_REQUIRE(e.offset <= input_size);
  FUZZ_REQUIRE(e.rule == nullptr || std::strncmp(e.rule, "MQTT-", 5) == 0);
  const std::uint8_t rc = e.connack_return_code();
  FUZZ_REQUIRE(rc <= 2);
  if (from_decoder) {
    FUZZ_REQUIRE(!encode_only(e.code));
    // A failed decode always has something to say to the peer.
    FUZZ_REQUIRE(static_cast<std::uint8_t>(e.reason()) >= 0x80);
  }
}

inline bool same_error(const mc::error& a, const mc::error& b) {
  const bool same_rule =
      (a.rule == nullptr && b.rule == nullptr) ||
      (a.rule != nullptr && b.rule != nullptr && std::strcmp(a.rule, b.rule) == 0);
  return a.code == b.code && a.offset == b.offset && same_rule && a.value == b.value;
}

template <class T>
bool same_outcome(const mc::result<T>& a, const mc::result<T>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (a.has_value()) return *a == *b;
  return same_error(a.error(), b.error());
}

// ---------------------------------------------------------------------------------------------
// Reference walk of a 5.0 property block, written from the spec's Table 2-4 independently of
// the library's tables, for the lazily iterated lists to be compared with.

enum class ref_type : std::uint8_t { none, byte, two, four, varint, string, binary, pair };

inline ref_type ref_type_of(std::uint32_t id) {
  switch (id) {
    case 0x01:
    case 0x17:
    case 0x19:
    case 0x24:
    case 0x25:
    case 0x28:
    case 0x29:
    case 0x2A: return ref_type::byte;
    case 0x13:
    case 0x21:
    case 0x22:
    case 0x23: return ref_type::two;
    case 0x02:
    case 0x11:
    case 0x18:
    case 0x27: return ref_type::four;
    case 0x0B: return ref_type::varint;
    case 0x03:
    case 0x08:
    case 0x12:
    case 0x15:
    case 0x1A:
    case 0x1C:
    case 0x1F: return ref_type::string;
    case 0x09:
    case 0x16: return ref_type::binary;
    case 0x26: return ref_type::pair;
    default: return ref_type::none;
  }
}

struct ref_varint {
  bool ok = false;       // a terminated varint of at most 4 bytes
  bool minimal = false;  // in its shortest form
  std::size_t size = 0;
  std::uint32_t value = 0;
};

inline ref_varint ref_read_varint(const std::uint8_t* p, std::size_t n) {
  ref_varint v;
  std::uint32_t mult = 1;
  for (std::size_t i = 0; i < n && i < 4; ++i) {
    v.value += (p[i] & 0x7Fu) * mult;
    mult *= 128;
    if ((p[i] & 0x80u) == 0) {
      v.ok = true;
      v.size = i + 1;
      v.minimal = i == 0 || p[i] != 0;
      return v;
    }
  }
  return v;
}

struct ref_property {
  std::uint32_t id = 0;
  std::size_t offset = 0;  // of the identifier, within the block
  bool id_minimal = true;
  bool value_minimal = true;  // varint values only
  std::uint32_t number = 0;   // byte / two / four / varint values
  std::string_view a, b;      // string / binary (a), pair (a, b)
  bool first_parsed = false;  // pair: `a` was read (even when `b` is cut off)
};

struct ref_block {
  bool ok = true;  // every property parses: known identifier, value inside the block
  std::size_t bad_offset = 0;
  std::vector<ref_property> props;
  // When !ok and the failing property's identifier was read: that property (its value is cut
  // off, or the identifier is unknown).
  bool has_tail = false;
  ref_property tail;
};

inline ref_block ref_walk(mc::bytes_view block) {
  ref_block out;
  const std::uint8_t* p = block.data();
  const std::size_t n = block.size();
  std::size_t i = 0;
  auto str = [&](std::string_view& s) {
    if (n - i < 2) return false;
    const std::size_t len = (std::size_t{p[i]} << 8) | p[i + 1];
    if (n - i - 2 < len) return false;
    s = {reinterpret_cast<const char*>(p + i + 2), len};
    i += 2 + len;
    return true;
  };
  while (i < n) {
    ref_property prop;
    prop.offset = i;
    const ref_varint id = ref_read_varint(p + i, n - i);
    if (!id.ok) break;
    prop.id = id.value;
    prop.id_minimal = id.minimal;
    i += id.size;
    bool ok = true;
    switch (ref_type_of(prop.id)) {
      case ref_type::none: ok = false; break;
      case ref_type::byte:
        ok = n - i >= 1;
        if (ok) prop.number = p[i++];
        break;
      case ref_type::two:
        ok = n - i >= 2;
        if (ok) prop.number = (std::uint32_t{p[i]} << 8) | p[i + 1];
        if (ok) i += 2;
        break;
      case ref_type::four:
        ok = n - i >= 4;
        if (ok) {
          prop.number = (std::uint32_t{p[i]} << 24) | (std::uint32_t{p[i + 1]} << 16) |
                        (std::uint32_t{p[i + 2]} << 8) | p[i + 3];
          i += 4;
        }
        break;
      case ref_type::varint: {
        const ref_varint v = ref_read_varint(p + i, n - i);
        ok = v.ok;
        if (ok) {
          prop.number = v.value;
          prop.value_minimal = v.minimal;
          i += v.size;
        }
        break;
      }
      case ref_type::string:
      case ref_type::binary: ok = str(prop.a); break;
      case ref_type::pair:
        prop.first_parsed = str(prop.a);
        ok = prop.first_parsed && str(prop.b);
        break;
    }
    if (!ok) {
      out.has_tail = true;
      out.tail = prop;
      out.ok = false;
      out.bad_offset = prop.offset;
      return out;
    }
    out.props.push_back(prop);
  }
  if (i != n) {
    out.ok = false;
    out.bad_offset = i;
  }
  return out;
}

// A decoded single-valued property field equals the value the reference walk read for its
// identifier, and is empty when the block does not carry it.
template <class F, class Props>
void check_single_value(const Props& props, const ref_block& ref) {
  if constexpr (!std::is_same_v<F, mc::property::user_properties_field> &&
                !std::is_same_v<F, mc::property::subscription_identifiers_field>) {
    using T = typename F::value_type;
    const auto& field = static_cast<const F&>(props).get();
    const ref_property* found = nullptr;
    for (const ref_property& rp : ref.props) {
      if (rp.id == static_cast<std::uint32_t>(F::id)) {
        // A single-valued property appears at most once in a block the decoder accepted.
        FUZZ_REQUIRE(found == nullptr);
        found = &rp;
      }
    }
    FUZZ_REQUIRE(field.has_value() == (found != nullptr));
    if (found == nullptr) return;
    if constexpr (std::is_same_v<T, std::string_view>) {
      FUZZ_REQUIRE(*field == found->a);
    } else if constexpr (std::is_same_v<T, mc::bytes_view>) {
      FUZZ_REQUIRE(field->as_chars() == found->a);
    } else if constexpr (std::is_same_v<T, bool>) {
      FUZZ_REQUIRE(found->number <= 1 && *field == (found->number == 1));
    } else {
      FUZZ_REQUIRE(static_cast<std::uint32_t>(*field) == found->number);
    }
  }
}

template <class Props, class... F>
void check_single_values(const Props& props, const ref_block& ref, mc::detail::type_list<F...>) {
  (check_single_value<F>(props, ref), ...);
}

// The lazily iterated lists of a decoded properties struct agree with the reference walk of its
// wire block: same values, same order, same count; and the block lies inside the input.
template <class Props>
void check_lazy_lists(const Props& props, mc::bytes_view input) {
  FUZZ_REQUIRE(within(input, props.wire));
  const ref_block ref = ref_walk(props.wire);
  // The decoder validated this block, so the reference must be able to walk it.
  FUZZ_REQUIRE(ref.ok);
  if constexpr (std::is_base_of_v<mc::property::user_properties_field, Props>) {
    std::size_t k = 0;
    for (const mc::string_pair& sp : props.user_properties) {
      while (k < ref.props.size() && ref.props[k].id != 0x26) ++k;
      FUZZ_REQUIRE(k < ref.props.size());
      FUZZ_REQUIRE(sp.name == ref.props[k].a && sp.value == ref.props[k].b);
      FUZZ_REQUIRE(within(input, sp.name) && within(input, sp.value));
      ++k;
    }
    while (k < ref.props.size() && ref.props[k].id != 0x26) ++k;
    FUZZ_REQUIRE(k == ref.props.size());
    std::size_t count = 0;
    for (const ref_property& rp : ref.props) count += rp.id == 0x26 ? 1 : 0;
    FUZZ_REQUIRE(props.user_properties.size() == count);
    FUZZ_REQUIRE(props.user_properties.empty() == (count == 0));
  }
  if constexpr (std::is_base_of_v<mc::property::subscription_identifiers_field, Props>) {
    std::vector<std::uint32_t> want;
    for (const ref_property& rp : ref.props) {
      if (rp.id == 0x0B) want.push_back(rp.number);
    }
    std::size_t k = 0;
    for (const std::uint32_t v : props.subscription_identifiers) {
      FUZZ_REQUIRE(k < want.size() && want[k] == v);
      ++k;
    }
    FUZZ_REQUIRE(k == want.size());
    FUZZ_REQUIRE(props.subscription_identifiers.size() == want.size());
  }
  check_single_values(props, ref, typename Props::fields{});
}

// Every view of a decoded packet points into the input (zero-copy decode), every list walks,
// and 3.x packets carry no properties.
inline void check_decoded(const mc::packet& pkt, mc::protocol_version v, mc::bytes_view input) {
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, mc::pingreq> || std::is_same_v<P, mc::pingresp>) {
          // no fields
        } else if constexpr (std::is_same_v<P, mc::connect>) {
          const bool v5 = p.version == mc::protocol_version::v5;
          FUZZ_REQUIRE(within(input, p.client_id));
          check_lazy_lists(p.props, input);
          FUZZ_REQUIRE(v5 || p.props.wire.empty());
          if (p.will) {
            FUZZ_REQUIRE(within(input, p.will->topic) && within(input, p.will->payload));
            FUZZ_REQUIRE(!p.will->topic.empty());
            check_lazy_lists(p.will->props, input);
            FUZZ_REQUIRE(v5 || p.will->props.wire.empty());
          }
          if (p.username) FUZZ_REQUIRE(within(input, *p.username));
          if (p.password) FUZZ_REQUIRE(within(input, *p.password));
        } else {
          check_lazy_lists(p.props, input);
          FUZZ_REQUIRE(v == mc::protocol_version::v5 || p.props.wire.empty());
          if constexpr (std::is_same_v<P, mc::publish>) {
            FUZZ_REQUIRE(within(input, p.topic) && within(input, p.payload));
            FUZZ_REQUIRE(p.qos == mc::qos::at_most_once || p.packet_id != 0);
          } else if constexpr (std::is_same_v<P, mc::subscribe>) {
            std::size_t n = 0;
            for (const mc::subscription& s : p.subscriptions) {
              FUZZ_REQUIRE(within(input, s.topic_filter));
              FUZZ_REQUIRE(mc::check_topic_filter_syntax(s.topic_filter, v).has_value());
              ++n;
            }
            FUZZ_REQUIRE(n >= 1 && n == p.subscriptions.size());
          } else if constexpr (std::is_same_v<P, mc::unsubscribe>) {
            std::size_t n = 0;
            for (const std::string_view f : p.topic_filters) {
              FUZZ_REQUIRE(within(input, f));
              FUZZ_REQUIRE(mc::check_topic_filter_syntax(f, v).has_value());
              ++n;
            }
            FUZZ_REQUIRE(n >= 1 && n == p.topic_filters.size());
          } else if constexpr (std::is_same_v<P, mc::suback> || std::is_same_v<P, mc::unsuback>) {
            FUZZ_REQUIRE(within(input, p.reason_codes));
          }
        }
      },
      pkt);
}

// ---------------------------------------------------------------------------------------------
// The round-trip oracle: a decoded packet encodes, through every sink, to bytes that decode
// strictly (same version) to an equal packet and encode again to the same bytes.

template <mc::protocol_version V>
mc::result<std::size_t> encode_compile_time(const mc::packet& pkt, mc::mutable_bytes_view out) {
  return std::visit([&](const auto& p) { return mc::encode<V>(p, out); }, pkt);
}

// encode<V> of `pkt` for V = `v`.
inline mc::result<std::size_t> encode_compile_time(const mc::packet& pkt, mc::protocol_version v,
                                                   mc::mutable_bytes_view out) {
  switch (v) {
    case mc::protocol_version::v31: return encode_compile_time<mc::protocol_version::v31>(pkt, out);
    case mc::protocol_version::v311:
      return encode_compile_time<mc::protocol_version::v311>(pkt, out);
    default: return encode_compile_time<mc::protocol_version::v5>(pkt, out);
  }
}

// A CONNECT whose level is set carries it: encode<V> refuses one of another level
// (invalid_version), which the run-time encode takes from the packet.
inline bool compile_time_refuses_level(const mc::packet& pkt, mc::protocol_version v) {
  const auto* c = std::get_if<mc::connect>(&pkt);
  return c != nullptr && c->version != mc::protocol_version{} && c->version != v;
}

// encode<V> for V = `v` writes `want`, what the run-time encode wrote.
inline void check_compile_time_encode(const mc::packet& pkt, mc::protocol_version v,
                                      mc::bytes_view want) {
  std::vector<std::uint8_t> buf(want.size() + 8);
  const auto r = encode_compile_time(pkt, v, mc::mutable_bytes_view(buf));
  if (compile_time_refuses_level(pkt, v)) {
    FUZZ_REQUIRE(!r && r.error().code == mc::errc::invalid_version);
    return;
  }
  FUZZ_REQUIRE(r.has_value() && *r == want.size());
  FUZZ_REQUIRE(mc::bytes_view(buf.data(), *r) == want);
}

// Copies the User Properties of `props` into `store` and points the list at the copy: the same
// pairs, which the encoder then writes one by one instead of copying decoded bytes.
template <class Props>
void spell_user_properties(Props& props, std::vector<std::vector<mc::string_pair>>& store) {
  if constexpr (std::is_base_of_v<mc::property::user_properties_field, Props>) {
    const auto& list = props.user_properties;
    store.emplace_back(list.begin(), list.end());
    props.user_properties = mc::user_property_list(store.back().data(), store.back().size());
  }
}

// A decoded packet whose User Properties the decoder marked as their own encoding
// (lazy_list::encoded_bytes) encodes to `want`, the same bytes as with them spelled out.
inline void check_copied_user_properties(const mc::packet& pkt, mc::protocol_version v,
                                         mc::bytes_view want) {
  std::vector<std::vector<mc::string_pair>> store;
  store.reserve(2);  // a CONNECT has two property blocks; the pointers into store must stay
  mc::packet spelled = pkt;
  std::visit(
      [&](auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, mc::connect>) {
          spell_user_properties(p.props, store);
          if (p.will) spell_user_properties(p.will->props, store);
        } else if constexpr (!std::is_same_v<P, mc::pingreq> && !std::is_same_v<P, mc::pingresp>) {
          spell_user_properties(p.props, store);
        }
      },
      spelled);
  std::vector<std::uint8_t> buf(want.size());
  const auto n = mc::encode(spelled, v, mc::mutable_bytes_view(buf));
  FUZZ_REQUIRE(n.has_value() && *n == want.size() && mc::bytes_view(buf) == want);
}

// `lenient_utf8`: the packet was decoded with skip_utf8_validation, so its strings may be
// ones the encoder must refuse.
inline void check_round_trip(const mc::packet& pkt, mc::protocol_version v, mc::bytes_view input,
                             bool lenient_utf8) {
  const auto size = mc::encoded_size(pkt, v);
  // Room for more than the input, so that an encoding longer than the input is seen, not
  // masked as buffer_too_small.
  std::vector<std::uint8_t> buf(input.size() + 64);
  mc::span_sink span{mc::mutable_bytes_view(buf)};
  const auto written = mc::encode(pkt, v, span);
  if (!size) {
    check_error(size.error(), 0, false);
    FUZZ_REQUIRE(lenient_utf8);
    FUZZ_REQUIRE(size.error().code == mc::errc::invalid_utf8 ||
                 size.error().code == mc::errc::utf8_null_character);
    FUZZ_REQUIRE(!written && written.error().code == size.error().code);
    FUZZ_REQUIRE(span.size() == 0);
    // Into a plain byte range (a 3.x PUBLISH tries its fast path first): refused the same way.
    const auto plain = mc::encode(pkt, v, mc::mutable_bytes_view(buf));
    FUZZ_REQUIRE(!plain && plain.error().code == size.error().code);
    return;
  }
  FUZZ_REQUIRE(written.has_value());
  FUZZ_REQUIRE(*written == *size && span.size() == *size);
  // Our encoder writes the shortest forms, so it never needs more bytes than the peer used.
  FUZZ_REQUIRE(*size <= input.size());
  const mc::bytes_view out = span.written();
  check_copied_user_properties(pkt, v, out);

  std::vector<std::uint8_t> grown;
  mc::container_sink<std::vector<std::uint8_t>> grow{grown};
  const auto g = mc::encode(pkt, v, grow);
  FUZZ_REQUIRE(g.has_value() && *g == *size && mc::bytes_view(grown) == out);

  std::vector<std::uint8_t> header(*size);
  mc::gather_sink gather{mc::mutable_bytes_view(header)};
  const auto gs = mc::encode(pkt, v, gather);
  FUZZ_REQUIRE(gs.has_value() && *gs == *size && gather.size() == *size);
  FUZZ_REQUIRE(gather.header() == out.subview(0, gather.header().size()));
  FUZZ_REQUIRE(gather.payload() == out.subview(gather.header().size()));
  if (const auto* pub = std::get_if<mc::publish>(&pkt)) {
    // The gathered payload is the caller's (here: the input's) bytes, not a copy.
    FUZZ_REQUIRE(gather.payload().data() == pub->payload.data() || pub->payload.empty());
  }

  // Into a plain byte range of the exact size (a 3.x PUBLISH tries its fast path first).
  {
    std::vector<std::uint8_t> exact(*size);
    const auto e = mc::encode(pkt, v, mc::mutable_bytes_view(exact));
    FUZZ_REQUIRE(e.has_value() && *e == *size && mc::bytes_view(exact) == out);
  }

  // One byte short: refused, and nothing written past the bound.
  {
    std::vector<std::uint8_t> small(*size - 1);
    const auto s = mc::encode(pkt, v, mc::mutable_bytes_view(small));
    FUZZ_REQUIRE(!s && s.error().code == mc::errc::buffer_too_small);
  }

  // encode_to_fit: at the packet's own size it drops nothing and writes the same bytes; one
  // byte under, it fits by dropping (the Reason String, then the User Properties) what then
  // decodes, or refuses with packet_too_large.
  {
    std::vector<std::uint8_t> fit(*size);
    const auto own = static_cast<std::uint32_t>(*size);
    const auto same = mc::encode_to_fit(pkt, v, own, mc::mutable_bytes_view(fit));
    FUZZ_REQUIRE(same && same->size == *size && !same->dropped_reason_string &&
                 !same->dropped_user_properties && mc::bytes_view(fit) == out);
    const auto under = mc::encode_to_fit(pkt, v, own - 1, mc::mutable_bytes_view(fit));
    if (under) {
      FUZZ_REQUIRE(under->size < *size);
      FUZZ_REQUIRE(under->dropped_reason_string || under->dropped_user_properties);
      const auto back = mc::decode(mc::bytes_view(fit.data(), under->size), v);
      FUZZ_REQUIRE(back && back->index() == pkt.index());
    } else {
      FUZZ_REQUIRE(under.error().code == mc::errc::packet_too_large);
    }
  }

  check_compile_time_encode(pkt, v, out);

  const exact_buffer again(out);
  const auto back = mc::decode(again.view(), v);
  if (!back) {
    std::fprintf(stderr, "re-decode failed: %s at %u\n", mc::name(back.error().code),
                 back.error().offset);
  }
  FUZZ_REQUIRE(back.has_value());
  FUZZ_REQUIRE(*back == pkt);
  check_decoded(*back, v, again.view());

  std::vector<std::uint8_t> buf2(*size);
  const auto w2 = mc::encode(*back, v, mc::mutable_bytes_view(buf2));
  FUZZ_REQUIRE(w2.has_value() && *w2 == *size && mc::bytes_view(buf2) == out);
}

}  // namespace fuzz

#endif

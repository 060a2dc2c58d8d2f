// Fuzz target for encoding from fields: the packets a caller builds, with any field values,
// invalid ones included, not only the ones a decoder produces (fuzz_decode's round trip only
// encodes packets that decoded).
//
// Input: two option bytes, then the field values, read in order by `source` (a field whose
// bytes have run out reads as 0 or empty).
//   byte 0, bits 0-1  the version (fuzz::version_from)
//           bit 2     set the properties (5.0 packets; in 3.x the encoder must refuse them)
//           bit 3     strings may be long: 65,535 or 65,536 bytes (max_field_size and one past)
//   byte 1            the packet type, as the index of its alternative in mc::packet
//
// Lists hold 0-3 elements, or 4-67 when the length byte's top two bits are set.
//
// Oracle ("encoding refuses what the decoder would reject"):
// - encoded_size, a span_sink, a growable container, a byte range (where a 3.x PUBLISH takes
//   its fast path) and the compile-time encode<V> agree: the same size and bytes, or the same
//   error, which is well formed and has no offset;
// - one byte of room short, the encoder refuses with buffer_too_small;
// - what it writes decodes strictly, with the same version, to a packet equal to the one
//   encoded, which then passes fuzz_decode's whole round-trip oracle;
// - encode_publish_head of a PUBLISH, with a payload rest of any size: encode's bytes with the
//   longer remaining length, or packet_too_large past the largest; the same through a size
//   count, a container, a gather sink and encode_publish_head<V>;
// - encode_to_fit for a peer maximum at or below the size: the Reason String left out first,
//   the User Properties only when that was not enough, packet_too_large only when neither is,
//   and what it writes decodes to the packet less what it reports left out.
//
// Seed corpus (fuzz/corpus/fuzz_encode): what this target found in 4 minutes from an empty
// corpus (`-max_len=4096 -dict=fuzz/mqtt.dict`, then `-merge=1`), since its input is not a
// packet that tools/make_corpus.py could take from recorded traffic.
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "fuzz_common.hpp"

namespace mc = mqttcodec;

namespace {

// Reads field values from the input; past its end every value is 0 and every string empty.
class source {
 public:
  source(const std::uint8_t* data, std::size_t size, bool long_strings)
      : p_(data), end_(data + size), long_strings_(long_strings) {}

  std::uint8_t u8() { return p_ != end_ ? *p_++ : 0; }
  bool flag() { return (u8() & 1u) != 0; }
  std::uint16_t u16() {
    const std::uint8_t hi = u8();
    return static_cast<std::uint16_t>(hi << 8 | u8());
  }
  // Mostly the values the rules are about (0, 1, the varint limit and one past it).
  std::uint32_t u32() {
    switch (const std::uint8_t k = u8(); k & 7u) {
      case 0: return 0;
      case 1: return 1;
      case 2: return mc::max_varint;
      case 3: return mc::max_varint + 1;
      case 4: return 0xFFFFFFFFu;
      default: {
        const std::uint32_t middle = u16();
        return static_cast<std::uint32_t>(k >> 3) << 24 | middle << 8 | u8();
      }
    }
  }
  // Up to 31 bytes of the input, any bytes (UTF-8 or not, wildcards, U+0000), or a long
  // string (65,535 bytes, the largest field, or 65,536, one too many) of 'a' whose byte
  // 65,535 is an 'a', a '+', the lead byte of a cut UTF-8 sequence or U+0000.
  std::string_view str() {
    const std::uint8_t k = u8();
    if (long_strings_ && (k & 0xE0u) == 0xE0u) {
      return {long_text((k >> 1) & 3u).data(), mc::max_field_size + (k & 1u)};
    }
    std::size_t n = k & 0x1Fu;
    if (n > static_cast<std::size_t>(end_ - p_)) n = static_cast<std::size_t>(end_ - p_);
    const std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  // A list's length: mostly 0-3, at times (the byte's top two bits set) 4-67, long enough
  // for the loops over a list to run past any unrolled or special-cased first elements.
  std::size_t count() {
    const std::uint8_t k = u8();
    return (k & 0xC0u) == 0xC0u ? 4u + (k & 0x3Fu) : k & 3u;
  }
  mc::bytes_view bin() {
    const std::string_view s = str();
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
  }
  template <class E>
  E enum_value() {
    static_assert(std::is_same_v<std::underlying_type_t<E>, std::uint8_t>);
    return static_cast<E>(u8());  // any byte: the enums are uint8_t, invalid values included
  }
  // A small enum value, mostly valid: 0-3 (qos 3 and retain handling 3 are invalid), at times
  // any byte.
  template <class E>
  E small_enum() {
    const std::uint8_t k = u8();
    return static_cast<E>((k & 0xF0u) == 0xF0u ? k : (k & 3u));
  }

 private:
  static const std::string& long_text(unsigned which) {
    static const std::string texts[4] = {with_last(0), with_last(1), with_last(2), with_last(3)};
    return texts[which];
  }
  static std::string with_last(unsigned which) {
    std::string s(mc::max_field_size + 1, 'a');
    const char last[4] = {'a', '+', '\xC3', '\0'};
    s[mc::max_field_size - 1] = last[which];
    return s;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool long_strings_;
};

// Owns the arrays that a packet's lists point into, for as long as the packet is checked.
struct storage {
  storage() {
    pairs.reserve(2);  // a CONNECT has two property blocks; pointers into pairs must stay
  }
  std::vector<std::vector<mc::string_pair>> pairs;
  std::vector<std::uint32_t> ids;
  std::vector<mc::subscription> subscriptions;
  std::vector<std::string_view> filters;
};

template <class F, class Props>
void fill_field(source& in, Props& props, storage& store) {
  if (!in.flag()) return;
  if constexpr (std::is_same_v<F, mc::property::user_properties_field>) {
    auto& pairs = store.pairs.emplace_back();
    for (std::size_t n = in.count(); n > 0; --n) pairs.push_back({in.str(), in.str()});
    props.user_properties = mc::user_property_list(pairs.data(), pairs.size());
  } else if constexpr (std::is_same_v<F, mc::property::subscription_identifiers_field>) {
    for (std::size_t n = in.count(); n > 0; --n) store.ids.push_back(in.u32());
    props.subscription_identifiers =
        mc::subscription_identifier_list(store.ids.data(), store.ids.size());
  } else {
    using T = typename F::value_type;
    auto& field = static_cast<F&>(props).get();
    if constexpr (std::is_same_v<T, bool>) {
      field = in.flag();
    } else if constexpr (std::is_same_v<T, std::uint16_t>) {
      field = in.flag() ? std::uint16_t{0} : in.u16();
    } else if constexpr (std::is_same_v<T, std::uint32_t>) {
      field = in.u32();
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      field = in.str();
    } else if constexpr (std::is_same_v<T, mc::bytes_view>) {
      field = in.bin();
    } else {
      field = in.small_enum<T>();  // payload_format, qos
    }
  }
}

template <class Props, class... F>
void fill_properties(source& in, Props& props, storage& store, mc::detail::type_list<F...>) {
  (fill_field<F>(in, props, store), ...);
}

template <class Props>
void fill_properties(source& in, bool wanted, Props& props, storage& store) {
  if (wanted) fill_properties(in, props, store, typename Props::fields{});
}

// The packet of alternative `index` of mc::packet, its fields read from `in`.
mc::packet build(std::uint8_t index, source& in, bool props, storage& store) {
  auto ack = [&](auto p) {
    p.packet_id = in.flag() ? std::uint16_t{0} : in.u16();
    p.reason_code = in.enum_value<mc::reason_code>();
    fill_properties(in, props, p.props, store);
    return mc::packet{p};
  };
  auto reasons = [&](auto p) {
    p.packet_id = in.u16();
    p.reason_codes = in.bin();
    fill_properties(in, props, p.props, store);
    return mc::packet{p};
  };
  switch (index % std::variant_size_v<mc::packet>) {
    case 0: {
      mc::connect c;
      // Mostly a known level; at times unset (the version encoded) or unknown, which the
      // encoder must refuse.
      const std::uint8_t level = in.u8();
      c.version = (level & 0xF0u) == 0xF0u ? static_cast<mc::protocol_version>(level & 0x0Fu)
                                           : fuzz::version_from(level);
      c.client_id = in.str();
      c.clean_start = in.flag();
      c.keep_alive = in.u16();
      if (in.flag()) {
        mc::will_message& w = c.will.emplace();
        w.topic = in.str();
        w.payload = in.bin();
        w.qos = in.small_enum<mc::qos>();
        w.retain = in.flag();
        fill_properties(in, props, w.props, store);
      }
      if (in.flag()) c.username = in.str();
      if (in.flag()) c.password = in.bin();
      fill_properties(in, props, c.props, store);
      return c;
    }
    case 1: {
      mc::connack c;
      c.session_present = in.flag();
      c.reason_code = in.enum_value<mc::reason_code>();
      fill_properties(in, props, c.props, store);
      return c;
    }
    case 2: {
      mc::publish p;
      p.topic = in.str();
      p.payload = in.bin();
      p.qos = in.small_enum<mc::qos>();
      p.retain = in.flag();
      p.dup = in.flag();
      p.packet_id = in.flag() ? std::uint16_t{0} : in.u16();
      fill_properties(in, props, p.props, store);
      return p;
    }
    case 3: return ack(mc::puback{});
    case 4: return ack(mc::pubrec{});
    case 5: return ack(mc::pubrel{});
    case 6: return ack(mc::pubcomp{});
    case 7: {
      mc::subscribe s;
      s.packet_id = in.u16();
      for (std::size_t n = in.count(); n > 0; --n) {
        mc::subscription sub;
        sub.topic_filter = in.str();
        sub.options.max_qos = in.small_enum<mc::qos>();
        sub.options.no_local = in.flag();
        sub.options.retain_as_published = in.flag();
        sub.options.retain = in.small_enum<mc::retain_handling>();
        store.subscriptions.push_back(sub);
      }
      s.subscriptions =
          mc::subscription_list(store.subscriptions.data(), store.subscriptions.size());
      fill_properties(in, props, s.props, store);
      return s;
    }
    case 8: return reasons(mc::suback{});
    case 9: {
      mc::unsubscribe u;
      u.packet_id = in.u16();
      for (std::size_t n = in.count(); n > 0; --n) store.filters.push_back(in.str());
      u.topic_filters = mc::topic_filter_list(store.filters.data(), store.filters.size());
      fill_properties(in, props, u.props, store);
      return u;
    }
    case 10: return reasons(mc::unsuback{});
    case 11: return mc::pingreq{};
    case 12: return mc::pingresp{};
    case 13: {
      mc::disconnect d;
      d.reason_code = in.enum_value<mc::reason_code>();
      fill_properties(in, props, d.props, store);
      return d;
    }
    default: {
      mc::auth a;
      a.reason_code = in.enum_value<mc::reason_code>();
      fill_properties(in, props, a.props, store);
      return a;
    }
  }
}

// `size`: encoded_size(pkt, v).
void check(const mc::packet& pkt, mc::protocol_version v, const mc::result<std::size_t>& size) {
  std::vector<std::uint8_t> grown;
  mc::container_sink<std::vector<std::uint8_t>> grow{grown};
  const auto g = mc::encode(pkt, v, grow);
  // field_not_in_version() names a field exactly when the encoder refuses one: it repeats the
  // plans' knowledge of 5.0-only fields, and this keeps the two in step.
  const bool named = static_cast<bool>(mc::field_not_in_version(pkt, v));
  if (!size && size.error().code == mc::errc::field_not_in_version) FUZZ_REQUIRE(named);
  if (size) FUZZ_REQUIRE(!named);

  if (!size) {
    const mc::error& e = size.error();
    fuzz::check_error(e, 0, false);
    FUZZ_REQUIRE(!g && fuzz::same_error(g.error(), e) && grown.empty());
    // The plan fails before any room is asked for: a buffer of any size gets the same error.
    std::uint8_t one = 0xA5;
    const auto r = mc::encode(pkt, v, mc::mutable_bytes_view(&one, 1));
    FUZZ_REQUIRE(!r && fuzz::same_error(r.error(), e) && one == 0xA5);
    mc::span_sink span{mc::mutable_bytes_view(&one, 1)};
    const auto s = mc::encode(pkt, v, span);
    FUZZ_REQUIRE(!s && fuzz::same_error(s.error(), e) && span.size() == 0);
    const auto ct = fuzz::encode_compile_time(pkt, v, mc::mutable_bytes_view(&one, 1));
    FUZZ_REQUIRE(!ct && one == 0xA5);
    if (!fuzz::compile_time_refuses_level(pkt, v)) FUZZ_REQUIRE(fuzz::same_error(ct.error(), e));
    return;
  }

  FUZZ_REQUIRE(g.has_value() && *g == *size && grown.size() == *size);
  const mc::bytes_view out(grown);
  {
    std::vector<std::uint8_t> exact(*size);
    const auto r = mc::encode(pkt, v, mc::mutable_bytes_view(exact));
    FUZZ_REQUIRE(r.has_value() && *r == *size && mc::bytes_view(exact) == out);
    mc::span_sink span{mc::mutable_bytes_view(exact)};
    const auto s = mc::encode(pkt, v, span);
    FUZZ_REQUIRE(s.has_value() && *s == *size && span.written() == out);
  }
  {
    std::vector<std::uint8_t> small(*size - 1);
    const auto r = mc::encode(pkt, v, mc::mutable_bytes_view(small));
    FUZZ_REQUIRE(!r && r.error().code == mc::errc::buffer_too_small);
  }
  // The caller's lists, not the decoded ones that check_round_trip encodes below.
  fuzz::check_compile_time_encode(pkt, v, out);

  // What the encoder accepted, the decoder accepts, and reads back as the same packet.
  const fuzz::exact_buffer wire(out);
  const auto back = mc::decode(wire.view(), v);
  if (!back) {
    std::fprintf(stderr, "encoded, then failed to decode: %s at %u (%s)\n",
                 mc::name(back.error().code), back.error().offset,
                 back.error().rule != nullptr ? back.error().rule : "no rule");
  }
  FUZZ_REQUIRE(back.has_value());
  mc::packet want = pkt;  // decoding sets the level of a CONNECT encoded without one
  if (auto* c = std::get_if<mc::connect>(&want);
      c != nullptr && c->version == mc::protocol_version{})
    c->version = v;
  FUZZ_REQUIRE(*back == want);
  fuzz::check_round_trip(*back, v, wire.view(), false);
}

template <mc::protocol_version V>
mc::result<std::size_t> head_ct(const mc::publish& p, std::size_t after,
                                std::vector<std::uint8_t>& out) {
  return mc::encode_publish_head<V>(p, after, mc::mutable_bytes_view(out));
}

// encode_publish_head's answer `h` (the bytes in `head`) is every sink's and encode_publish_head
// <V>'s: a size count, a growable container, a gather sink (the head's payload part the
// caller's bytes, not a copy).
void check_head_sinks(const mc::publish& p, mc::protocol_version v, std::size_t after,
                      const mc::result<std::size_t>& h, const std::vector<std::uint8_t>& head) {
  const mc::bytes_view written = h ? mc::bytes_view(head.data(), *h) : mc::bytes_view();
  mc::size_sink counter;
  FUZZ_REQUIRE(fuzz::same_outcome(mc::encode_publish_head(p, after, v, counter), h));
  FUZZ_REQUIRE(counter.size == (h ? *h : 0));
  std::vector<std::uint8_t> grown;
  mc::container_sink<std::vector<std::uint8_t>> grow{grown};
  FUZZ_REQUIRE(fuzz::same_outcome(mc::encode_publish_head(p, after, v, grow), h));
  FUZZ_REQUIRE(mc::bytes_view(grown) == written);
  std::vector<std::uint8_t> header(head.size());
  mc::gather_sink gather{mc::mutable_bytes_view(header)};
  FUZZ_REQUIRE(fuzz::same_outcome(mc::encode_publish_head(p, after, v, gather), h));
  if (h) {
    FUZZ_REQUIRE(gather.size() == *h &&
                 gather.header() == written.subview(0, gather.header().size()));
    FUZZ_REQUIRE(gather.payload() == written.subview(gather.header().size()));
    FUZZ_REQUIRE(gather.payload().empty() || gather.payload().data() == p.payload.data());
  }
  std::vector<std::uint8_t> ct(head.size());
  const auto c = v == mc::protocol_version::v31 ? head_ct<mc::protocol_version::v31>(p, after, ct)
                 : v == mc::protocol_version::v311
                     ? head_ct<mc::protocol_version::v311>(p, after, ct)
                     : head_ct<mc::protocol_version::v5>(p, after, ct);
  FUZZ_REQUIRE(fuzz::same_outcome(c, h));
  if (h) FUZZ_REQUIRE(mc::bytes_view(ct.data(), *c) == written);
}

// encode_publish_head with `after` more payload bytes to come: encode's error for the PUBLISH
// as it is; packet_too_large when the remaining length with `after` more would pass
// max_varint; else what encode writes, with that remaining length in the fixed header.
void check_publish_head(const mc::publish& p, mc::protocol_version v, std::size_t after) {
  std::vector<std::uint8_t> whole;
  mc::container_sink<std::vector<std::uint8_t>> grow{whole};
  const auto w = mc::encode(p, v, grow);
  std::vector<std::uint8_t> head(w ? *w + 4 : 16);  // room for a longer remaining length
  const auto h = mc::encode_publish_head(p, after, v, mc::mutable_bytes_view(head));
  check_head_sinks(p, v, after, h, head);
  if (!w) {
    FUZZ_REQUIRE(!h && fuzz::same_error(h.error(), w.error()));
    return;
  }
  const mc::frame f = mc::next_frame(mc::bytes_view(whole));
  FUZZ_REQUIRE(f.status == mc::frame_status::complete);
  // In 64 bits: `after` may be near 4 GiB where size_t has 32.
  const std::uint64_t rl = std::uint64_t{f.remaining_length} + after;
  if (rl > mc::max_varint) {
    FUZZ_REQUIRE(!h && h.error().code == mc::errc::packet_too_large);
    return;
  }
  const std::size_t header = 1 + mc::varint_size(static_cast<std::uint32_t>(rl));
  FUZZ_REQUIRE(h.has_value() && *h == header + f.remaining_length);
  const mc::frame hf = mc::next_frame(mc::bytes_view(head.data(), *h));
  FUZZ_REQUIRE(head[0] == whole[0] && hf.header_size == header && hf.remaining_length == rl);
  FUZZ_REQUIRE(mc::bytes_view(head.data() + header, f.remaining_length) ==
               mc::bytes_view(whole).subview(f.header_size));
}

// `pkt` less its Reason String and/or its User Properties, where it may carry them.
mc::packet without(const mc::packet& pkt, bool reason_string, bool user_properties) {
  mc::packet less = pkt;
  std::visit(
      [&](auto& p) {
        if constexpr (mc::detail::has_reason_string<std::decay_t<decltype(p)>>) {
          if (reason_string) p.props.reason_string.reset();
          if (user_properties) p.props.user_properties = mc::user_property_list{};
        }
      },
      less);
  return less;
}

// encode_to_fit for a peer whose maximum is `limit` (`size`: encoded_size(pkt, v)): encode's
// error; the packet unchanged when it fits; else it leaves out the Reason String first, the
// User Properties only when that was not enough, and gives packet_too_large only when
// neither helps; what it writes decodes to the packet less what it reports left out.
void check_fit(const mc::packet& pkt, mc::protocol_version v, const mc::result<std::size_t>& size,
               std::uint32_t limit) {
  std::vector<std::uint8_t> buf(size ? *size : 16);
  const auto fit = mc::encode_to_fit(pkt, v, limit, mc::mutable_bytes_view(buf));
  if (!size) {
    FUZZ_REQUIRE(!fit && fuzz::same_error(fit.error(), size.error()));
    return;
  }
  if (*size <= limit) {
    FUZZ_REQUIRE(fit && fit->size == *size && !fit->dropped_reason_string &&
                 !fit->dropped_user_properties);
    return;
  }
  auto fits = [&](const mc::packet& p) {
    const auto n = mc::encoded_size(p, v);
    return n && *n <= limit;
  };
  if (!fit) {
    FUZZ_REQUIRE(fit.error().code == mc::errc::packet_too_large);
    FUZZ_REQUIRE(!fits(without(pkt, true, true)));
    return;
  }
  const bool reason = fit->dropped_reason_string;
  const bool users = fit->dropped_user_properties;
  FUZZ_REQUIRE(fit->size <= limit && (reason || users));
  FUZZ_REQUIRE(!reason || without(pkt, true, false) != pkt);  // it had one to leave out
  FUZZ_REQUIRE(!users || without(pkt, false, true) != pkt);
  FUZZ_REQUIRE(!users || !fits(without(pkt, true, false)));
  const fuzz::exact_buffer wire(mc::bytes_view(buf.data(), fit->size));
  const auto back = mc::decode(wire.view(), v);
  FUZZ_REQUIRE(back.has_value() && *back == without(pkt, reason, users));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t options = data[0];
  const mc::protocol_version v = fuzz::version_from(options);
  source in(data + 2, size - 2, (options & 0x08u) != 0);
  storage store;
  const mc::packet pkt = build(data[1], in, (options & 0x04u) != 0, store);
  const auto encoded = mc::encoded_size(pkt, v);
  check(pkt, v, encoded);
  // The bytes left after the fields choose the payload still to come and the peer's maximum.
  if (const auto* p = std::get_if<mc::publish>(&pkt)) {
    const std::uint8_t k = in.u8();
    check_publish_head(*p, v, (k & 0x80u) != 0 ? in.u32() : std::size_t{in.u16()});
  }
  const std::uint8_t k = in.u8();
  const std::uint32_t limit = (k & 0x80u) != 0 || !encoded ? in.u32()
                              : *encoded > (k & 0x7Fu)
                                  ? static_cast<std::uint32_t>(*encoded - (k & 0x7Fu))
                                  : 0u;
  check_fit(pkt, v, encoded, limit);
  return 0;
}

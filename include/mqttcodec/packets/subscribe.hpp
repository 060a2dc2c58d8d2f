// mqttcodec: SUBSCRIBE (§3.8), SUBACK (§3.9), UNSUBSCRIBE (§3.10) and UNSUBACK (§3.11).
#ifndef MQTTCODEC_PACKETS_SUBSCRIBE_HPP
#define MQTTCODEC_PACKETS_SUBSCRIBE_HPP

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <type_traits>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/codec.hpp"
#include "mqttcodec/detail/lazy_list.hpp"
#include "mqttcodec/properties.hpp"
#include "mqttcodec/reason_codes.hpp"
#include "mqttcodec/topic.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// One topic filter of a SUBSCRIBE with its options.
struct subscription {
  std::string_view topic_filter;  ///< non-empty; wildcards and `$share/` allowed
  subscription_options options;   ///< 3.x uses only the maximum QoS

  /// Field by field; views compare by content.
  friend bool operator==(const subscription& a, const subscription& b) noexcept {
    return a.topic_filter == b.topic_filter && a.options == b.options;
  }
  /// Not ==.
  friend bool operator!=(const subscription& a, const subscription& b) noexcept {
    return !(a == b);
  }
};

namespace detail {
// Walks payload entries packed back to back (every byte belongs to an entry), for lazy_list;
// `Fixed` is the number of bytes after the topic filter (the options byte of SUBSCRIBE).
template <std::size_t Fixed>
struct entry_walk {
  static constexpr bool encoded_form = false;
  static const std::uint8_t* next(const std::uint8_t* at, const std::uint8_t*) noexcept {
    return at + 2 + Fixed + load_u16(at);
  }
};

struct subscription_element : entry_walk<1> {
  using value_type = subscription;
  static subscription parse(const std::uint8_t* p) noexcept {
    const std::size_t n = load_u16(p);
    const std::uint8_t o = p[2 + n];
    subscription s;
    s.topic_filter = {reinterpret_cast<const char*>(p + 2), n};
    s.options.max_qos = static_cast<qos>(o & 0x03u);
    s.options.no_local = (o & 0x04u) != 0;
    s.options.retain_as_published = (o & 0x08u) != 0;
    s.options.retain = static_cast<retain_handling>((o >> 4) & 0x03u);
    return s;
  }
};
struct topic_filter_element : entry_walk<0> {
  using value_type = std::string_view;
  static std::string_view parse(const std::uint8_t* p) noexcept {
    return {reinterpret_cast<const char*>(p + 2), load_u16(p)};
  }
};
}  // namespace detail

/// The subscriptions of a SUBSCRIBE: after decoding, a walk of the validated payload; to
/// encode, point it at an array of subscriptions.
using subscription_list = detail::lazy_list<detail::subscription_element>;
/// The topic filters of an UNSUBSCRIBE, a list like subscription_list over `std::string_view`.
using topic_filter_list = detail::lazy_list<detail::topic_filter_element>;

/// SUBSCRIBE: at least one topic filter with options.
struct subscribe {
  static constexpr packet_type type = packet_type::subscribe;  ///< for generic code

  std::uint16_t packet_id = 0;      ///< non-zero
  subscription_list subscriptions;  ///< at least one, in order
  subscribe_properties props;       ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const subscribe& a, const subscribe& b) noexcept {
    return a.packet_id == b.packet_id && a.subscriptions == b.subscriptions && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const subscribe& a, const subscribe& b) noexcept { return !(a == b); }
};

/// SUBACK: one reason code (3.x: return code) per subscription, in order.
struct suback {
  static constexpr packet_type type = packet_type::suback;  ///< for generic code

  std::uint16_t packet_id = 0;  ///< the SUBSCRIBE's
  bytes_view reason_codes;  ///< each byte a reason_code (3.1.1: 0, 1, 2 or 0x80; 3.1: 0, 1 or 2)
  suback_properties props;  ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const suback& a, const suback& b) noexcept {
    return a.packet_id == b.packet_id && a.reason_codes == b.reason_codes && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const suback& a, const suback& b) noexcept { return !(a == b); }
};

/// UNSUBSCRIBE: at least one topic filter.
struct unsubscribe {
  static constexpr packet_type type = packet_type::unsubscribe;  ///< for generic code

  std::uint16_t packet_id = 0;      ///< non-zero
  topic_filter_list topic_filters;  ///< at least one, in order
  unsubscribe_properties props;     ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const unsubscribe& a, const unsubscribe& b) noexcept {
    return a.packet_id == b.packet_id && a.topic_filters == b.topic_filters && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const unsubscribe& a, const unsubscribe& b) noexcept { return !(a == b); }
};

/// UNSUBACK. In 5.0 one reason code per topic filter; 3.x carries only the packet id.
struct unsuback {
  static constexpr packet_type type = packet_type::unsuback;  ///< for generic code

  std::uint16_t packet_id = 0;  ///< the UNSUBSCRIBE's
  bytes_view reason_codes;      ///< 5.0 only: each byte a reason_code
  unsuback_properties props;    ///< 5.0 only

  /// Field by field; views compare by content.
  friend bool operator==(const unsuback& a, const unsuback& b) noexcept {
    return a.packet_id == b.packet_id && a.reason_codes == b.reason_codes && a.props == b.props;
  }
  /// Not ==.
  friend bool operator!=(const unsuback& a, const unsuback& b) noexcept { return !(a == b); }
};

namespace detail {

// check_topic_filter_syntax for version `ver`: for a compile-time 3.x version, without the
// shared subscriptions of 5.0.
template <class V>
result<void> check_filter_syntax(std::string_view f, const V& ver) noexcept {
  if (ver.is_v5()) return check_topic_filter_syntax(f, protocol_version::v5);
  return check_plain_filter_syntax(f, topic_rules(ver.get()));
}

// Reads one topic filter of SUBSCRIBE / UNSUBSCRIBE and checks its syntax.
template <class V>
bool read_topic_filter(reader& r, const V& ver, std::string_view& filter) {
  const std::uint8_t* field = r.p;
  if (!r.string(filter)) return false;
  auto ok = check_filter_syntax(filter, ver);
  if (MQTTCODEC_UNLIKELY(!ok)) {
    r.err = ok.error();
    r.err.offset += r.offset_of(field) + 2;
    return false;
  }
  return true;
}

// Checks one subscription options byte; the offset is the byte's.
inline bool check_options(reader& r, bool v5, std::uint8_t o, std::string_view filter) {
  if (!v5) {
    if (o & 0xFCu)
      return r.fail(errc::invalid_subscription_options, rule::subscribe_options_reserved);
    if ((o & 0x03u) == 3) {
      return r.fail(errc::invalid_subscription_qos, rule::subscribe_options_reserved);
    }
    return true;
  }
  if (o & 0xC0u)
    return r.fail(errc::invalid_subscription_options, rule::subscribe_options_reserved);
  // 5.0 §3.8.3.1: "It is a Protocol Error if the Maximum QoS field has the value 3".
  if ((o & 0x03u) == 3) return r.fail(errc::invalid_subscription_qos, rule::none);
  if (((o >> 4) & 0x03u) == 3)
    return r.fail(errc::invalid_retain_handling, rule::subscribe_retain_handling);
  if ((o & 0x04u) && is_shared_subscription(filter)) {
    return r.fail(errc::shared_subscription_no_local, rule::subscribe_no_local_shared);
  }
  return true;
}

inline std::uint8_t options_byte(const subscription_options& o) noexcept {
  return static_cast<std::uint8_t>(static_cast<unsigned>(o.max_qos) | (o.no_local ? 0x04u : 0u) |
                                   (o.retain_as_published ? 0x08u : 0u) |
                                   (static_cast<unsigned>(o.retain) << 4));
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V& ver, subscribe& out) {
  if (!read_packet_id(r, out.packet_id) || !read_properties_if_v5(r, ver, out.props)) return false;
  if (r.left() == 0) return r.fail(errc::no_topic_filters, rule::subscribe_nonempty);
  const std::uint8_t* payload = r.p;
  do {
    std::string_view filter;
    std::uint8_t o = 0;
    if (!read_topic_filter(r, ver, filter) || !r.u8(o)) return false;
    r.p -= 1;
    if (!check_options(r, ver.is_v5(), o, filter)) return false;
    r.p += 1;
  } while (r.left() != 0);
  out.subscriptions =
      subscription_list::from_wire(bytes_view(payload, static_cast<std::size_t>(r.p - payload)));
  return true;
}

// The refusal of a filter whose string check failed. Out of line: inside check_filter_field
// it made GCC stop inlining that function into the plans (3.1.1 SUBSCRIBE encode<v311> 391 ->
// 440 instructions).
MQTTCODEC_COLD inline plan_status filter_string_error(errc e, bool v5) noexcept {
  return plan_error(e, topic_string_rule(e), v5);
}

// Encode-side check of one topic filter.
template <class V>
plan_status check_filter_field(std::string_view f, const V& ver) {
  if (const errc e = check_string_field(f); e != errc{}) return filter_string_error(e, ver.is_v5());
  auto ok = check_filter_syntax(f, ver);
  if (!ok) return {ok.error().code, 0, ok.error().rule};
  return plan_ok;
}

template <class V>
plan_status plan(const subscribe& s, const V& ver, encode_plan& plan) {
  const bool v5 = ver.is_v5();
  plan.first_byte = fixed_first_byte(packet_type::subscribe);
  if (s.packet_id == 0) return plan_error(errc::zero_packet_id, rule::packet_id_nonzero, v5);
  plan.remaining_length = 2;
  if (s.subscriptions.empty())
    return plan_error(errc::no_topic_filters, rule::subscribe_nonempty, v5);
  subscription sub;
  for (subscription_list::cursor c(s.subscriptions); c.next(sub);) {
    if (const plan_status st = check_filter_field(sub.topic_filter, ver); st.failed()) {
      return st;
    }
    const subscription_options& o = sub.options;
    if (static_cast<unsigned>(o.max_qos) > 2) {
      // 3.x reserves the byte's value 3 [MQTT-3.8.3-4]; 5.0 calls it a Protocol Error unnumbered.
      return plan_error(errc::invalid_subscription_qos,
                        v5 ? rule::none : rule::subscribe_options_reserved, v5);
    }
    if (!v5 &&
        (o.no_local || o.retain_as_published || o.retain != retain_handling::send_on_subscribe)) {
      return plan_error(errc::field_not_in_version, rule::subscribe_options_reserved, v5);
    }
    if (static_cast<unsigned>(o.retain) > 2) {
      return plan_error(errc::invalid_retain_handling, rule::subscribe_retain_handling, v5);
    }
    if (o.no_local && is_shared_subscription(sub.topic_filter)) {
      return plan_error(errc::shared_subscription_no_local, rule::subscribe_no_local_shared, v5);
    }
    add_size(plan.remaining_length, 3 + sub.topic_filter.size());
    if (past_largest_packet(plan.remaining_length)) break;
  }
  return plan_properties(ver, s.props, plan, plan.props_size);
}

template <class V>
void write_body(writer& w, const subscribe& s, const V& ver, const encode_plan& plan) {
  w.u16(s.packet_id);
  if (ver.is_v5()) write_properties(w, s.props, plan.props_size);
  subscription sub;
  for (subscription_list::cursor c(s.subscriptions); c.next(sub);) {
    w.string(sub.topic_filter);
    w.u8(options_byte(sub.options));
  }
}

// Reads the reason codes that fill the rest of a SUBACK / UNSUBACK.
template <class V>
bool read_reason_codes(reader& r, packet_type t, const V& ver, bytes_view& out) {
  for (const std::uint8_t* q = r.p; q != r.end; ++q) {
    if (MQTTCODEC_UNLIKELY(!reason_code_allowed(t, *q, ver.get()))) {
      return r.fail_at(errc::invalid_reason_code, r.offset_of(q),
                       reason_code_rule(static_cast<unsigned>(t)));
    }
  }
  out = bytes_view(r.p, r.left());
  r.p = r.end;
  return true;
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V& ver, suback& out) {
  // The packet id of an acknowledgement echoes a request's, which was non-zero.
  if (!read_packet_id(r, out.packet_id) || !read_properties_if_v5(r, ver, out.props)) return false;
  if (r.left() == 0) return r.fail(errc::truncated, rule::none);  // one code per filter, >= 1
  return read_reason_codes(r, packet_type::suback, ver, out.reason_codes);
}

template <class V>
plan_status plan_acks(std::uint16_t packet_id, bytes_view codes, packet_type t, const V& ver,
                      bool codes_required, encode_plan& plan) {
  const bool v5 = ver.is_v5();
  // SUBACK and UNSUBACK have no flags. A shift, because fixed_first_byte of a `t` that is not a
  // constant here would look the flags up (10 B more code).
  plan.first_byte = static_cast<std::uint8_t>(static_cast<unsigned>(t) << 4);
  if (packet_id == 0) return plan_error(errc::zero_packet_id, rule::packet_id_nonzero, v5);
  if (codes_required && codes.empty()) return plan_error(errc::truncated, rule::none, v5);
  for (const std::uint8_t c : codes) {
    if (!reason_code_allowed(t, c, ver.get())) {
      return plan_error(errc::invalid_reason_code, reason_code_rule(static_cast<unsigned>(t)), v5);
    }
  }
  plan.remaining_length = 2;
  add_size(plan.remaining_length, codes.size());
  return plan_ok;
}

template <class V>
plan_status plan(const suback& s, const V& ver, encode_plan& plan) {
  if (const plan_status st =
          plan_acks(s.packet_id, s.reason_codes, packet_type::suback, ver, true, plan);
      st.failed()) {
    return st;
  }
  return plan_properties(ver, s.props, plan, plan.props_size);
}

template <class V>
void write_body(writer& w, const suback& s, const V& ver, const encode_plan& plan) {
  w.u16(s.packet_id);
  if (ver.is_v5()) write_properties(w, s.props, plan.props_size);
  w.raw(s.reason_codes.data(), s.reason_codes.size());
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V& ver, unsubscribe& out) {
  if (!read_packet_id(r, out.packet_id) || !read_properties_if_v5(r, ver, out.props)) return false;
  if (r.left() == 0) return r.fail(errc::no_topic_filters, rule::unsubscribe_nonempty);
  const std::uint8_t* payload = r.p;
  do {
    std::string_view filter;
    if (!read_topic_filter(r, ver, filter)) return false;
  } while (r.left() != 0);
  out.topic_filters =
      topic_filter_list::from_wire(bytes_view(payload, static_cast<std::size_t>(r.p - payload)));
  return true;
}

template <class V>
plan_status plan(const unsubscribe& u, const V& ver, encode_plan& plan) {
  const bool v5 = ver.is_v5();
  plan.first_byte = fixed_first_byte(packet_type::unsubscribe);
  if (u.packet_id == 0) return plan_error(errc::zero_packet_id, rule::packet_id_nonzero, v5);
  plan.remaining_length = 2;
  if (u.topic_filters.empty())
    return plan_error(errc::no_topic_filters, rule::unsubscribe_nonempty, v5);
  std::string_view f;
  for (topic_filter_list::cursor c(u.topic_filters); c.next(f);) {
    if (const plan_status st = check_filter_field(f, ver); st.failed()) return st;
    add_size(plan.remaining_length, 2 + f.size());
    if (past_largest_packet(plan.remaining_length)) break;
  }
  return plan_properties(ver, u.props, plan, plan.props_size);
}

template <class V>
void write_body(writer& w, const unsubscribe& u, const V& ver, const encode_plan& plan) {
  w.u16(u.packet_id);
  if (ver.is_v5()) write_properties(w, u.props, plan.props_size);
  std::string_view f;
  for (topic_filter_list::cursor c(u.topic_filters); c.next(f);) w.string(f);
}

template <class V>
bool decode_body(reader& r, std::uint8_t, const V& ver, unsuback& out) {
  if (!read_packet_id(r, out.packet_id)) return false;
  if (!ver.is_v5()) return true;  // 3.x: the packet id is all
  if (!read_properties(r, out.props)) return false;
  if (r.left() == 0) return r.fail(errc::truncated, rule::none);  // one code per filter, >= 1
  return read_reason_codes(r, packet_type::unsuback, ver, out.reason_codes);
}

template <class V>
plan_status plan(const unsuback& u, const V& ver, encode_plan& plan) {
  if (!ver.is_v5()) {
    // The packet id is all (plan_acks' checks of an empty code list, inline: then a 3.x
    // program calls plan_acks only for SUBACK, and it is folded into that one caller).
    if (!u.reason_codes.empty()) return plan_error(errc::field_not_in_version, rule::none, false);
    plan.first_byte = fixed_first_byte(packet_type::unsuback);
    if (u.packet_id == 0) return plan_error(errc::zero_packet_id, rule::packet_id_nonzero, false);
    plan.remaining_length = 2;
  } else if (const plan_status st =
                 plan_acks(u.packet_id, u.reason_codes, packet_type::unsuback, ver, true, plan);
             st.failed()) {
    return st;
  }
  return plan_properties(ver, u.props, plan, plan.props_size);
}

template <class V>
void write_body(writer& w, const unsuback& u, const V& ver, const encode_plan& plan) {
  w.u16(u.packet_id);
  if (ver.is_v5()) {
    write_properties(w, u.props, plan.props_size);
    w.raw(u.reason_codes.data(), u.reason_codes.size());
  }
}

}  // namespace detail

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: the one generic decoder, validator and encoder of 5.0 property blocks. It walks
// a properties struct's field list, so every packet's properties share this code.
#ifndef MQTTCODEC_DETAIL_PROPERTY_CODEC_HPP
#define MQTTCODEC_DETAIL_PROPERTY_CODEC_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/rules.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/properties.hpp"
#include "mqttcodec/result.hpp"
#include "mqttcodec/topic.hpp"
#include "mqttcodec/utf8.hpp"
#include "mqttcodec/wire.hpp"

MQTTCODEC_NAMESPACE_BEGIN
namespace detail {

template <class F>
inline constexpr bool is_user_properties = std::is_same_v<F, property::user_properties_field>;
template <class F>
inline constexpr bool is_subscription_ids =
    std::is_same_v<F, property::subscription_identifiers_field>;

// The statement behind error `e` of property `id`'s value rule, where the spec numbers one.
constexpr rule value_rule(property_id id, errc e) noexcept {
  if (id == property_id::topic_alias && e == errc::invalid_property_value) {
    return rule::topic_alias_nonzero;
  }
  if (id == property_id::response_topic) {
    if (e == errc::topic_has_wildcard) return rule::response_topic_no_wildcard;
    if (e == errc::empty_topic) return rule::publish_topic_nonempty;
  }
  return rule::none;
}

// The value rule of single-valued property F, shared by decode and encode: errc{} when the
// value is one the spec allows.
template <class F, class T>
constexpr errc check_value(const T& v) noexcept {
  constexpr property_id id = F::id;
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, payload_format> ||
                std::is_same_v<T, qos>) {
    // 0 or 1. Maximum QoS too: a server supporting QoS 2 omits it (§3.2.2.3.4).
    return static_cast<std::uint8_t>(v) <= 1 ? errc{} : errc::invalid_property_value;
  } else if constexpr (std::is_same_v<T, std::uint16_t> || std::is_same_v<T, std::uint32_t>) {
    if constexpr (id == property_id::receive_maximum || id == property_id::topic_alias ||
                  id == property_id::maximum_packet_size) {
      if (v == 0) return errc::invalid_property_value;
    }
    if constexpr (id == property_id::subscription_identifier) {
      if (v == 0 || v > max_varint) return errc::invalid_property_value;
    }
    return errc{};
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    // Both callers have checked the length already (decode: the two-byte prefix; encode:
    // check_string_field), but without this test GCC inlines the decoders differently and
    // W2 and W4 decode 8-11 instructions more (docs/performance.md, session 13).
    if (v.size() > max_field_size) return errc::value_too_long;
    if constexpr (id == property_id::response_topic) {
      // A Response Topic is the Topic Name of the response (§3.3.2.3.5): no wildcards
      // [MQTT-3.3.2-14], and at least one character, as every Topic Name [MQTT-4.7.3-1].
      if (v.empty()) return errc::empty_topic;
      if (has_wildcards(v)) return errc::topic_has_wildcard;
    }
    return errc{};
  } else {
    static_assert(std::is_same_v<T, bytes_view>, "unhandled property value type");
    return v.size() > max_field_size ? errc::value_too_long : errc{};
  }
}

// Reads the value of single-valued property F at r.p into `props` (the identifier is read).
template <class F, class Props>
MQTTCODEC_HOT_INLINE bool read_value(reader& r, Props& props, const std::uint8_t* id_at) {
  using T = typename F::value_type;
  T v{};
  if constexpr (std::is_same_v<T, std::string_view>) {
    if (!r.string(v)) return false;
  } else if constexpr (std::is_same_v<T, bytes_view>) {
    if (!r.binary(v)) return false;
  } else if constexpr (std::is_same_v<T, std::uint16_t>) {
    if (!r.u16(v)) return false;
  } else if constexpr (std::is_same_v<T, std::uint32_t>) {
    if constexpr (F::id == property_id::subscription_identifier) {
      if (!r.varint(v)) return false;
    } else {
      if (!r.u32(v)) return false;
    }
  } else {
    std::uint8_t b = 0;
    if (!r.u8(b)) return false;
    // Out-of-range bytes are caught below before they are stored as enum or bool.
    if (b > 1) {
      r.fail_at(errc::invalid_property_value, r.offset_of(id_at), rule::none);
      return false;
    }
    if constexpr (std::is_same_v<T, bool>) {
      v = b != 0;
    } else {
      v = static_cast<T>(b);
    }
  }
  if (const errc e = check_value<F>(v); e != errc{}) {
    r.fail_at(e, r.offset_of(id_at), value_rule(F::id, e));
    return false;
  }
  static_cast<F&>(props).get() = v;
  return true;
}

// Where the repeated properties of a block lie: from the first one to the end of the last,
// so that their lazy lists start at their first element and stop after their last instead of
// walking the whole block again.
struct repeated_span {
  const std::uint8_t* first = nullptr;
  const std::uint8_t* last_end = nullptr;

  MQTTCODEC_HOT_INLINE void add(const std::uint8_t* at, const std::uint8_t* end) noexcept {
    if (first == nullptr) first = at;
    last_end = end;
  }
  // Their lazy list; `encoded`: each one's bytes are its encoding (lazy_list::from_wire).
  template <class List>
  MQTTCODEC_HOT_INLINE List list(bool encoded) const noexcept {
    if (first == nullptr) return List{};
    return List::from_wire(bytes_view(first, static_cast<std::size_t>(last_end - first)), encoded);
  }
};

// Decodes the property of field F whose identifier was read at `id_at`.
template <class F, class Props>
MQTTCODEC_HOT_INLINE bool read_field(reader& r, Props& props, const std::uint8_t* id_at,
                                     std::uint64_t& seen, repeated_span& users,
                                     repeated_span& sub_ids) {
  if constexpr (is_user_properties<F>) {
    string_pair pair;
    if (!r.string_pair(pair)) return false;
    users.add(id_at, r.p);
    return true;
  } else if constexpr (is_subscription_ids<F>) {
    std::uint32_t v = 0;
    if (!r.varint(v)) return false;
    if (v == 0) {
      r.fail_at(errc::invalid_property_value, r.offset_of(id_at), rule::none);
      return false;
    }
    sub_ids.add(id_at, r.p);
    return true;
  } else {
    const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(F::id);
    if (seen & bit) {
      r.fail_at(errc::duplicate_property, r.offset_of(id_at), rule::property_once);
      return false;
    }
    seen |= bit;
    return read_value<F>(r, props, id_at);
  }
}

// The field of list L that holds property Id, or void when the list has none.
template <property_id Id, class L>
struct field_with_id {
  using type = void;
};
template <property_id Id, class F, class... R>
struct field_with_id<Id, type_list<F, R...>> {
  using type =
      std::conditional_t<F::id == Id, F, typename field_with_id<Id, type_list<R...>>::type>;
};

// Decodes one property whose identifier `id` was read at `id_at`, if Props allows it.
// A switch over every identifier of Table 2-4, so the compiler dispatches with one jump; the
// identifiers Props does not hold share one failure path.
template <class Props>
MQTTCODEC_HOT_INLINE bool read_property(reader& r, Props& props, std::uint32_t id,
                                        const std::uint8_t* id_at, std::uint64_t& seen,
                                        repeated_span& users, repeated_span& sub_ids) {
#define MQTTCODEC_CASE(name)                                                                       \
  case property_id::name: {                                                                        \
    using F = typename field_with_id<property_id::name, typename Props::fields>::type;             \
    if constexpr (!std::is_void_v<F>) return read_field<F>(r, props, id_at, seen, users, sub_ids); \
    break;                                                                                         \
  }
  if (id <= 0xFF) {
    switch (static_cast<property_id>(id)) {
      MQTTCODEC_CASE(payload_format_indicator)
      MQTTCODEC_CASE(message_expiry_interval)
      MQTTCODEC_CASE(content_type)
      MQTTCODEC_CASE(response_topic)
      MQTTCODEC_CASE(correlation_data)
      MQTTCODEC_CASE(subscription_identifier)
      MQTTCODEC_CASE(session_expiry_interval)
      MQTTCODEC_CASE(assigned_client_identifier)
      MQTTCODEC_CASE(server_keep_alive)
      MQTTCODEC_CASE(authentication_method)
      MQTTCODEC_CASE(authentication_data)
      MQTTCODEC_CASE(request_problem_information)
      MQTTCODEC_CASE(will_delay_interval)
      MQTTCODEC_CASE(request_response_information)
      MQTTCODEC_CASE(response_information)
      MQTTCODEC_CASE(server_reference)
      MQTTCODEC_CASE(reason_string)
      MQTTCODEC_CASE(receive_maximum)
      MQTTCODEC_CASE(topic_alias_maximum)
      MQTTCODEC_CASE(topic_alias)
      MQTTCODEC_CASE(maximum_qos)
      MQTTCODEC_CASE(retain_available)
      MQTTCODEC_CASE(user_property)
      MQTTCODEC_CASE(maximum_packet_size)
      MQTTCODEC_CASE(wildcard_subscription_available)
      MQTTCODEC_CASE(subscription_identifier_available)
      MQTTCODEC_CASE(shared_subscription_available)
    }
  }
#undef MQTTCODEC_CASE
  r.fail_at(
      type_of(id) == property_type::none ? errc::unknown_property : errc::property_not_allowed,
      r.offset_of(id_at), rule::none);
  return false;
}

// Decodes a property block (Property Length, then properties) into `props`. props.wire is
// the whole block; each repeatable property's lazy list spans its own first to last element.
template <class Props>
bool read_properties(reader& r, Props& props) {
  std::uint32_t len = 0;
  if (r.p == r.end) return r.fail(errc::truncated, rule::property_length_present);
  const std::uint32_t len_offset = r.offset();
  if (!r.varint(len)) return false;
  if (len > r.left()) return r.fail_at(errc::invalid_property_length, len_offset, rule::none);
  const std::uint8_t* const outer_end = r.end;
  const std::uint8_t* const block = r.p;
  r.end = r.p + len;
  std::uint64_t seen = 0;
  repeated_span users;
  repeated_span sub_ids;
  while (r.p != r.end) {
    const std::uint8_t* const id_at = r.p;
    std::uint32_t id = 0;
    if (!r.varint(id) || !read_property(r, props, id, id_at, seen, users, sub_ids)) {
      // Every read here ends at the block's end, which lies within the packet: a value cut off
      // is cut off by the Property Length, whether or not the packet ends there too.
      if (r.err.code == errc::truncated) {
        r.err.code = errc::invalid_property_length;
      }
      // Every error inside a property names it: its value's rules, UTF-8 and length included.
      r.err.value = static_cast<std::uint8_t>(id <= 0xFF ? id : 0);
      return false;
    }
  }
  r.end = outer_end;
  props.wire = bytes_view(block, len);
  if constexpr (std::is_base_of_v<property::user_properties_field, Props>) {
    // Checked as the encoder checks them unless an option relaxed a check: then each pair's
    // bytes are its encoding, which forwarding the packet copies when they are back to back.
    props.user_properties = users.list<user_property_list>(r.check_utf8 & r.strict_varint);
  }
  if constexpr (std::is_base_of_v<property::subscription_identifiers_field, Props>) {
    props.subscription_identifiers = sub_ids.list<subscription_identifier_list>(false);
  }
  if constexpr (std::is_base_of_v<property::authentication_data_field, Props> &&
                std::is_base_of_v<property::authentication_method_field, Props>) {
    if (props.authentication_data && !props.authentication_method) {
      return r.fail_at(errc::auth_data_without_method, r.offset_of(block), rule::none);
    }
  }
  return true;
}

// Size of one encoded string / binary / pair value with its length prefixes.
inline std::size_t field_size(std::string_view s) noexcept {
  return 2 + s.size();
}
inline std::size_t field_size(bytes_view b) noexcept {
  return 2 + b.size();
}

// Checks the caller's User Properties of `list` for encoding and adds their size to `size`;
// the first pair's error, or errc{}. One function for every properties struct, which builds
// for size keep out of line.
MQTTCODEC_HOT_INLINE errc add_user_properties_size(const user_property_list& list,
                                                   std::size_t& size) noexcept {
  for (const string_pair& p : list) {
    if (p.name.size() > max_field_size || p.value.size() > max_field_size) {
      return errc::value_too_long;
    }
    if (const auto a = check_utf8(p.name); !a) return a.code;
    if (const auto b = check_utf8(p.value); !b) return b.code;
    add_size(size, 1 + field_size(p.name) + field_size(p.value));
    if (past_largest_packet(size)) break;
  }
  return errc{};
}

// Validates `props` for encoding and returns the size of its properties (without the
// Property Length prefix) or the error the decoder would report.
template <class Props, class... F>
result<std::size_t> properties_size(const Props& props, type_list<F...>) noexcept {
  std::size_t size = 0;
  errc bad{};  // the first failure, in the order the decoder reads the fields
  property_id bad_id{};
  auto add = [&](auto* tag) {
    using Fd = std::remove_pointer_t<decltype(tag)>;
    if (bad != errc{}) return;
    if constexpr (is_user_properties<Fd>) {
      const user_property_list& list = static_cast<const Fd&>(props).user_properties;
      if (const bytes_view encoded = list.encoded_bytes(); !encoded.empty()) {
        size += encoded.size();  // checked by the decoder
        return;
      }
      bad = add_user_properties_size(list, size);
      if (bad != errc{}) bad_id = Fd::id;
    } else if constexpr (is_subscription_ids<Fd>) {
      for (const std::uint32_t v : static_cast<const Fd&>(props).subscription_identifiers) {
        if (v == 0 || v > max_varint) bad = errc::invalid_property_value;
        add_size(size, 1 + varint_size(v));
        if (past_largest_packet(size)) break;
      }
      if (bad != errc{}) bad_id = Fd::id;
    } else {
      const auto& opt = static_cast<const Fd&>(props).get();
      if (!opt) return;
      const auto& v = *opt;
      using T = typename Fd::value_type;
      errc e{};
      if constexpr (std::is_same_v<T, std::string_view>) {
        e = check_string_field(v);  // length and UTF-8 before the value rule, as decoding
      }
      if (e == errc{}) e = check_value<Fd>(v);
      if (e != errc{}) {
        bad = e;
        bad_id = Fd::id;
        return;
      }
      if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, bytes_view>) {
        size += 1 + field_size(v);
      } else if constexpr (std::is_same_v<T, std::uint16_t>) {
        size += 3;
      } else if constexpr (std::is_same_v<T, std::uint32_t>) {
        size += 1 + (Fd::id == property_id::subscription_identifier ? varint_size(v) : 4);
      } else {
        size += 2;
      }
    }
  };
  (add(static_cast<F*>(nullptr)), ...);
  if (bad == errc{}) {
    if constexpr (std::is_base_of_v<property::authentication_data_field, Props> &&
                  std::is_base_of_v<property::authentication_method_field, Props>) {
      if (props.authentication_data && !props.authentication_method) {
        bad = errc::auth_data_without_method;
      }
    }
  }
  if (bad != errc{}) {
    const bool utf8 = bad == errc::invalid_utf8 || bad == errc::utf8_null_character;
    const rule r = utf8 ? utf8_rule(bad) : value_rule(bad_id, bad);
    return error{bad, 0, rule_id(r, true), static_cast<std::uint8_t>(bad_id)};
  }
  return size;
}

template <class Props>
result<std::size_t> properties_size(const Props& props) noexcept {
  return properties_size(props, typename Props::fields{});
}

// Writes Property Length `len` and the properties (validated by properties_size).
template <class Props, class... F>
void write_properties(writer& out, const Props& props, std::size_t len, type_list<F...>) noexcept {
  // A local writer: its pointer stays in a register instead of being reloaded and stored
  // around every write through the caller's reference.
  writer w{out.p};
  w.varint(static_cast<std::uint32_t>(len));
  auto put = [&](auto* tag) {
    using Fd = std::remove_pointer_t<decltype(tag)>;
    constexpr auto id = static_cast<std::uint8_t>(Fd::id);
    if constexpr (is_user_properties<Fd>) {
      const user_property_list& list = static_cast<const Fd&>(props).user_properties;
      if (const bytes_view encoded = list.encoded_bytes(); !encoded.empty()) {
        w.raw(encoded.data(), encoded.size());
        return;
      }
      for (const string_pair& p : list) {
        w.u8(id);
        w.string(p.name);
        w.string(p.value);
      }
    } else if constexpr (is_subscription_ids<Fd>) {
      for (const std::uint32_t v : static_cast<const Fd&>(props).subscription_identifiers) {
        w.u8(id);
        w.varint(v);
      }
    } else {
      const auto& opt = static_cast<const Fd&>(props).get();
      if (!opt) return;
      using T = typename Fd::value_type;
      w.u8(id);
      if constexpr (std::is_same_v<T, std::string_view>) {
        w.string(*opt);
      } else if constexpr (std::is_same_v<T, bytes_view>) {
        w.binary(*opt);
      } else if constexpr (std::is_same_v<T, std::uint16_t>) {
        w.u16(*opt);
      } else if constexpr (std::is_same_v<T, std::uint32_t>) {
        if constexpr (Fd::id == property_id::subscription_identifier) {
          w.varint(*opt);
        } else {
          w.u32(*opt);
        }
      } else {
        w.u8(static_cast<std::uint8_t>(*opt));
      }
    }
  };
  (put(static_cast<F*>(nullptr)), ...);
  out.p = w.p;
}

template <class Props>
void write_properties(writer& w, const Props& props, std::size_t len) noexcept {
  write_properties(w, props, len, typename Props::fields{});
}

// True when any property is set (3.x packets cannot carry any).
template <class Props, class... F>
MQTTCODEC_HOT_INLINE bool any_property(const Props& props, type_list<F...>) noexcept {
  auto set = [&](auto* tag) -> bool {
    using Fd = std::remove_pointer_t<decltype(tag)>;
    if constexpr (is_user_properties<Fd>) {
      return !static_cast<const Fd&>(props).user_properties.empty();
    } else if constexpr (is_subscription_ids<Fd>) {
      return !static_cast<const Fd&>(props).subscription_identifiers.empty();
    } else {
      return static_cast<const Fd&>(props).get().has_value();
    }
  };
  // `|`, not `||`: a load and an OR per field instead of a compare and a branch (smaller and
  // faster; there is nothing worth skipping, each field is one flag or count to read).
  return (static_cast<unsigned>(set(static_cast<F*>(nullptr))) | ...) != 0;
}

template <class Props>
MQTTCODEC_HOT_INLINE bool any_property(const Props& props) noexcept {
  return any_property(props, typename Props::fields{});
}

// Field-wise equality of two properties structs (the raw `wire` block is not compared).
template <class Props, class... F>
bool properties_equal(const Props& a, const Props& b, type_list<F...>) noexcept {
  auto eq = [&](auto* tag) -> bool {
    using Fd = std::remove_pointer_t<decltype(tag)>;
    if constexpr (is_user_properties<Fd>) {
      return static_cast<const Fd&>(a).user_properties == static_cast<const Fd&>(b).user_properties;
    } else if constexpr (is_subscription_ids<Fd>) {
      return static_cast<const Fd&>(a).subscription_identifiers ==
             static_cast<const Fd&>(b).subscription_identifiers;
    } else {
      return static_cast<const Fd&>(a).get() == static_cast<const Fd&>(b).get();
    }
  };
  return (eq(static_cast<F*>(nullptr)) && ...);
}

}  // namespace detail

/// Field-wise equality of two properties structs of the same packet.
template <class Props, class = typename Props::fields>
bool operator==(const Props& a, const Props& b) noexcept {
  return detail::properties_equal(a, b, typename Props::fields{});
}
template <class Props, class = typename Props::fields>
bool operator!=(const Props& a, const Props& b) noexcept {
  return !(a == b);
}

MQTTCODEC_NAMESPACE_END

#endif

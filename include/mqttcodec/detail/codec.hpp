// mqttcodec: what every packet codec shares: the run-time version as a type, the encode plan
// and small checks used by several packets.
#ifndef MQTTCODEC_DETAIL_CODEC_HPP
#define MQTTCODEC_DETAIL_CODEC_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"
#include "mqttcodec/detail/property_codec.hpp"
#include "mqttcodec/detail/rules.hpp"
#include "mqttcodec/error.hpp"
#include "mqttcodec/frame.hpp"
#include "mqttcodec/result.hpp"
#include "mqttcodec/topic.hpp"
#include "mqttcodec/types.hpp"
#include "mqttcodec/utf8.hpp"
#include "mqttcodec/wire.hpp"

MQTTCODEC_NAMESPACE_BEGIN

namespace detail {

// A protocol version known only at run time (a server learns it from CONNECT).
struct version_value {
  protocol_version v;
  constexpr protocol_version get() const noexcept { return v; }
  constexpr bool is_v5() const noexcept { return v == protocol_version::v5; }
};

// What encode learns while validating a packet: everything the writer needs, so nothing is
// computed twice.
struct encode_plan {
  std::size_t remaining_length = 0;
  std::size_t props_size = 0;       // property block of the packet (without its length)
  std::size_t will_props_size = 0;  // CONNECT: the will's property block
  bytes_view payload;               // bytes a gather sink may keep by reference
  std::uint8_t first_byte = 0;
};

// What planning a packet answers: success (code 0) or the failed rule. An encode error has
// no offset, so this is an `error` without one: two words, returned in registers. A check
// then costs two register loads and a jump instead of an error stored into a
// result<encode_plan> (which every plan also copied on success); the error is built once, in
// encode_planned.
struct plan_status {
  errc code{};
  std::uint8_t value = 0;  // as error::value (the property of a property error)
  const char* rule = nullptr;

  [[nodiscard]] constexpr bool failed() const noexcept { return code != errc{}; }
};

inline constexpr plan_status plan_ok{};

constexpr plan_status plan_error(errc code, rule r, bool v5) noexcept {
  return {code, 0, rule_id(r, v5)};
}

constexpr error to_error(const plan_status& st) noexcept {
  return error{st.code, 0, st.rule, st.value};
}

inline error encode_error(errc code, rule r, bool v5) noexcept {
  return error{code, 0, rule_id(r, v5), 0};
}

// Reads a two-byte packet identifier that must be non-zero [MQTT-2.3.1-1] / [MQTT-2.2.1-3].
MQTTCODEC_HOT_INLINE bool read_packet_id(reader& r, std::uint16_t& id) noexcept {
  if (!r.u16(id)) return false;
  if (MQTTCODEC_UNLIKELY(id == 0)) {
    r.p -= 2;
    return r.fail(errc::zero_packet_id, rule::packet_id_nonzero);
  }
  return true;
}

// Reads a Property Length and property block when the version has them.
template <class V, class Props>
bool read_properties_if_v5(reader& r, const V& ver, Props& props) {
  if (ver.is_v5()) return read_properties(r, props);
  return true;
}

// Validates `props` for encoding in version `ver`: 3.x packets carry none. Sets `size` to the
// size of the block without its length prefix and adds the size with the prefix to
// `plan.remaining_length`.
template <class V, class Props>
plan_status plan_properties(const V& ver, const Props& props, encode_plan& plan,
                            std::size_t& size) {
  if (!ver.is_v5()) {
    if (any_property(props)) return plan_error(errc::field_not_in_version, rule::none, false);
    return plan_ok;
  }
  auto r = properties_size(props);
  if (!r) return {r.error().code, r.error().value, r.error().rule};
  size = *r;
  add_size(plan.remaining_length, varint_size(static_cast<std::uint32_t>(size)) + size);
  return plan_ok;
}

}  // namespace detail

MQTTCODEC_NAMESPACE_END

#endif

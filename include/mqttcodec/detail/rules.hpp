// mqttcodec: spec statement ids per rule, for both standards. The same rule has different
// ids in 3.1.1 and 5.0, so call sites name the rule and the version picks the id.
#ifndef MQTTCODEC_DETAIL_RULES_HPP
#define MQTTCODEC_DETAIL_RULES_HPP

#include <cstdint>

#include "mqttcodec/config.hpp"

MQTTCODEC_NAMESPACE_BEGIN
namespace detail {

enum class rule : std::uint8_t {
  none,
  utf8_well_formed,
  utf8_no_null,
  varint_minimal,
  header_flags,
  packet_id_nonzero,
  publish_qos_valid,
  publish_dup_qos0,
  publish_topic_no_wildcard,
  publish_topic_nonempty,
  connect_protocol_name,
  connect_protocol_level,
  connect_reserved_flag,
  will_qos_without_will,
  will_qos_valid,
  will_retain_without_will,
  password_without_username,
  client_id_empty_needs_clean,
  connack_reserved_flags,
  connack_session_present_on_refusal,
  connack_return_code,
  subscribe_nonempty,
  subscribe_options_reserved,
  subscribe_no_local_shared,
  subscribe_retain_handling,
  suback_return_code,
  unsubscribe_nonempty,
  property_once,
  packet_type_reserved,
  property_length_present,
  topic_alias_nonzero,
  response_topic_no_wildcard,
  pubrel_flags,
  subscribe_flags,
  unsubscribe_flags,
  disconnect_flags,
  auth_flags,
  puback_reason_code,
  pubrec_reason_code,
  pubrel_reason_code,
  pubcomp_reason_code,
  unsuback_reason_code,
  disconnect_reason_code,
  auth_reason_code,
  publish_qos0_no_packet_id,
  publish_subscription_id_from_client,
  disconnect_session_expiry_from_server,
  topic_length,
  server_packet_id_nonzero,
  count_,
};

struct rule_ids {
  const char* v311;
  const char* v5;
};

// Indexed by `rule`; nullptr where that version has no statement for the rule.
inline constexpr rule_ids rule_table[] = {
    {nullptr, nullptr},                  // none
    {"MQTT-1.5.3-1", "MQTT-1.5.4-1"},    // utf8_well_formed
    {"MQTT-1.5.3-2", "MQTT-1.5.4-2"},    // utf8_no_null
    {nullptr, "MQTT-1.5.5-1"},           // varint_minimal
    {"MQTT-2.2.2-1", "MQTT-2.1.3-1"},    // header_flags
    {"MQTT-2.3.1-1", "MQTT-2.2.1-3"},    // packet_id_nonzero
    {"MQTT-3.3.1-4", "MQTT-3.3.1-4"},    // publish_qos_valid
    {"MQTT-3.3.1-2", "MQTT-3.3.1-2"},    // publish_dup_qos0
    {"MQTT-3.3.2-2", "MQTT-3.3.2-2"},    // publish_topic_no_wildcard
    {"MQTT-4.7.3-1", "MQTT-4.7.3-1"},    // publish_topic_nonempty
    {"MQTT-3.1.2-1", "MQTT-3.1.2-1"},    // connect_protocol_name
    {"MQTT-3.1.2-2", "MQTT-3.1.2-2"},    // connect_protocol_level
    {"MQTT-3.1.2-3", "MQTT-3.1.2-3"},    // connect_reserved_flag
    {"MQTT-3.1.2-13", "MQTT-3.1.2-11"},  // will_qos_without_will
    {"MQTT-3.1.2-14", "MQTT-3.1.2-12"},  // will_qos_valid
    {"MQTT-3.1.2-15", "MQTT-3.1.2-13"},  // will_retain_without_will
    {"MQTT-3.1.2-22", nullptr},          // password_without_username
    {"MQTT-3.1.3-8", nullptr},           // client_id_empty_needs_clean
    {nullptr, "MQTT-3.2.2-1"},           // connack_reserved_flags
    {"MQTT-3.2.2-4", "MQTT-3.2.2-6"},    // connack_session_present_on_refusal
    {nullptr, "MQTT-3.2.2-8"},           // connack_return_code
    {"MQTT-3.8.3-3", "MQTT-3.8.3-2"},    // subscribe_nonempty
    {"MQTT-3.8.3-4", "MQTT-3.8.3-5"},    // subscribe_options_reserved
    {nullptr, "MQTT-3.8.3-4"},           // subscribe_no_local_shared
    {nullptr, nullptr},                  // subscribe_retain_handling
    {"MQTT-3.9.3-2", "MQTT-3.9.3-2"},    // suback_return_code
    {"MQTT-3.10.3-2", "MQTT-3.10.3-2"},  // unsubscribe_nonempty
    {nullptr, nullptr},                  // property_once: 5.0 names no statement id
    {nullptr, nullptr},                  // packet_type_reserved
    {nullptr, "MQTT-2.2.2-1"},           // property_length_present
    {nullptr, "MQTT-3.3.2-8"},           // topic_alias_nonzero
    {nullptr, "MQTT-3.3.2-14"},          // response_topic_no_wildcard
    {"MQTT-3.6.1-1", "MQTT-3.6.1-1"},    // pubrel_flags
    {"MQTT-3.8.1-1", "MQTT-3.8.1-1"},    // subscribe_flags
    {"MQTT-3.10.1-1", "MQTT-3.10.1-1"},  // unsubscribe_flags
    {"MQTT-3.14.1-1", "MQTT-3.14.1-1"},  // disconnect_flags
    {nullptr, "MQTT-3.15.1-1"},          // auth_flags
    {nullptr, "MQTT-3.4.2-1"},           // puback_reason_code
    {nullptr, "MQTT-3.5.2-1"},           // pubrec_reason_code
    {nullptr, "MQTT-3.6.2-1"},           // pubrel_reason_code
    {nullptr, "MQTT-3.7.2-1"},           // pubcomp_reason_code
    {nullptr, "MQTT-3.11.3-2"},          // unsuback_reason_code
    {nullptr, "MQTT-3.14.2-1"},          // disconnect_reason_code
    {nullptr, "MQTT-3.15.2-1"},          // auth_reason_code
    {"MQTT-2.3.1-5", "MQTT-2.2.1-2"},    // publish_qos0_no_packet_id
    {nullptr, "MQTT-3.3.4-6"},           // publish_subscription_id_from_client
    {nullptr, "MQTT-3.14.2-2"},          // disconnect_session_expiry_from_server
    {"MQTT-4.7.3-3", "MQTT-4.7.3-3"},    // topic_length
    {"MQTT-2.3.1-1", "MQTT-2.2.1-4"},    // server_packet_id_nonzero
};
static_assert(sizeof(rule_table) / sizeof(rule_table[0]) == static_cast<int>(rule::count_),
              "rule_table needs one row per rule");

// The rule naming the fixed-header flags of packet type `t` (a per-packet statement where the
// spec has one, else the general one).
constexpr rule header_flags_rule(unsigned t) noexcept {
  switch (t) {
    case 6: return rule::pubrel_flags;
    case 8: return rule::subscribe_flags;
    case 10: return rule::unsubscribe_flags;
    case 14: return rule::disconnect_flags;
    case 15: return rule::auth_flags;
    default: return rule::header_flags;
  }
}

// The rule listing the reason codes packet type `t` may carry.
constexpr rule reason_code_rule(unsigned t) noexcept {
  switch (t) {
    case 2: return rule::connack_return_code;
    case 4: return rule::puback_reason_code;
    case 5: return rule::pubrec_reason_code;
    case 6: return rule::pubrel_reason_code;
    case 7: return rule::pubcomp_reason_code;
    case 9: return rule::suback_return_code;
    case 11: return rule::unsuback_reason_code;
    case 14: return rule::disconnect_reason_code;
    case 15: return rule::auth_reason_code;
    default: return rule::none;
  }
}

constexpr const char* rule_id(rule r, bool v5) noexcept {
  const rule_ids& ids = rule_table[static_cast<std::uint8_t>(r)];
  return v5 ? ids.v5 : ids.v311;
}

}  // namespace detail
MQTTCODEC_NAMESPACE_END

#endif

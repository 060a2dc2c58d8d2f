// decode_as<P> for the packet type that the first byte names, shared by the test executables
// that hold it to decode's outcome (conformance rows, guard-page and allocation tests).
#ifndef MQTTCODEC_TESTS_DECODE_AS_NAMED_HPP
#define MQTTCODEC_TESTS_DECODE_AS_NAMED_HPP

#include <utility>

#include "mqttcodec/mqttcodec.hpp"

namespace test {

/// decode_as<P>(b, v, opt) with P the type `b[0]` names, as a result<packet> so that it
/// compares with decode's. Empty input and type 0 (which has no struct) go to
/// decode_as<pingreq>, which refuses them by the framing rules, as decode does.
inline mqttcodec::result<mqttcodec::packet> decode_as_named(
    mqttcodec::bytes_view b, mqttcodec::protocol_version v,
    const mqttcodec::decode_options& opt = {}) {
  namespace mc = mqttcodec;
  auto run = [&](auto tag) -> mc::result<mc::packet> {
    auto r = mc::decode_as<decltype(tag)>(b, v, opt);
    if (!r) return r.error();
    return mc::packet{std::move(*r)};
  };
  switch (b.empty() ? 0 : b[0] >> 4) {
    case 1: return run(mc::connect{});
    case 2: return run(mc::connack{});
    case 3: return run(mc::publish{});
    case 4: return run(mc::puback{});
    case 5: return run(mc::pubrec{});
    case 6: return run(mc::pubrel{});
    case 7: return run(mc::pubcomp{});
    case 8: return run(mc::subscribe{});
    case 9: return run(mc::suback{});
    case 10: return run(mc::unsubscribe{});
    case 11: return run(mc::unsuback{});
    case 12: return run(mc::pingreq{});
    case 13: return run(mc::pingresp{});
    case 14: return run(mc::disconnect{});
    case 15: return run(mc::auth{});
    default: return run(mc::pingreq{});
  }
}

}  // namespace test

#endif

// mqttcodec: library version.
#ifndef MQTTCODEC_VERSION_HPP
#define MQTTCODEC_VERSION_HPP

/// Major version; also names the inline namespace (`mqttcodec::v1`).
#define MQTTCODEC_VERSION_MAJOR 0
/// Minor version: new features, source compatible.
#define MQTTCODEC_VERSION_MINOR 1
/// Patch version: fixes only.
#define MQTTCODEC_VERSION_PATCH 0
/// The version as one comparable number: major * 10000 + minor * 100 + patch.
#define MQTTCODEC_VERSION \
  (MQTTCODEC_VERSION_MAJOR * 10000 + MQTTCODEC_VERSION_MINOR * 100 + MQTTCODEC_VERSION_PATCH)

#endif

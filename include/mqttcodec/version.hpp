// mqttcodec: library version.
#ifndef MQTTCODEC_VERSION_HPP
#define MQTTCODEC_VERSION_HPP

/// Major version.
#define MQTTCODEC_VERSION_MAJOR 0
/// Minor version: new features, source compatible (from 1.0 on; before it, any 0.x may break).
#define MQTTCODEC_VERSION_MINOR 1
/// Patch version: fixes only.
#define MQTTCODEC_VERSION_PATCH 0
/// The version as one comparable number: major * 10000 + minor * 100 + patch.
#define MQTTCODEC_VERSION \
  (MQTTCODEC_VERSION_MAJOR * 10000 + MQTTCODEC_VERSION_MINOR * 100 + MQTTCODEC_VERSION_PATCH)
/// The versions whose code may differ get inline namespaces of their own: v<major>_<minor>
/// while the major version is 0, v<major> from 1.0 on. A test checks it against the numbers.
#define MQTTCODEC_ABI_VERSION v0_1

#endif

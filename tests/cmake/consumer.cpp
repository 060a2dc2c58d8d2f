// The program every consumer test builds: it proves the headers are found, compile in the
// consumer's configuration and work. It decodes a PUBLISH recorded from mosquitto 2.0.11
// (tests/data/recorded/mosquitto_v311_qos.txt) and encodes it back to the same bytes.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <mqttcodec/mqttcodec.hpp>
#include <mqttcodec/topic_index.hpp>

namespace mc = mqttcodec;

int main() {
  // PUBLISH QoS 1, topic "mosq/311/qos/1", packet id 1, payload "qos 1 payload".
  const std::uint8_t wire[] = {0x32, 0x1f, 0x00, 0x0e, 0x6d, 0x6f, 0x73, 0x71, 0x2f, 0x33, 0x31,
                               0x31, 0x2f, 0x71, 0x6f, 0x73, 0x2f, 0x31, 0x00, 0x01, 0x71, 0x6f,
                               0x73, 0x20, 0x31, 0x20, 0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64};
  auto p = mc::decode_as<mc::publish>(wire, mc::protocol_version::v311);
  if (!p) {
    std::printf("decode failed: %s\n", mc::name(p.error().code));
    return 1;
  }
  if (p->topic != "mosq/311/qos/1" || p->packet_id != 1 ||
      p->payload.as_chars() != "qos 1 payload") {
    std::printf("decoded fields differ from the recorded packet\n");
    return 1;
  }
  std::vector<std::uint8_t> out;
  mc::container_sink<std::vector<std::uint8_t>> sink{out};
  auto n = mc::encode(*p, mc::protocol_version::v311, sink);
  if (!n || *n != sizeof wire || std::memcmp(out.data(), wire, sizeof wire) != 0) {
    std::printf("re-encoding did not reproduce the recorded bytes\n");
    return 1;
  }
  mc::topic_index<int> index;
  if (!index.insert("mosq/+/qos/#", 7)) return 1;
  int hits = 0;
  index.match(p->topic, [&](int v) { hits += v; });
  if (hits != 7) {
    std::printf("topic_index did not match\n");
    return 1;
  }
  std::printf("mqttcodec %d.%d.%d consumer ok\n", MQTTCODEC_VERSION_MAJOR, MQTTCODEC_VERSION_MINOR,
              MQTTCODEC_VERSION_PATCH);
  return 0;
}

// expect: a pointer is not one
// max-errors: 1
#include <mqttcodec/mqttcodec.hpp>

int main() {
  unsigned char* buffer = nullptr;
  mqttcodec::publish p;
  p.topic = "t";
  auto n = mqttcodec::encode_publish_head(p, 10, mqttcodec::protocol_version::v311, buffer);
  return n ? 0 : 1;
}

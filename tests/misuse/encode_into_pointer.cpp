// expect: a pointer is not one
// max-errors: 1
// A pointer is no range: encode cannot know how much room it has.
#include <mqttcodec/mqttcodec.hpp>

int main() {
  unsigned char* buffer = nullptr;
  auto n = mqttcodec::encode(mqttcodec::pingreq{}, mqttcodec::protocol_version::v311, buffer);
  return n ? 0 : 1;
}

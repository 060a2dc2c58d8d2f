// expect: a pointer is not one
// max-errors: 2
// The trimming path encodes too, so clang may print the message of encode as well.
#include <mqttcodec/mqttcodec.hpp>

int main() {
  unsigned char* buffer = nullptr;
  auto n =
      mqttcodec::encode_to_fit(mqttcodec::puback{}, mqttcodec::protocol_version::v5, 10, buffer);
  return n ? 0 : 1;
}

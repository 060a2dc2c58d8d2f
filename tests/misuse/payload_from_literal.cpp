// expect: deleted
// max-errors: 1
// A string literal's size counts its NUL: the payload would be "abc\0".
#include <mqttcodec/mqttcodec.hpp>

int main() {
  mqttcodec::publish p;
  p.payload = "abc";
  return static_cast<int>(p.payload.size());
}

// expect: operator=|overloaded '='
// max-errors: 3
// The same for an optional byte field: `password` would carry the NUL to the broker.
#include <mqttcodec/mqttcodec.hpp>

int main() {
  mqttcodec::connect c;
  c.password = "secret";
  return c.password ? 0 : 1;
}

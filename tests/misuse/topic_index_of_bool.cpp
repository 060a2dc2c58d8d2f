// expect: topic_index<bool>
// max-errors: 2
#include <mqttcodec/topic_index.hpp>

int main() {
  mqttcodec::topic_index<bool> index;
  return static_cast<int>(index.size());
}

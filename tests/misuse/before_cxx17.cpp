// expect: mqttcodec needs C..17 or later
// max-errors: 2000
// standard: 14
// A C++14 build is told what it lacks before the errors that follow (the rest of the library
// does not parse as C++14, and the preprocessor cannot stop there).
#include <mqttcodec/mqttcodec.hpp>

int main() {
  return 0;
}

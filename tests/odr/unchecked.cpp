// A file with the default, unchecked preconditions, using the same inline function.
#include <cstddef>
#include <cstdint>

#include <mqttcodec/bytes.hpp>

std::uint8_t index_unchecked(std::size_t i) {
  static const std::uint8_t storage[4] = {1, 2, 3, 4};
  const mqttcodec::bytes_view view(storage, 4);
  return view[i];
}

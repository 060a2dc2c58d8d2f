// A file that turns the precondition checks on, in a program whose other file does not.
#include <cstddef>
#include <cstdint>

int precondition_failures = 0;

#define MQTTCODEC_ASSERT(cond) static_cast<void>((cond) ? 0 : ++precondition_failures)
#include <mqttcodec/bytes.hpp>

// Indexes past the end of a view: the check sees it (and the read stays in `storage`).
std::uint8_t index_checked(std::size_t i) {
  static const std::uint8_t storage[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const mqttcodec::bytes_view view(storage, 4);
  return view[i];
}

// The same main and I/O as footprint_v311.cpp without the codec: the bytes read are written
// back unchanged. Its .text is what footprint_v311 would weigh with a codec of size zero.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace {
std::uint8_t in[4096];
std::uint8_t out[4096];
}  // namespace

int main() {
  const ssize_t got = read(0, in, sizeof in);
  if (got <= 0) return 1;
  const auto size = static_cast<std::size_t>(got);
  std::memcpy(out, in, size);
  return write(1, out, size) == static_cast<ssize_t>(size) ? 0 : 5;
}

// The code a 3.1.1-only firmware pays for the codec: frame a stream read from stdin, decode
// every packet with the compile-time 3.1.1 API and encode it back to stdout, so every 3.1.1
// packet type's decoder and encoder is reachable and nothing of 5.0 is instantiated.
// footprint_baseline.cpp has the same main and I/O without the codec; the `footprint` target
// prints the difference of their .text sizes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <variant>

#include "mqttcodec/frame.hpp"
#include "mqttcodec/packet.hpp"

namespace mc = mqttcodec;
using mc::protocol_version;

namespace {
std::uint8_t in[4096];
std::uint8_t out[4096];
}  // namespace

int main() {
  const ssize_t got = read(0, in, sizeof in);
  if (got <= 0) return 1;
  const auto size = static_cast<std::size_t>(got);
  std::size_t off = 0;
  std::size_t written = 0;
  while (off < size) {
    const mc::bytes_view rest(in + off, size - off);
    const mc::frame f = mc::next_frame(rest);
    if (f.status != mc::frame_status::complete) return 2;
    const auto packet = mc::decode<protocol_version::v311>(f.packet(rest));
    if (!packet) return 3;
    const auto n = std::visit(
        [&](const auto& p) {
          return mc::encode<protocol_version::v311>(
              p, mc::mutable_bytes_view(out + written, sizeof out - written));
        },
        *packet);
    if (!n) return 4;
    written += *n;
    off += f.size;
  }
  return write(1, out, written) == static_cast<ssize_t>(written) ? 0 : 5;
}

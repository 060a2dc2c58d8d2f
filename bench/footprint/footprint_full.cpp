// Control for footprint_v311.cpp: the same program with the runtime-version API
// (decode(bytes, v), encode(p, v, out)), which keeps both 3.1.1 and 5.0 reachable. Its .text
// is the size of the whole codec, and the `footprint` target's 5.0-symbol check must find
// 5.0 code here — else that check could not fail.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <variant>

#include "mqttcodec/frame.hpp"
#include "mqttcodec/packet.hpp"

namespace mc = mqttcodec;

namespace {
std::uint8_t in[4096];
std::uint8_t out[4096];
}  // namespace

int main() {
  const ssize_t got = read(0, in, sizeof in);
  if (got <= 0) return 1;
  const auto size = static_cast<std::size_t>(got);
  // The first byte picks the version, so both stay reachable.
  const auto version = static_cast<mc::protocol_version>(in[0]);
  std::size_t off = 1;
  std::size_t written = 0;
  mc::frame_options fo;
  fo.version = version;
  while (off < size) {
    const mc::bytes_view rest(in + off, size - off);
    const mc::frame f = mc::next_frame(rest, fo);
    if (f.status != mc::frame_status::complete) return 2;
    const auto packet = mc::decode(f.packet(rest), version);
    if (!packet) return 3;
    const auto n =
        mc::encode(*packet, version, mc::mutable_bytes_view(out + written, sizeof out - written));
    if (!n) return 4;
    written += *n;
    off += f.size;
  }
  return write(1, out, written) == static_cast<ssize_t>(written) ? 0 : 5;
}

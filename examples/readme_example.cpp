// The example README.md shows, compiled and run by ctest (readme_example).
#include <array>
#include <cstdio>
#include <mqttcodec/mqttcodec.hpp>
namespace mc = mqttcodec;

int main() {
  mc::publish out;  // one struct per packet, for encoding and decoding alike
  out.topic = "sensors/t1";
  out.qos = mc::qos::at_least_once;
  out.packet_id = 7;
  out.payload = mc::as_bytes("21.5");
  std::array<unsigned char, 64> buf;
  auto n = mc::encode(out, mc::protocol_version::v5, buf);  // no allocation, no exceptions
  if (!n) return 1;
  auto in = mc::decode(mc::bytes_view(buf.data(), *n), mc::protocol_version::v5);
  if (!in) {
    std::printf("%s at byte %lu\n", mc::name(in.error().code),
                static_cast<unsigned long>(in.error().offset));
    return 1;
  }
  const auto& p = std::get<mc::publish>(*in);  // views into buf: zero-copy
  std::printf("%.*s: %.*s\n", static_cast<int>(p.topic.size()), p.topic.data(),
              static_cast<int>(p.payload.size()), p.payload.as_chars().data());
}

// Fuzz target for next_frame (frame.hpp): a receiver that frames a byte stream as it arrives
// in chunks, the way a socket loop does.
//
// Input: option byte, chunk byte, then the stream.
//   option bits 0-1  version: 0 = 3.1, 1 = 3.1.1, 2 and 3 = 5.0
//   option bit 2     frame_options::allow_non_minimal_length
//   option bits 3-4  max_packet_size: default, 16, 128, 1024
//   chunk byte       seeds the chunk sizes (1..64 bytes) the stream arrives in
// Each call sees only the bytes received so far, copied into an exactly sized block so an
// over-read faults. Oracles: a complete frame fits what arrived and its header facts match a
// reference varint reading; need_more's hint is positive, exact once the length is known
// (feeding exactly that many bytes completes the packet) and never an overestimate (one byte
// fewer is still need_more); the same bytes with more after them frame the same way; invalid
// stays invalid as more bytes arrive and stops the loop. Every complete frame is decoded.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"

namespace mc = mqttcodec;

namespace {

mc::frame frame_copy(mc::bytes_view bytes, const mc::frame_options& fo) {
  const fuzz::exact_buffer copy(bytes);
  return mc::next_frame(copy.view(), fo);
}

std::uint32_t max_size_from(unsigned bits) {
  switch (bits & 3u) {
    case 1: return 16;
    case 2: return 128;
    case 3: return 1024;
    default: return mc::max_packet_size;
  }
}

// A frame answer has the shape its status promises.
void check_shape(const mc::frame& f, mc::bytes_view window, const mc::frame_options& fo) {
  switch (f.status) {
    case mc::frame_status::complete: {
      FUZZ_REQUIRE(f.size >= 2 && f.size <= window.size());
      FUZZ_REQUIRE(f.size <= fo.max_packet_size);
      FUZZ_REQUIRE(f.header_size >= 2 && f.header_size <= 5);
      FUZZ_REQUIRE(f.size == std::size_t{f.header_size} + f.remaining_length);
      FUZZ_REQUIRE(static_cast<unsigned>(f.type) == (window[0] >> 4u));
      FUZZ_REQUIRE(f.flags == (window[0] & 0x0Fu));
      const fuzz::ref_varint len = fuzz::ref_read_varint(window.data() + 1, f.header_size - 1u);
      FUZZ_REQUIRE(len.ok && len.size == f.header_size - 1u && len.value == f.remaining_length);
      FUZZ_REQUIRE(len.minimal || fo.allow_non_minimal_length);
      FUZZ_REQUIRE(f.packet(window).size() == f.size);
      FUZZ_REQUIRE(f.body(window).size() == f.remaining_length);
      break;
    }
    case mc::frame_status::need_more:
      FUZZ_REQUIRE(f.size > 0);
      if (f.header_size != 0) {
        FUZZ_REQUIRE(window.size() + f.size == std::size_t{f.header_size} + f.remaining_length);
      } else {
        // Still inside the fixed header: one byte more may settle it.
        FUZZ_REQUIRE(f.size == 1 && window.size() < 5);
      }
      break;
    case mc::frame_status::invalid:
      fuzz::check_error(f.err, window.size(), true);
      FUZZ_REQUIRE(!window.empty());
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  mc::frame_options fo;
  fo.version = fuzz::version_from(data[0]);
  fo.allow_non_minimal_length = (data[0] & 0x04u) != 0;
  fo.max_packet_size = max_size_from(data[0] >> 3u);
  mc::decode_options dopt;
  dopt.allow_non_minimal_length = fo.allow_non_minimal_length;
  dopt.max_packet_size = fo.max_packet_size;

  const mc::bytes_view stream(data + 2, size - 2);
  std::uint32_t rng = 0x9E3779B9u ^ (std::uint32_t{data[1]} * 0x01000193u);
  auto next_chunk = [&]() -> std::size_t {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return 1 + (rng % 64u);
  };

  std::size_t pos = 0;       // start of the packet being framed
  std::size_t received = 0;  // bytes of the stream arrived so far
  // Each turn frames a packet or receives at least one byte, so this bounds the loop.
  const std::size_t max_turns = 2 * stream.size() + 4;
  for (std::size_t turn = 0; turn < max_turns; ++turn) {
    FUZZ_REQUIRE(turn + 1 < max_turns);
    const mc::bytes_view window = stream.subview(pos, received - pos);
    const mc::bytes_view rest = stream.subview(pos);  // everything that will ever arrive
    const mc::frame f = frame_copy(window, fo);
    check_shape(f, window, fo);

    if (f.status == mc::frame_status::invalid) {
      // More bytes cannot repair a broken header.
      const mc::frame later = frame_copy(rest, fo);
      FUZZ_REQUIRE(later.status == mc::frame_status::invalid && fuzz::same_error(later.err, f.err));
      break;
    }

    if (f.status == mc::frame_status::complete) {
      const mc::bytes_view pkt = f.packet(window);
      // The packet alone, or with the rest of the stream after it, frames the same.
      for (const mc::bytes_view v : {pkt, rest}) {
        const mc::frame g = frame_copy(v, fo);
        FUZZ_REQUIRE(g.status == mc::frame_status::complete && g.size == f.size &&
                     g.header_size == f.header_size && g.remaining_length == f.remaining_length);
      }
      // Each strict prefix of the packet's fixed header and the packet less one byte need more.
      for (std::size_t n = 0; n <= f.header_size; ++n) {
        if (n >= f.size) break;
        const mc::frame g = frame_copy(pkt.subview(0, n), fo);
        FUZZ_REQUIRE(g.status == mc::frame_status::need_more);
        check_shape(g, pkt.subview(0, n), fo);
      }
      const mc::frame short1 = frame_copy(pkt.subview(0, f.size - 1), fo);
      FUZZ_REQUIRE(short1.status == mc::frame_status::need_more && short1.size == 1);

      const fuzz::exact_buffer copy(pkt);
      const auto d = mc::decode(copy.view(), fo.version, dopt);
      if (d) {
        fuzz::check_decoded(*d, fo.version, copy.view());
        fuzz::check_round_trip(*d, mc::encode_version(*d, fo.version), copy.view(), false);
      } else {
        fuzz::check_error(d.error(), pkt.size(), true);
        // The fixed header was accepted just now under the same limits.
        FUZZ_REQUIRE(d.error().code != mc::errc::packet_too_large);
        FUZZ_REQUIRE(d.error().offset >= f.header_size || d.error().offset == 0);
      }
      pos += f.size;
      continue;
    }

    // need_more
    const std::size_t want = window.size() + f.size;
    if (want <= rest.size()) {
      // Exactly the hinted bytes: complete once the length was known, never a packet that
      // ends inside what had already arrived.
      const mc::frame g = frame_copy(rest.subview(0, want), fo);
      check_shape(g, rest.subview(0, want), fo);
      if (f.header_size != 0) {
        FUZZ_REQUIRE(g.status == mc::frame_status::complete && g.size == want);
      }
      if (g.status == mc::frame_status::complete) FUZZ_REQUIRE(g.size > window.size());
    } else {
      // The stream ends inside this packet.
      const mc::frame g = frame_copy(rest, fo);
      FUZZ_REQUIRE(g.status != mc::frame_status::complete);
    }
    if (received == stream.size()) break;
    received += next_chunk();
    if (received > stream.size()) received = stream.size();
  }
  FUZZ_REQUIRE(pos <= stream.size());
  return 0;
}

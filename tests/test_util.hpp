// Helpers shared by the core test executable (codec_tests): hex conversion, the recorded
// traffic of tests/data/recorded, the hand-written spec vectors, a guard-page buffer and the
// allocation counter whose operator new lives in test_util.cpp.
#ifndef MQTTCODEC_TESTS_TEST_UTIL_HPP
#define MQTTCODEC_TESTS_TEST_UTIL_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mqttcodec/mqttcodec.hpp"

namespace test {

namespace mc = mqttcodec;

using byte_vector = std::vector<std::uint8_t>;

/// Bytes of a hex string; spaces are ignored so vectors can be grouped by field.
byte_vector from_hex(std::string_view hex);
/// Lower-case hex of `b`, no spaces.
std::string to_hex(mc::bytes_view b);

/// One packet of tests/data/recorded/*.txt.
struct recorded_packet {
  std::string where;  // "file:line", for failure messages
  bool client_to_server = false;
  mc::protocol_version version = mc::protocol_version::v311;
  byte_vector bytes;
};

/// Every packet of every recorded file (read once).
const std::vector<recorded_packet>& recorded_packets();

/// A valid packet written by hand from the specification.
struct spec_vector {
  const char* name;
  mc::protocol_version version;
  byte_vector bytes;
  /// Our encoder writes exactly these bytes back (false where the spec allows a longer form
  /// than the shortest one the encoder chooses).
  bool canonical = true;
};

/// All valid spec vectors, every packet type in every version.
const std::vector<spec_vector>& spec_vectors();

/// A packet the decoder must reject, with the rule that fails.
struct invalid_vector {
  const char* name;
  mc::protocol_version version;
  byte_vector bytes;
  mc::errc code;
  std::uint32_t offset;
  const char* rule;  // expected spec statement id, nullptr when none applies
};

/// Hand-written invalid packets.
const std::vector<invalid_vector>& invalid_vectors();

/// Every byte sequence the robustness tests replay: spec vectors, invalid vectors and all
/// recorded packets, each with the version to decode it with.
struct any_vector {
  std::string name;
  mc::protocol_version version;
  const byte_vector* bytes;
};
const std::vector<any_vector>& all_vectors();

/// Two pages from mmap (VirtualAlloc on Windows) with the second one inaccessible: place()
/// copies bytes so that they end exactly at that page, so any read past the end faults.
class guarded_buffer {
 public:
  guarded_buffer();
  ~guarded_buffer();
  guarded_buffer(const guarded_buffer&) = delete;
  guarded_buffer& operator=(const guarded_buffer&) = delete;
  /// Whether the mapping succeeded.
  bool ok() const noexcept { return base_ != nullptr; }
  /// Largest number of bytes place() accepts.
  std::size_t capacity() const noexcept { return page_; }
  /// Copies `b` flush against the guard page and returns the view of the copy.
  mc::bytes_view place(mc::bytes_view b);

 private:
  std::uint8_t* base_ = nullptr;
  std::size_t page_ = 0;
};

/// Number of calls to the global operator new (all forms) in this process so far.
std::size_t allocation_count() noexcept;

/// An error's statement id as text, "(none)" for none, so that ids compare by content.
inline std::string rule_text(const char* r) {
  return r != nullptr ? r : "(none)";
}

}  // namespace test

#endif

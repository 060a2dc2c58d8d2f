// Shared test data and the allocation counter. This is the one translation unit of codec_tests
// that replaces the global operator new / delete, so every test in the executable can prove
// that a code path allocates nothing.
#include "test_util.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>

namespace {

std::atomic<std::size_t> g_allocations{0};

void* counted_alloc(std::size_t n) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}

void* counted_alloc_or_die(std::size_t n) noexcept {
  void* p = counted_alloc(n);
  // Tests build with and without exceptions; running out of memory ends the run either way.
  if (p == nullptr) std::abort();
  return p;
}

void* counted_aligned_alloc(std::size_t n, std::align_val_t al) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const auto a = std::max(static_cast<std::size_t>(al), sizeof(void*));
#ifdef _WIN32
  return _aligned_malloc(n == 0 ? 1 : n, a);
#else
  void* p = nullptr;
  if (posix_memalign(&p, a, n == 0 ? 1 : n) != 0) return nullptr;
  return p;
#endif
}

// Windows' C library frees over-aligned blocks with a function of their own.
void aligned_free(void* p) noexcept {
#ifdef _WIN32
  _aligned_free(p);
#else
  std::free(p);
#endif
}

}  // namespace

void* operator new(std::size_t n) {
  return counted_alloc_or_die(n);
}
void* operator new[](std::size_t n) {
  return counted_alloc_or_die(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted_alloc(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return counted_alloc(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  void* p = counted_aligned_alloc(n, a);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new[](std::size_t n, std::align_val_t a) {
  void* p = counted_aligned_alloc(n, a);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_aligned_alloc(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_aligned_alloc(n, a);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  aligned_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  aligned_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  aligned_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  aligned_free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  aligned_free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  aligned_free(p);
}

namespace test {

using mc::protocol_version;

std::size_t allocation_count() noexcept {
  return g_allocations.load(std::memory_order_relaxed);
}

byte_vector from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  byte_vector out;
  int high = -1;
  for (const char c : hex) {
    if (c == ' ' || c == '\n') continue;
    const int v = nibble(c);
    if (v < 0) {
      std::fprintf(stderr, "from_hex: bad character '%c' in %.*s\n", c,
                   static_cast<int>(hex.size()), hex.data());
      std::abort();
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  if (high >= 0) {
    std::fprintf(stderr, "from_hex: odd number of digits in %.*s\n", static_cast<int>(hex.size()),
                 hex.data());
    std::abort();
  }
  return out;
}

std::string to_hex(mc::bytes_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (const std::uint8_t c : b) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

const std::vector<recorded_packet>& recorded_packets() {
  static const std::vector<recorded_packet> packets = [] {
    std::vector<recorded_packet> out;
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(fs::path(MQTTCODEC_TEST_DATA_DIR) / "recorded", ec), end;
         !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".txt") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::ifstream in(f);
      std::string line;
      int n = 0;
      while (std::getline(in, line)) {
        ++n;
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string dir, hex;
        int level = 0;
        fields >> dir >> level >> hex;
        recorded_packet p;
        p.where = f.filename().string() + ":" + std::to_string(n);
        p.client_to_server = dir == "c2s";
        p.version = static_cast<protocol_version>(level);
        p.bytes = from_hex(hex);
        out.push_back(std::move(p));
      }
    }
    return out;
  }();
  return packets;
}

namespace {

std::string repeat(std::string_view hex, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += hex;
  return s;
}

constexpr auto v31 = protocol_version::v31;
constexpr auto v311 = protocol_version::v311;
constexpr auto v5 = protocol_version::v5;

}  // namespace

// Bytes written field by field from the specifications (3.1: IBM MQTT V3.1 Protocol
// Specification; 3.1.1: OASIS Standard §3; 5.0: OASIS Standard §3). Groups are fields.
const std::vector<spec_vector>& spec_vectors() {
  static const std::vector<spec_vector> vectors = [] {
    std::vector<spec_vector> v;
    auto add = [&](const char* name, protocol_version ver, std::string_view hex,
                   bool canonical = true) {
      v.push_back(spec_vector{name, ver, from_hex(hex), canonical});
    };
    // ---- MQTT 3.1 ----
    add("v31 connect", v31, "10 11 0006 4d5149736470 03 02 003c 0003 616263");
    add("v31 connect full", v31,
        "10 1e 0006 4d5149736470 03 ee 000a 0002 6331 0001 77 0003 627965 0001 75 0001 70");
    add("v31 connect username", v31, "10 16 0006 4d5149736470 03 82 003c 0003 616263 0003 616263");
    // 3.1 lets the Remaining Length take precedence over the User Name and Password flags
    // (V3.1 §3.1): a flagged field may be missing at the end; the encoder leaves the flag out.
    add("v31 connect username flag, no username", v31,
        "10 11 0006 4d5149736470 03 82 003c 0003 616263", false);
    add("v31 connect both flags, neither field", v31,
        "10 11 0006 4d5149736470 03 c2 003c 0003 616263", false);
    add("v31 connect both flags, no password", v31,
        "10 16 0006 4d5149736470 03 c2 003c 0003 616263 0003 616263", false);
    add("v31 connack accepted", v31, "20 02 00 00");
    add("v31 connack identifier rejected", v31, "20 02 00 02");
    add("v31 publish qos0", v31, "30 07 0003 612f62 6869");
    add("v31 publish qos1 retain", v31, "33 09 0003 612f62 000a 6869");
    add("v31 publish qos2 dup", v31, "3c 07 0001 74 000b 7878");
    add("v31 puback", v31, "40 02 000a");
    add("v31 pubrec", v31, "50 02 000b");
    add("v31 pubrel", v31, "62 02 000b");
    // 3.1 set DUP on a retransmitted PUBREL / SUBSCRIBE / UNSUBSCRIBE (V3.1 §3.6, §3.8, §3.10).
    add("v31 pubrel dup", v31, "6a 02 000b", false);
    add("v31 pubcomp", v31, "70 02 000b");
    add("v31 subscribe", v31, "82 0c 0001 0003 612f23 01 0001 2b 02");
    add("v31 subscribe dup", v31, "8a 0c 0001 0003 612f23 01 0001 2b 02", false);
    add("v31 suback", v31, "90 04 0001 01 02");
    add("v31 unsubscribe", v31, "a2 07 0002 0003 612f23");
    add("v31 unsubscribe dup", v31, "aa 07 0002 0003 612f23", false);
    add("v31 unsuback", v31, "b0 02 0002");
    add("v31 pingreq", v31, "c0 00");
    add("v31 pingresp", v31, "d0 00");
    add("v31 disconnect", v31, "e0 00");
    // ---- MQTT 3.1.1 ----
    add("v311 connect", v311, "10 0c 0004 4d515454 04 02 003c 0000");
    add("v311 connect full", v311,
        "10 1f 0004 4d515454 04 d6 003c 0002 6331 0003 772f74 0002 00ff 0001 75 0003 010203");
    add("v311 connack session present", v311, "20 02 01 00");
    add("v311 connack not authorized", v311, "20 02 00 05");
    add("v311 publish qos0 empty payload", v311, "30 05 0003 612f62");
    add("v311 publish qos1 retain", v311, "33 09 0003 612f62 000a 6869");
    add("v311 publish qos2 dup", v311, "3c 07 0001 74 000b 7878");
    // U+FEFF and U+00E9 in the topic: kept as they are [MQTT-1.5.3-3].
    add("v311 publish utf8 topic", v311, "30 07 0005 efbbbf c3a9");
    // Remaining length 133 needs two bytes: 0x85 0x01.
    add("v311 publish 2-byte length", v311, "30 8501 0001 74 " + repeat("aa", 130));
    add("v311 puback", v311, "40 02 000a");
    add("v311 pubrec", v311, "50 02 000b");
    add("v311 pubrel", v311, "62 02 000b");
    add("v311 pubcomp", v311, "70 02 000b");
    add("v311 subscribe", v311, "82 0c 0001 0003 612f23 01 0001 2b 02");
    add("v311 suback with failure", v311, "90 05 0001 00 80 02");
    add("v311 unsubscribe", v311, "a2 0d 0002 0003 612f23 0004 24535953");
    add("v311 unsuback", v311, "b0 02 0002");
    add("v311 pingreq", v311, "c0 00");
    add("v311 pingresp", v311, "d0 00");
    add("v311 disconnect", v311, "e0 00");
    // ---- MQTT 5.0 ----
    add("v5 connect", v5, "10 0d 0004 4d515454 05 02 003c 00 0000");
    add("v5 connect full", v5,
        "10 69 0004 4d515454 05 ee 001e"
        " 26 1100000078 21000a 2700001000 220005 1901 1700 2600016b000176 150003534352"
        "   160002abcd"
        " 0003 636964"
        " 25 1800000005 0101 020000003c 03000474657874 080003722f31 0900020102"
        "   26000161000162"
        " 0001 77 0002 6f6b 0001 75 0001 70");
    add("v5 connack", v5, "20 03 00 00 00");
    add("v5 connack full", v5,
        "20 41 01 00 3e 110000000a 210014 2401 2500 2700000400 1200026964 22000a 1f00026f6b"
        " 2600016b000176 2801 2900 2a01 13003c 1a000172 1c000173 1500014d 16000100");
    add("v5 connack not authorized", v5, "20 03 00 87 00");
    add("v5 publish qos0", v5, "30 08 0003 612f62 00 6869");
    add("v5 publish qos1 properties", v5,
        "32 36 0003 742f31 0005 29 0101 020000001e 03000178 08000172 09000107 0b05 0b8001"
        " 230003 26000161000162 26000161000163 68656c6c6f");
    add("v5 publish topic alias only", v5, "30 06 0000 03 230001");
    add("v5 puback", v5, "40 02 0001");
    add("v5 puback reason", v5, "40 03 0001 10");
    add("v5 puback reason string", v5, "40 0a 0001 10 06 1f0003626164");
    // A reason code of 0 with a Property Length of 0 is the long form of the 2-byte packet
    // (§3.4.2.1: the Reason Code and Property Length can be omitted).
    add("v5 puback long success", v5, "40 04 0001 00 00", false);
    add("v5 pubrec", v5, "50 03 0002 80");
    add("v5 pubrel", v5, "62 03 0002 92");
    add("v5 pubcomp user property", v5, "70 0b 0002 00 07 2600016b000176");
    add("v5 subscribe", v5,
        "82 1f 0007 09 0b0a 2600016b000176 0003 612f2b 2d 000a 2473686172652f672f78 02");
    add("v5 suback", v5, "90 08 0007 03 1f0000 01 a2");
    add("v5 unsubscribe", v5, "a2 0e 0008 00 0003 612f62 0004 24535953");
    add("v5 unsuback", v5, "b0 05 0008 00 00 11");
    add("v5 pingreq", v5, "c0 00");
    add("v5 pingresp", v5, "d0 00");
    add("v5 disconnect", v5, "e0 00");
    add("v5 disconnect reason", v5, "e0 01 04");
    add("v5 disconnect full", v5, "e0 16 9c 14 1100000000 1f000178 2600016b000176 1c000173");
    add("v5 auth", v5, "f0 00");
    add("v5 auth full", v5, "f0 18 18 16 150003534352 1600020102 1f000178 2600016b000176");
    return v;
  }();
  return vectors;
}

const std::vector<invalid_vector>& invalid_vectors() {
  static const std::vector<invalid_vector> vectors = [] {
    using mc::errc;
    std::vector<invalid_vector> v;
    auto add = [&](const char* name, protocol_version ver, std::string_view hex, errc code,
                   std::uint32_t offset, const char* rule) {
      v.push_back(invalid_vector{name, ver, from_hex(hex), code, offset, rule});
    };
    // Fixed header (3.1.1 §2.2, 5.0 §2.1).
    add("reserved type 0", v311, "00 00", errc::invalid_packet_type, 0, nullptr);
    add("type 15 in 3.1.1", v311, "f0 00", errc::invalid_packet_type, 0, nullptr);
    add("type 15 in 3.1", v31, "f0 00", errc::invalid_packet_type, 0, nullptr);
    add("pubrel flags 0000", v311, "60 02 0001", errc::invalid_header_flags, 0, "MQTT-3.6.1-1");
    add("pubrel dup in 3.1.1", v311, "6a 02 0001", errc::invalid_header_flags, 0, "MQTT-3.6.1-1");
    add("pubrel dup in 5.0", v5, "6a 02 0001", errc::invalid_header_flags, 0, "MQTT-3.6.1-1");
    add("subscribe flags 0000", v311, "80 06 0001 0001 61 00", errc::invalid_header_flags, 0,
        "MQTT-3.8.1-1");
    add("unsubscribe flags 0000", v5, "a0 06 0001 00 0001 61", errc::invalid_header_flags, 0,
        "MQTT-3.10.1-1");
    add("connack flags 3.1.1", v311, "21 02 00 00", errc::invalid_header_flags, 0, "MQTT-2.2.2-1");
    add("connack flags 5.0", v5, "21 03 00 00 00", errc::invalid_header_flags, 0, "MQTT-2.1.3-1");
    add("disconnect flags", v5, "e1 00", errc::invalid_header_flags, 0, "MQTT-3.14.1-1");
    add("auth flags", v5, "f1 00", errc::invalid_header_flags, 0, "MQTT-3.15.1-1");
    add("publish qos 3", v311, "36 07 0003 612f62 0001", errc::invalid_qos, 0, "MQTT-3.3.1-4");
    add("publish dup at qos 0", v311, "38 05 0003 612f62", errc::invalid_header_flags, 0,
        "MQTT-3.3.1-2");
    add("non-minimal remaining length 3.1.1", v311, "c0 8000", errc::non_minimal_length, 1,
        nullptr);
    add("non-minimal remaining length 5.0", v5, "c0 8000", errc::non_minimal_length, 1,
        "MQTT-1.5.5-1");
    add("5-byte remaining length", v311, "30 ffffffff7f", errc::invalid_remaining_length, 1,
        nullptr);
    add("shorter than remaining length", v311, "30 05 0003 61", errc::truncated, 5, nullptr);
    add("pingreq with a body", v311, "c0 01 00", errc::trailing_bytes, 2, nullptr);
    add("disconnect 3.1.1 with a body", v311, "e0 01 00", errc::trailing_bytes, 2, nullptr);
    add("puback 3.1.1 with a reason code", v311, "40 03 0001 00", errc::trailing_bytes, 4, nullptr);
    // PUBLISH (§3.3).
    add("publish topic with +", v311, "30 05 0003 612f2b", errc::topic_has_wildcard, 6,
        "MQTT-3.3.2-2");
    add("publish topic with #", v5, "30 04 0001 23 00", errc::topic_has_wildcard, 4,
        "MQTT-3.3.2-2");
    add("publish empty topic 3.1.1", v311, "30 02 0000", errc::empty_topic, 2, "MQTT-4.7.3-1");
    add("publish empty topic without alias 5.0", v5, "30 03 0000 00", errc::empty_topic, 2,
        "MQTT-4.7.3-1");
    add("publish qos1 packet id 0 3.1.1", v311, "32 07 0003 612f62 0000", errc::zero_packet_id, 7,
        "MQTT-2.3.1-1");
    add("publish qos1 packet id 0 5.0", v5, "32 08 0003 612f62 0000 00", errc::zero_packet_id, 7,
        "MQTT-2.2.1-3");
    add("topic overlong C0 80", v311, "30 04 0002 c080", errc::invalid_utf8, 4, "MQTT-1.5.3-1");
    add("topic surrogate ED A0 80", v5, "30 06 0003 eda080 00", errc::invalid_utf8, 4,
        "MQTT-1.5.4-1");
    add("topic with U+0000", v311, "30 04 0002 6100", errc::utf8_null_character, 5, "MQTT-1.5.3-2");
    add("topic length past the end", v311, "30 03 0005 61", errc::truncated, 2, nullptr);
    add("publish 5.0 without property length", v5, "30 03 0001 74", errc::truncated, 5,
        "MQTT-2.2.2-1");
    // Acknowledgements.
    add("puback packet id 0", v311, "40 02 0000", errc::zero_packet_id, 2, "MQTT-2.3.1-1");
    add("puback reason 0x01", v5, "40 03 0001 01", errc::invalid_reason_code, 4, "MQTT-3.4.2-1");
    add("pubrec reason 0x92", v5, "50 03 0001 92", errc::invalid_reason_code, 4, "MQTT-3.5.2-1");
    add("pubrel reason 0x10", v5, "62 03 0001 10", errc::invalid_reason_code, 4, "MQTT-3.6.2-1");
    add("pubcomp reason 0x80", v5, "70 03 0001 80", errc::invalid_reason_code, 4, "MQTT-3.7.2-1");
    add("disconnect reason 0x01", v5, "e0 01 01", errc::invalid_reason_code, 2, "MQTT-3.14.2-1");
    add("auth reason 0x01", v5, "f0 01 01", errc::invalid_reason_code, 2, "MQTT-3.15.2-1");
    // CONNECT (§3.1).
    add("connect protocol name MQTX", v311, "10 0c 0004 4d515458 04 02 003c 0000",
        errc::invalid_protocol_name, 2, "MQTT-3.1.2-1");
    add("connect MQTT level 3", v311, "10 0c 0004 4d515454 03 02 003c 0000",
        errc::unsupported_protocol_version, 8, "MQTT-3.1.2-2");
    add("connect MQIsdp level 4", v31, "10 0f 0006 4d5149736470 04 02 003c 0001 61",
        errc::unsupported_protocol_version, 10, "MQTT-3.1.2-2");
    add("connect reserved flag", v311, "10 0c 0004 4d515454 04 03 003c 0000",
        errc::invalid_connect_flags, 9, "MQTT-3.1.2-3");
    add("will qos without will 3.1.1", v311, "10 0c 0004 4d515454 04 0a 003c 0000",
        errc::invalid_will_flags, 9, "MQTT-3.1.2-13");
    add("will qos without will 5.0", v5, "10 0d 0004 4d515454 05 0a 003c 00 0000",
        errc::invalid_will_flags, 9, "MQTT-3.1.2-11");
    add("will retain without will", v311, "10 0c 0004 4d515454 04 22 003c 0000",
        errc::invalid_will_flags, 9, "MQTT-3.1.2-15");
    add("will qos 3", v311, "10 0c 0004 4d515454 04 1e 003c 0000", errc::invalid_qos, 9,
        "MQTT-3.1.2-14");
    add("password without user name 3.1.1", v311, "10 0c 0004 4d515454 04 42 003c 0000",
        errc::password_without_username, 9, "MQTT-3.1.2-22");
    add("empty client id without clean session", v311, "10 0c 0004 4d515454 04 00 003c 0000",
        errc::invalid_client_id, 12, "MQTT-3.1.3-8");
    add("3.1 empty client id", v31, "10 0e 0006 4d5149736470 03 02 003c 0000",
        errc::invalid_client_id, 14, nullptr);
    add("3.1 client id of 24 characters", v31,
        "10 26 0006 4d5149736470 03 02 003c 0018 " + repeat("61", 24), errc::invalid_client_id, 14,
        nullptr);
    add("client id not utf8", v311, "10 0e 0004 4d515454 04 02 003c 0002 c328", errc::invalid_utf8,
        14, "MQTT-1.5.3-1");
    add("will topic with #", v311, "10 13 0004 4d515454 04 06 003c 0000 0003 612f23 0000",
        errc::topic_has_wildcard, 18, "MQTT-3.3.2-2");
    add("will topic empty", v311, "10 10 0004 4d515454 04 06 003c 0000 0000 0000",
        errc::empty_topic, 14, "MQTT-4.7.3-1");
    add("connect receive maximum 0", v5, "10 10 0004 4d515454 05 02 003c 03 210000 0000",
        errc::invalid_property_value, 13, nullptr);
    // CONNACK (§3.2).
    add("connack reserved bits 3.1.1", v311, "20 02 02 00", errc::invalid_connack_flags, 2,
        nullptr);
    add("connack reserved bits 5.0", v5, "20 03 02 00 00", errc::invalid_connack_flags, 2,
        "MQTT-3.2.2-1");
    add("connack session present on refusal 3.1.1", v311, "20 02 01 05",
        errc::session_present_on_refusal, 2, "MQTT-3.2.2-4");
    add("connack session present on refusal 5.0", v5, "20 03 01 80 00",
        errc::session_present_on_refusal, 2, "MQTT-3.2.2-6");
    add("connack return code 6", v311, "20 02 00 06", errc::invalid_reason_code, 3, nullptr);
    add("connack reason 0x10 5.0", v5, "20 03 00 10 00", errc::invalid_reason_code, 3,
        "MQTT-3.2.2-8");
    add("3.1.1 connack to a 5.0 client", v5, "20 02 00 01", errc::connack_from_v311_server, 0,
        nullptr);
    // SUBSCRIBE / SUBACK / UNSUBSCRIBE / UNSUBACK (§3.8-3.11).
    add("subscribe without filters 3.1.1", v311, "82 02 0001", errc::no_topic_filters, 4,
        "MQTT-3.8.3-3");
    add("subscribe without filters 5.0", v5, "82 03 0001 00", errc::no_topic_filters, 5,
        "MQTT-3.8.3-2");
    add("subscribe options reserved bits 3.1.1", v311, "82 06 0001 0001 61 04",
        errc::invalid_subscription_options, 7, "MQTT-3.8.3-4");
    add("subscribe qos 3", v311, "82 06 0001 0001 61 03", errc::invalid_subscription_qos, 7,
        "MQTT-3.8.3-4");
    add("subscribe without options byte", v311, "82 05 0001 0001 61", errc::truncated, 7, nullptr);
    add("subscribe filter a#", v311, "82 07 0001 0002 6123 00", errc::invalid_topic_filter, 7,
        "MQTT-4.7.1-2");
    add("subscribe retain handling 3", v5, "82 07 0001 00 0001 61 30",
        errc::invalid_retain_handling, 8, nullptr);
    add("subscribe options reserved bits 5.0", v5, "82 07 0001 00 0001 61 c0",
        errc::invalid_subscription_options, 8, "MQTT-3.8.3-5");
    add("subscribe no local on shared", v5, "82 10 0001 00 000a 2473686172652f672f78 04",
        errc::shared_subscription_no_local, 17, "MQTT-3.8.3-4");
    add("suback return code 3", v311, "90 03 0001 03", errc::invalid_reason_code, 4,
        "MQTT-3.9.3-2");
    add("suback 0x80 in 3.1", v31, "90 03 0001 80", errc::invalid_reason_code, 4, "MQTT-3.9.3-2");
    add("suback without codes", v311, "90 02 0001", errc::truncated, 4, nullptr);
    add("unsubscribe without filters", v311, "a2 02 0001", errc::no_topic_filters, 4,
        "MQTT-3.10.3-2");
    add("unsubscribe filter #/a", v5, "a2 08 0001 00 0003 232f61", errc::invalid_topic_filter, 7,
        "MQTT-4.7.1-1");
    add("unsuback without codes 5.0", v5, "b0 03 0001 00", errc::truncated, 5, nullptr);
    add("unsuback reason 0x01", v5, "b0 04 0001 00 01", errc::invalid_reason_code, 5,
        "MQTT-3.11.3-2");
    // Properties (5.0 §2.2.2).
    add("unknown property 0x05", v5, "40 05 0001 10 01 05", errc::unknown_property, 6, nullptr);
    add("topic alias in puback", v5, "40 07 0001 10 03 230001", errc::property_not_allowed, 6,
        nullptr);
    add("reason string twice", v5, "40 0c 0001 10 08 1f000161 1f000162", errc::duplicate_property,
        10, nullptr);
    add("topic alias 0", v5, "30 07 0001 74 03 230000", errc::invalid_property_value, 6,
        "MQTT-3.3.2-8");
    add("payload format 2", v5, "30 06 0001 74 02 0102", errc::invalid_property_value, 6, nullptr);
    add("subscription identifier 0", v5, "30 06 0001 74 02 0b00", errc::invalid_property_value, 6,
        nullptr);
    add("response topic with #", v5, "30 08 0001 74 04 08000123", errc::topic_has_wildcard, 6,
        "MQTT-3.3.2-14");
    // A property's string breaks the UTF-8 rules as any string does (§1.5.4).
    add("response topic not utf8", v5, "30 08 0001 74 04 080001ff", errc::invalid_utf8, 9,
        "MQTT-1.5.4-1");
    add("content type not utf8", v5, "30 08 0001 74 04 030001ff", errc::invalid_utf8, 9,
        "MQTT-1.5.4-1");
    add("user property name U+0000", v5, "30 0b 0001 74 07 26 0001 00 0001 76",
        errc::utf8_null_character, 9, "MQTT-1.5.4-2");
    add("reason string surrogate", v5, "40 0a 0001 00 06 1f 0003 eda080", errc::invalid_utf8, 9,
        "MQTT-1.5.4-1");
    add("property length past the packet", v5, "40 05 0001 10 05 1f", errc::invalid_property_length,
        5, nullptr);
    add("property value past the property length", v5, "40 08 0001 10 02 1f00 0161",
        errc::invalid_property_length, 7, nullptr);
    add("non-minimal subscription identifier", v5, "30 07 0001 74 03 0b8100",
        errc::non_minimal_length, 7, "MQTT-1.5.5-1");
    add("non-minimal property length", v5, "40 05 0001 10 8000", errc::non_minimal_length, 5,
        "MQTT-1.5.5-1");
    // A property identifier is a Variable Byte Integer too: two bytes for identifier 1, and
    // identifier 128, which Table 2-4 does not define.
    add("non-minimal property identifier", v5, "30 07 0001 74 03 810000", errc::non_minimal_length,
        6, "MQTT-1.5.5-1");
    add("two-byte property identifier", v5, "30 06 0001 74 02 8001", errc::unknown_property, 6,
        nullptr);
    add("authentication data without method", v5, "f0 05 18 03 160000",
        errc::auth_data_without_method, 4, nullptr);
    return v;
  }();
  return vectors;
}

const std::vector<any_vector>& all_vectors() {
  static const std::vector<any_vector> all = [] {
    std::vector<any_vector> out;
    for (const spec_vector& s : spec_vectors()) out.push_back({s.name, s.version, &s.bytes});
    for (const invalid_vector& s : invalid_vectors()) {
      out.push_back({std::string("invalid: ") + s.name, s.version, &s.bytes});
    }
    for (const recorded_packet& p : recorded_packets()) {
      out.push_back({p.where, p.version, &p.bytes});
    }
    return out;
  }();
  return all;
}

#ifdef _WIN32
guarded_buffer::guarded_buffer() {
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  page_ = info.dwPageSize;
  void* p = VirtualAlloc(nullptr, 2 * page_, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
  if (p == nullptr) return;
  base_ = static_cast<std::uint8_t*>(p);
  DWORD old = 0;
  if (!VirtualProtect(base_ + page_, page_, PAGE_NOACCESS, &old)) {
    VirtualFree(base_, 0, MEM_RELEASE);
    base_ = nullptr;
  }
}

guarded_buffer::~guarded_buffer() {
  if (base_ != nullptr) VirtualFree(base_, 0, MEM_RELEASE);
}
#else
guarded_buffer::guarded_buffer() {
  page_ = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* p = mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;
  base_ = static_cast<std::uint8_t*>(p);
  if (mprotect(base_ + page_, page_, PROT_NONE) != 0) {
    munmap(base_, 2 * page_);
    base_ = nullptr;
  }
}

guarded_buffer::~guarded_buffer() {
  if (base_ != nullptr) munmap(base_, 2 * page_);
}
#endif

mc::bytes_view guarded_buffer::place(mc::bytes_view b) {
  std::uint8_t* start = base_ + page_ - b.size();
  if (!b.empty()) std::memcpy(start, b.data(), b.size());
  return {start, b.size()};
}

}  // namespace test

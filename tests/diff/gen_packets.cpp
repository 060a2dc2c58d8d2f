// gen_packets: random valid MQTT packets for the differential test against mqtt-packet.
//
//   gen_packets SEED COUNT
//
// Prints COUNT packets of 3.1.1 and COUNT of 5.0, one a line: `<level 4|5> <hex>`, the types
// taken in turn so each gets its share (14 types in 3.1.1, 15 in 5.0). Every packet is a random
// but valid struct encoded with mc::encode; the same SEED gives the same lines on every
// compiler (the generator is splitmix64, not <random>, whose distributions differ between
// standard libraries). Before printing, each packet is decoded again and compared with the
// struct it came from: an encoder that silently dropped a field would otherwise go unnoticed,
// since the other side of the test (mqtt_dump) decodes the same bytes with the same library.
//
// Exit status: 0 all packets printed; 1 the library refused or changed a packet (printed on
// stderr with the packet); 2 usage error.
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "mqttcodec/mqttcodec.hpp"

namespace mc = mqttcodec;

namespace {

// splitmix64: small, fast, and the same numbers everywhere.
class rng {
 public:
  explicit rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the modulo bias is far below anything this test could notice.
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi) { return lo + below(hi - lo + 1); }
  bool chance(std::uint32_t percent) { return below(100) < percent; }

 private:
  std::uint64_t s_;
};

// Owns the strings, byte arrays and lists one packet's views point into; cleared per packet.
// Deques keep their elements in place as they grow, so earlier views stay valid.
struct arena {
  std::deque<std::string> strings;
  std::deque<std::vector<std::uint8_t>> blobs;
  std::deque<std::vector<mc::string_pair>> pairs;
  std::deque<std::vector<std::uint32_t>> ids;
  std::deque<std::vector<mc::subscription>> subs;
  std::deque<std::vector<std::string_view>> filters;

  void clear() {
    strings.clear();
    blobs.clear();
    pairs.clear();
    ids.clear();
    subs.clear();
    filters.clear();
  }
};

void append_utf8(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Characters a string part must not contain (e.g. "/+#" for a topic level).
class generator {
 public:
  explicit generator(std::uint64_t seed) : r_(seed) {}

  rng& r() { return r_; }
  arena& a() { return a_; }

  // One code point of valid MQTT UTF-8 (never U+0000 or a surrogate): mostly printable ASCII,
  // then controls, 2-, 3- and 4-byte forms, and the code points a decoder is most likely to
  // mangle (U+FEFF, which must not be stripped [MQTT-1.5.4-3]; non-characters; U+10FFFF).
  std::uint32_t code_point() {
    const std::uint32_t k = r_.below(100);
    if (k < 60) return r_.between(0x20, 0x7E);
    if (k < 64) return r_.chance(50) ? r_.between(0x01, 0x1F) : 0x7F;
    if (k < 76) return r_.between(0x80, 0x7FF);
    if (k < 88) {
      const std::uint32_t cp = r_.between(0x800, 0xFFFD);
      return cp >= 0xD800 && cp <= 0xDFFF ? cp + 0x800 : cp;
    }
    if (k < 96) return r_.between(0x10000, 0x10FFFF);
    constexpr std::uint32_t tricky[] = {0xFEFF, 0xFFFE, 0xFFFF, 0xFDD0,  0x10FFFF, 0x1FFFE, 0xC0,
                                        0x7FF,  0x800,  0xFFFD, 0x10000, 0x85,     0x2028};
    return tricky[r_.below(sizeof tricky / sizeof tricky[0])];
  }

  // A length: usually short, sometimes a few hundred (two-byte length prefixes above 255).
  std::size_t length(std::size_t lo, std::size_t short_hi) {
    if (r_.chance(5)) return r_.between(static_cast<std::uint32_t>(lo), 600);
    return r_.between(static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(short_hi));
  }

  std::string utf8(std::size_t chars, std::string_view forbidden = {}) {
    std::string s;
    while (chars > 0) {
      const std::uint32_t cp = code_point();
      if (cp < 0x80 && forbidden.find(static_cast<char>(cp)) != std::string_view::npos) continue;
      append_utf8(s, cp);
      --chars;
    }
    return s;
  }

  std::string_view keep(std::string s) { return a_.strings.emplace_back(std::move(s)); }

  std::string_view string(std::size_t lo = 0, std::size_t hi = 20) {
    return keep(utf8(length(lo, hi)));
  }

  mc::bytes_view blob(std::size_t lo, std::size_t hi) {
    std::vector<std::uint8_t>& b = a_.blobs.emplace_back(
        r_.between(static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi)));
    for (auto& x : b) x = static_cast<std::uint8_t>(r_.next());
    return {b.data(), b.size()};
  }

  // Payload sizes 0..2000, with a few up to 20000 (three-byte remaining lengths).
  mc::bytes_view payload() {
    if (r_.chance(2)) return blob(16384, 20000);
    if (r_.chance(30)) return blob(0, 8);
    return blob(0, 2000);
  }

  // A topic name: no wildcards; '/' anywhere, so empty levels occur too.
  std::string_view topic_name() {
    std::string s;
    const std::size_t n = length(1, 30);
    while (s.empty()) {
      s = utf8(n, "+#");
      if (r_.chance(20)) s.insert(0, r_.chance(50) ? "$SYS/" : "/");
    }
    return keep(std::move(s));
  }

  // A topic filter: levels of text, '+', and possibly a final '#'; in 5.0 sometimes shared.
  std::string_view topic_filter(bool v5, bool& shared) {
    std::string s;
    // A filter of one empty level would be empty, which no filter may be [MQTT-4.7.3-1].
    while (s.empty()) {
      const std::uint32_t levels = r_.between(1, 5);
      for (std::uint32_t i = 0; i < levels; ++i) {
        if (i > 0) s += '/';
        if (i + 1 == levels && r_.chance(20)) {
          s += '#';
        } else if (r_.chance(20)) {
          s += '+';
        } else {
          s += utf8(length(0, 8), "/+#");
        }
      }
    }
    shared = false;
    if (v5 && r_.chance(15)) {
      std::string group;
      while (group.empty()) group = utf8(r_.between(1, 6), "/+#");
      s = "$share/" + group + "/" + s;
      shared = true;
    }
    return keep(std::move(s));
  }

  std::uint16_t packet_id() {
    constexpr std::uint16_t edges[] = {1, 2, 127, 128, 255, 256, 32767, 32768, 65534, 65535};
    if (r_.chance(20)) return edges[r_.below(sizeof edges / sizeof edges[0])];
    return static_cast<std::uint16_t>(r_.between(1, 65535));
  }

  std::uint32_t u32(std::uint32_t lo = 0) {
    constexpr std::uint32_t edges[] = {0,           1,           127,         128,        255,
                                       256,         65535,       65536,       16777215,   16777216,
                                       2147483647u, 2147483648u, 4294967294u, 4294967295u};
    std::uint32_t v = r_.chance(40) ? edges[r_.below(sizeof edges / sizeof edges[0])]
                                    : static_cast<std::uint32_t>(r_.next());
    return v < lo ? lo : v;
  }
  std::uint16_t u16(std::uint16_t lo = 0) {
    constexpr std::uint16_t edges[] = {0, 1, 127, 128, 255, 256, 32767, 32768, 65534, 65535};
    std::uint16_t v = r_.chance(40) ? edges[r_.below(sizeof edges / sizeof edges[0])]
                                    : static_cast<std::uint16_t>(r_.next());
    return v < lo ? lo : v;
  }
  // A Subscription Identifier: 1..268,435,455, with the variable byte integer boundaries.
  std::uint32_t subscription_id() {
    constexpr std::uint32_t edges[] = {1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455};
    if (r_.chance(40)) return edges[r_.below(sizeof edges / sizeof edges[0])];
    return r_.between(1, 268435455);
  }

  // User properties: names and values may be empty, names repeat (with equal or different
  // values), and some names are ones a JavaScript object treats specially.
  mc::user_property_list user_properties() {
    std::vector<mc::string_pair>& v = a_.pairs.emplace_back();
    const std::uint32_t n = r_.chance(20) ? r_.between(6, 12) : r_.between(1, 4);
    constexpr std::string_view special[] = {"__proto__", "constructor", "0", "10", "2",
                                            "toString",  "length",      "",  "a"};
    for (std::uint32_t i = 0; i < n; ++i) {
      mc::string_pair p;
      if (!v.empty() && r_.chance(30)) {
        p = v[r_.below(static_cast<std::uint32_t>(v.size()))];
        if (r_.chance(50)) p.value = string(0, 10);
      } else {
        p.name =
            r_.chance(25) ? special[r_.below(sizeof special / sizeof special[0])] : string(0, 12);
        p.value = r_.chance(10) ? std::string_view() : string(0, 16);
      }
      v.push_back(p);
    }
    return v;
  }

  // Sets each property of `props` with some probability (none at all a quarter of the time).
  template <class Props>
  void properties(Props& props) {
    if (r_.chance(25)) return;
    fill(props, typename Props::fields{});
    if constexpr (std::is_base_of_v<mc::property::authentication_data_field, Props>) {
      // Authentication Data needs an Authentication Method (5.0 §3.1.2.11.10).
      if (props.authentication_data && !props.authentication_method) {
        props.authentication_method = string(1, 12);
      }
    }
  }

 private:
  template <class Props, template <class...> class List, class... F>
  void fill(Props& props, List<F...>) {
    (fill_one(static_cast<F&>(props)), ...);
  }

  void fill_one(mc::property::user_properties_field& f) {
    if (r_.chance(50)) f.user_properties = user_properties();
  }
  void fill_one(mc::property::subscription_identifiers_field& f) {
    if (!r_.chance(40)) return;
    std::vector<std::uint32_t>& v = a_.ids.emplace_back(r_.between(1, 4));
    for (auto& x : v) x = subscription_id();
    f.subscription_identifiers = v;
  }
  template <class F>
  void fill_one(F& f) {
    if (!r_.chance(40)) return;
    using T = typename F::value_type;
    constexpr mc::property_id id = F::id;
    auto& v = f.get();
    if constexpr (std::is_same_v<T, bool>) {
      v = r_.chance(50);
    } else if constexpr (std::is_same_v<T, mc::payload_format>) {
      v = static_cast<mc::payload_format>(r_.below(2));
    } else if constexpr (std::is_same_v<T, mc::qos>) {
      v = static_cast<mc::qos>(r_.below(2));  // Maximum QoS is 0 or 1 (§3.2.2.3.4)
    } else if constexpr (std::is_same_v<T, std::uint16_t>) {
      // Receive Maximum and Topic Alias are never 0 (§3.1.2.11.3, §3.3.2.3.4).
      v = u16(id == mc::property_id::receive_maximum || id == mc::property_id::topic_alias ? 1 : 0);
    } else if constexpr (std::is_same_v<T, std::uint32_t>) {
      if constexpr (id == mc::property_id::subscription_identifier) {
        v = subscription_id();
      } else {
        v = u32(id == mc::property_id::maximum_packet_size ? 1 : 0);  // §3.1.2.11.4
      }
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      // A Response Topic is a topic name (§3.3.2.3.5); other strings are free text.
      v = id == mc::property_id::response_topic ? topic_name() : string();
    } else {
      static_assert(std::is_same_v<T, mc::bytes_view>, "unhandled property type");
      v = blob(0, r_.chance(10) ? 300 : 20);
    }
  }

  rng r_;
  arena a_;
};

// A reason code (3.x: return code) that `type` may carry in version `v`, uniformly.
std::uint8_t reason(generator& g, mc::packet_type type, mc::protocol_version v) {
  std::vector<std::uint8_t> allowed;
  for (unsigned c = 0; c < 256; ++c) {
    if (mc::reason_code_allowed(type, static_cast<std::uint8_t>(c), v)) {
      allowed.push_back(static_cast<std::uint8_t>(c));
    }
  }
  return allowed[g.r().below(static_cast<std::uint32_t>(allowed.size()))];
}

// A reason code for acks that are short when it is success: success half the time.
std::uint8_t ack_reason(generator& g, mc::packet_type type) {
  if (g.r().chance(50)) return 0;
  return reason(g, type, mc::protocol_version::v5);
}

mc::packet make(generator& g, mc::packet_type type, mc::protocol_version v) {
  rng& r = g.r();
  const bool v5 = v == mc::protocol_version::v5;
  switch (type) {
    case mc::packet_type::connect: {
      mc::connect c;
      c.version = v;
      c.clean_start = r.chance(50);
      c.keep_alive = g.u16();
      // 3.1.1 allows an empty client identifier only with Clean Session [MQTT-3.1.3-7]; 5.0
      // leaves it to the server (§3.1.3.1).
      c.client_id = g.string(r.chance(15) && (v5 || c.clean_start) ? 0 : 1, 23);
      if (r.chance(50)) {
        mc::will_message& w = c.will.emplace();
        w.topic = g.topic_name();
        w.payload = r.chance(20) ? mc::bytes_view() : g.blob(0, 300);
        w.qos = static_cast<mc::qos>(r.below(3));
        w.retain = r.chance(50);
        if (v5) g.properties(w.props);
      }
      if (r.chance(60)) c.username = g.string(0, 16);
      // 3.1.1 allows a password only with a user name [MQTT-3.1.2-22]; 5.0 allows it alone.
      if (r.chance(50) && (v5 || c.username)) c.password = g.blob(0, 40);
      if (v5) g.properties(c.props);
      return c;
    }
    case mc::packet_type::connack: {
      mc::connack c;
      c.reason_code =
          static_cast<mc::reason_code>(r.chance(50) ? 0 : reason(g, mc::packet_type::connack, v));
      // Session Present must be 0 with a non-zero return code [MQTT-3.2.2-4], 5.0 [MQTT-3.2.2-6].
      c.session_present = c.reason_code == mc::reason_code::success && r.chance(50);
      if (v5) g.properties(c.props);
      return c;
    }
    case mc::packet_type::publish: {
      mc::publish p;
      p.qos = static_cast<mc::qos>(r.below(3));
      p.retain = r.chance(50);
      p.dup = p.qos != mc::qos::at_most_once && r.chance(50);  // [MQTT-3.3.1-2]
      if (p.qos != mc::qos::at_most_once) p.packet_id = g.packet_id();
      p.payload = g.payload();
      if (v5) {
        g.properties(p.props);
        // 5.0 allows an empty topic name when a Topic Alias stands for it (§3.3.2.1).
        if (r.chance(15)) p.props.topic_alias = static_cast<std::uint16_t>(r.between(1, 65535));
        p.topic = p.props.topic_alias && r.chance(50) ? std::string_view() : g.topic_name();
      } else {
        p.topic = g.topic_name();
      }
      return p;
    }
    case mc::packet_type::puback:
    case mc::packet_type::pubrec:
    case mc::packet_type::pubrel:
    case mc::packet_type::pubcomp: {
      const std::uint16_t id = g.packet_id();
      const mc::reason_code rc = static_cast<mc::reason_code>(v5 ? ack_reason(g, type) : 0);
      mc::ack_properties props;
      if (v5) g.properties(props);
      auto fill = [&](auto ack) -> mc::packet {
        ack.packet_id = id;
        ack.reason_code = rc;
        ack.props = props;
        return ack;
      };
      if (type == mc::packet_type::puback) return fill(mc::puback{});
      if (type == mc::packet_type::pubrec) return fill(mc::pubrec{});
      if (type == mc::packet_type::pubrel) return fill(mc::pubrel{});
      return fill(mc::pubcomp{});
    }
    case mc::packet_type::subscribe: {
      mc::subscribe s;
      s.packet_id = g.packet_id();
      std::vector<mc::subscription>& subs = g.a().subs.emplace_back(r.between(1, 6));
      for (mc::subscription& sub : subs) {
        bool shared = false;
        sub.topic_filter = g.topic_filter(v5, shared);
        sub.options.max_qos = static_cast<mc::qos>(r.below(3));
        if (v5) {
          // No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4].
          sub.options.no_local = !shared && r.chance(50);
          sub.options.retain_as_published = r.chance(50);
          sub.options.retain = static_cast<mc::retain_handling>(r.below(3));
        }
      }
      s.subscriptions = subs;
      if (v5) g.properties(s.props);
      return s;
    }
    case mc::packet_type::suback: {
      mc::suback s;
      s.packet_id = g.packet_id();
      std::vector<std::uint8_t>& codes = g.a().blobs.emplace_back(r.between(1, 10));
      for (auto& c : codes) c = reason(g, type, v);
      s.reason_codes = mc::bytes_view(codes.data(), codes.size());
      if (v5) g.properties(s.props);
      return s;
    }
    case mc::packet_type::unsubscribe: {
      mc::unsubscribe u;
      u.packet_id = g.packet_id();
      std::vector<std::string_view>& f = g.a().filters.emplace_back(r.between(1, 6));
      for (auto& x : f) {
        bool shared = false;
        x = g.topic_filter(v5, shared);
      }
      u.topic_filters = f;
      if (v5) g.properties(u.props);
      return u;
    }
    case mc::packet_type::unsuback: {
      mc::unsuback u;
      u.packet_id = g.packet_id();
      if (v5) {
        std::vector<std::uint8_t>& codes = g.a().blobs.emplace_back(r.between(1, 10));
        for (auto& c : codes) c = reason(g, type, v);
        u.reason_codes = mc::bytes_view(codes.data(), codes.size());
        g.properties(u.props);
      }
      return u;
    }
    case mc::packet_type::pingreq: return mc::pingreq{};
    case mc::packet_type::pingresp: return mc::pingresp{};
    case mc::packet_type::disconnect: {
      mc::disconnect d;
      if (v5) {
        d.reason_code = static_cast<mc::reason_code>(ack_reason(g, type));
        g.properties(d.props);
      }
      return d;
    }
    case mc::packet_type::auth: {
      mc::auth a;
      a.reason_code = static_cast<mc::reason_code>(ack_reason(g, type));
      g.properties(a.props);
      // Every AUTH but the empty short form names its method (§3.15.2.2.2).
      if (a.reason_code != mc::reason_code::success || mc::detail::any_property(a.props)) {
        if (!a.props.authentication_method) a.props.authentication_method = "SCRAM-SHA-1";
      }
      return a;
    }
  }
  return mc::pingreq{};
}

void print_hex(unsigned level, const std::vector<std::uint8_t>& bytes, std::string& line) {
  static constexpr char digits[] = "0123456789abcdef";
  line.clear();
  line += static_cast<char>('0' + level);
  line += ' ';
  for (std::uint8_t b : bytes) {
    line += digits[b >> 4];
    line += digits[b & 15];
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: gen_packets SEED COUNT\n");
    return 2;
  }
  char* end = nullptr;
  const std::uint64_t seed = std::strtoull(argv[1], &end, 10);
  if (*end != '\0') {
    std::fprintf(stderr, "gen_packets: SEED must be a decimal number\n");
    return 2;
  }
  const unsigned long count = std::strtoul(argv[2], &end, 10);
  if (*end != '\0' || count == 0) {
    std::fprintf(stderr, "gen_packets: COUNT must be a positive decimal number\n");
    return 2;
  }

#ifdef _WIN32
  _setmode(_fileno(stdout), _O_BINARY);  // lines end in LF, not CR LF, as the readers expect
#endif
  generator g(seed);
  std::vector<std::uint8_t> bytes;
  std::string line;
  int failures = 0;
  for (const mc::protocol_version v : {mc::protocol_version::v311, mc::protocol_version::v5}) {
    const unsigned types = v == mc::protocol_version::v5 ? 15 : 14;
    for (unsigned long i = 0; i < count; ++i) {
      g.a().clear();
      const auto type = static_cast<mc::packet_type>(1 + i % types);
      const mc::packet p = make(g, type, v);
      bytes.clear();
      mc::container_sink<std::vector<std::uint8_t>> sink(bytes);
      const auto n = mc::encode(p, v, sink);
      if (!n) {
        std::fprintf(stderr, "gen_packets: encode refused packet %lu (%s, version %s): %s\n", i,
                     mc::to_string(type), mc::to_string(v), mc::name(n.error().code));
        ++failures;
        continue;
      }
      const auto back = mc::decode(mc::bytes_view(bytes.data(), bytes.size()), v);
      if (!back || !(*back == p)) {
        std::fprintf(stderr, "gen_packets: packet %lu (%s, version %s) did not decode to itself", i,
                     mc::to_string(type), mc::to_string(v));
        if (!back) std::fprintf(stderr, ": %s", mc::name(back.error().code));
        std::fprintf(stderr, "\n");
        ++failures;
        continue;
      }
      print_hex(static_cast<unsigned>(v), bytes, line);
    }
  }
  if (std::fflush(stdout) != 0) return 2;
  return failures == 0 ? 0 : 1;
}

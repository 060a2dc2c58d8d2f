// mqtt_dump: decodes MQTT packets and prints one JSON object per packet per line.
//
//   mqtt_dump [--version 3.1|3.1.1|5.0] [--hex] [--reencode] [FILE]
//
// Input is FILE, or standard input without one (or with "-"). By default it is a raw byte
// stream (a capture of one direction of one connection), framed packet by packet with
// mc::next_frame. With --hex every line is one whole packet in hex digits (spaces and tabs
// between them are ignored; empty lines and lines starting with '#' are skipped), decoded on
// its own.
//
// CONNECT is decoded by its own protocol level. Every other packet is decoded by --version when
// given, else by the level of the last CONNECT seen (an invalid one too, when its protocol name
// and level are readable: mc::connect_version), else as 3.1.1.
//
// Exit status: 0 every packet decoded; 1 some packet was invalid (or, with --reencode, could not
// be encoded again); 2 usage error (unknown flag, bad --version, unreadable input).
//
// Output, one JSON object per packet per line:
// - valid: "type" (lower-case packet name) and "size" (bytes) first, then the packet's fields
//   under the library's member names: topic, payload (hex), qos, retain, dup, packet_id (not
//   for QoS 0), version ("3.1" / "3.1.1" / "5.0"), client_id, clean_start, keep_alive, will
//   {topic, payload, qos, retain, properties}, username, password (hex), session_present,
//   reason_code, return_code (3.x CONNACK), reason_codes, subscriptions [{topic_filter,
//   max_qos, and in 5.0 no_local, retain_as_published, retain_handling}], topic_filters.
//   Absent optional parts (will, username, password) are left out, and so is whatever the
//   decoding version does not carry on the wire (3.x acks have no reason code). In 5.0 each
//   packet type that can carry properties has "properties": an object with each one present,
//   under its spec name (mc::to_string(property_id)), binary values in hex, bools as true/false,
//   "user_properties" as a list of [name, value] pairs in wire order and PUBLISH's
//   "subscription_identifiers" as a list. With --reencode: "reencoded", the hex of
//   mc::encode of the decoded packet in the same version (or "reencode_error", an error
//   object, if the encoder refused it: a library bug, exit 1).
// - invalid: {"error": mc::name(errc), "offset": byte offset in the packet, "rule": spec
//   statement id or null, "reason_code": the 5.0 reason code a receiver would answer with,
//   "size": bytes of the packet when known}, and where they apply "value" (mc::error::value:
//   the property identifier of a property error, the return code of a 3.1.1 CONNACK read as
//   5.0) and, for a CONNECT, "version" (its level, when readable) and "return_code" (the 3.x
//   CONNACK return code to answer with, 0 meaning none; left out for a 5.0 CONNECT). A --hex
//   line that is not hex gives
//   {"error":"invalid_hex","offset":column,"rule":null,"reason_code":null,"line":n}.
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "json_writer.hpp"
#include "mqttcodec/mqttcodec.hpp"

namespace mc = mqttcodec;

namespace {

constexpr const char* usage_text =
    "usage: mqtt_dump [--version 3.1|3.1.1|5.0] [--hex] [--reencode] [FILE]\n"
    "\n"
    "Decodes MQTT packets from FILE (or standard input) and prints one JSON object per packet\n"
    "per line.\n"
    "\n"
    "  --version V  decode packets other than CONNECT as MQTT V (3.1, 3.1.1 or 5.0); without\n"
    "               it the level of the last CONNECT seen (valid or not) is used, else 3.1.1\n"
    "  --hex        input is one packet per line in hex (spaces ignored; empty lines and lines\n"
    "               starting with '#' skipped); each line is decoded on its own\n"
    "  --reencode   add \"reencoded\": the hex of the decoded packet encoded again\n"
    "  --help       print this text\n"
    "\n"
    "Without --hex the input is a raw byte stream framed packet by packet; an invalid frame\n"
    "stops it, and a stream ending inside a packet reports that packet as truncated.\n"
    "\n"
    "Valid packet:   {\"type\":\"publish\",\"size\":N,...fields...}\n"
    "Invalid packet: {\"error\":\"<errc name>\",\"offset\":N,\"rule\":\"MQTT-x\"|null,"
    "\"reason_code\":N,\"size\":N}\n"
    "  (and \"value\", \"version\", \"return_code\" where they apply)\n"
    "\n"
    "Exit status: 0 all packets valid, 1 some packet invalid, 2 usage error.\n";

// Reads are this large; the stream buffer grows beyond it only for a larger packet.
constexpr std::size_t read_chunk = std::size_t{64} * 1024;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "mqtt_dump: %s\n%s", message.c_str(), usage_text);
  return 2;
}

int open_error(const char* file) {
  std::fprintf(stderr, "mqtt_dump: cannot open '%s': %s\n", file, std::strerror(errno));
  return 2;
}

std::optional<mc::protocol_version> parse_version(std::string_view s) {
  if (s == "3.1") return mc::protocol_version::v31;
  if (s == "3.1.1") return mc::protocol_version::v311;
  if (s == "5.0") return mc::protocol_version::v5;
  return std::nullopt;
}

// --- properties ----------------------------------------------------------------------------

// A property value: integers, bools and strings as themselves, binary data in hex,
// enumerations (payload format, maximum QoS) as their number.
template <class T>
void write_value(json::writer& j, const T& v) {
  if constexpr (std::is_enum_v<T>) {
    j.value(static_cast<unsigned>(v));
  } else if constexpr (std::is_same_v<T, mc::bytes_view>) {
    j.hex(v.data(), v.size());
  } else {
    j.value(v);
  }
}

// A single-valued property: written under its spec name when present.
template <class Field>
void write_field(json::writer& j, const Field& f) {
  if (const auto& v = f.get()) {
    j.key(mc::to_string(Field::id));
    write_value(j, *v);
  }
}

void write_field(json::writer& j, const mc::property::user_properties_field& f) {
  if (f.user_properties.empty()) return;
  // A list of pairs, not an object: names may repeat and their order is meaningful.
  j.key("user_properties");
  j.begin_array();
  for (const mc::string_pair& p : f.user_properties) {
    j.begin_array();
    j.value(p.name);
    j.value(p.value);
    j.end_array();
  }
  j.end_array();
}

void write_field(json::writer& j, const mc::property::subscription_identifiers_field& f) {
  if (f.subscription_identifiers.empty()) return;
  j.key("subscription_identifiers");
  j.begin_array();
  for (std::uint32_t id : f.subscription_identifiers) j.value(id);
  j.end_array();
}

// Each properties struct lists its fields in `fields`; visiting that list writes every
// property the packet may carry without naming them one by one here.
template <class Props, template <class...> class List, class... Field>
void write_fields(json::writer& j, const Props& props, List<Field...>) {
  (write_field(j, static_cast<const Field&>(props)), ...);
}

template <class Props>
void write_properties(json::writer& j, const Props& props) {
  j.key("properties");
  j.begin_object();
  write_fields(j, props, typename Props::fields{});
  j.end_object();
}

// --- packets -------------------------------------------------------------------------------

// Writes the fields of each packet type; `v` is the version the packet was decoded with.
// Fields a version does not carry on the wire are left out (3.x acks have no reason code,
// no packet has properties before 5.0), and so are absent optional parts (will, username,
// password; the packet id of a QoS 0 PUBLISH).
struct field_writer {
  json::writer& j;
  mc::protocol_version v;

  bool v5() const { return v == mc::protocol_version::v5; }
  void reason_code(mc::reason_code rc) const { j.member("reason_code", static_cast<unsigned>(rc)); }
  void reason_codes(mc::bytes_view codes) const {
    j.key("reason_codes");
    j.begin_array();
    for (std::uint8_t c : codes) j.value(c);
    j.end_array();
  }

  void operator()(const mc::connect& c) const {
    j.member("version", mc::to_string(c.version));
    j.member("client_id", c.client_id);
    j.member("clean_start", c.clean_start);
    j.member("keep_alive", c.keep_alive);
    if (c.will) {
      const mc::will_message& w = *c.will;
      j.key("will");
      j.begin_object();
      j.member("topic", w.topic);
      j.member_hex("payload", w.payload.data(), w.payload.size());
      j.member("qos", static_cast<unsigned>(w.qos));
      j.member("retain", w.retain);
      if (v5()) write_properties(j, w.props);
      j.end_object();
    }
    if (c.username) j.member("username", *c.username);
    if (c.password) j.member_hex("password", c.password->data(), c.password->size());
    if (v5()) write_properties(j, c.props);
  }
  void operator()(const mc::connack& c) const {
    j.member("session_present", c.session_present);
    reason_code(c.reason_code);
    if (!v5()) j.member("return_code", static_cast<unsigned>(c.return_code()));
    if (v5()) write_properties(j, c.props);
  }
  void operator()(const mc::publish& p) const {
    j.member("topic", p.topic);
    j.member_hex("payload", p.payload.data(), p.payload.size());
    j.member("qos", static_cast<unsigned>(p.qos));
    j.member("retain", p.retain);
    j.member("dup", p.dup);
    if (p.qos != mc::qos::at_most_once) j.member("packet_id", p.packet_id);
    if (v5()) write_properties(j, p.props);
  }
  template <mc::packet_type T>
  void operator()(const mc::publish_response<T>& p) const {
    j.member("packet_id", p.packet_id);
    if (v5()) {
      reason_code(p.reason_code);
      write_properties(j, p.props);
    }
  }
  void operator()(const mc::subscribe& s) const {
    j.member("packet_id", s.packet_id);
    j.key("subscriptions");
    j.begin_array();
    for (const mc::subscription& sub : s.subscriptions) {
      j.begin_object();
      j.member("topic_filter", sub.topic_filter);
      j.member("max_qos", static_cast<unsigned>(sub.options.max_qos));
      if (v5()) {
        j.member("no_local", sub.options.no_local);
        j.member("retain_as_published", sub.options.retain_as_published);
        j.member("retain_handling", static_cast<unsigned>(sub.options.retain));
      }
      j.end_object();
    }
    j.end_array();
    if (v5()) write_properties(j, s.props);
  }
  void operator()(const mc::suback& s) const {
    j.member("packet_id", s.packet_id);
    reason_codes(s.reason_codes);
    if (v5()) write_properties(j, s.props);
  }
  void operator()(const mc::unsubscribe& u) const {
    j.member("packet_id", u.packet_id);
    j.key("topic_filters");
    j.begin_array();
    for (std::string_view f : u.topic_filters) j.value(f);
    j.end_array();
    if (v5()) write_properties(j, u.props);
  }
  void operator()(const mc::unsuback& u) const {
    j.member("packet_id", u.packet_id);
    if (v5()) {
      reason_codes(u.reason_codes);
      write_properties(j, u.props);
    }
  }
  void operator()(const mc::pingreq&) const {}
  void operator()(const mc::pingresp&) const {}
  void operator()(const mc::disconnect& d) const {
    if (v5()) {
      reason_code(d.reason_code);
      write_properties(j, d.props);
    }
  }
  void operator()(const mc::auth& a) const {
    reason_code(a.reason_code);
    write_properties(j, a.props);
  }
};

// --- the dumper ----------------------------------------------------------------------------

class dumper {
 public:
  dumper(std::optional<mc::protocol_version> fixed, bool reencode)
      : fixed_(fixed), reencode_(reencode) {}

  // The version for the next packet that is not a CONNECT.
  mc::protocol_version version() const { return fixed_ ? *fixed_ : seen_; }
  bool failed() const { return failed_; }

  // Decodes `bytes` as exactly one packet and prints its line.
  void packet(mc::bytes_view bytes) {
    j_.clear();
    j_.begin_object();
    const mc::result<mc::packet> r = mc::decode(bytes, version());
    if (!r) {
      write_error(r.error(), bytes.size());
      if (!bytes.empty() &&
          static_cast<mc::packet_type>(bytes[0] >> 4) == mc::packet_type::connect) {
        write_connect_error(bytes, r.error());
      }
    } else {
      const mc::packet& p = *r;
      const mc::protocol_version used = mc::encode_version(p, version());
      if (const auto* c = std::get_if<mc::connect>(&p); c != nullptr && !fixed_) {
        seen_ = c->version;
      }
      j_.member("type", mc::to_string(mc::type_of(p)));
      j_.member("size", bytes.size());
      std::visit(field_writer{j_, used}, p);
      if (reencode_) write_reencoded(p, used);
    }
    j_.end_object();
    flush();
  }

  // An error found before decoding could start (an invalid frame); its size is unknown.
  void frame_error(const mc::error& e) {
    j_.clear();
    j_.begin_object();
    write_error(e, std::nullopt);
    j_.end_object();
    flush();
  }

  // A --hex line that is not hex: `column` is the 0-based index of the offending character
  // (or the line's length when the number of digits is odd).
  void hex_error(std::size_t line, std::size_t column) {
    j_.clear();
    j_.begin_object();
    j_.member("error", "invalid_hex");
    j_.member("offset", column);
    j_.member_null("rule");
    j_.member_null("reason_code");
    j_.member("line", line);
    j_.end_object();
    failed_ = true;
    flush();
  }

 private:
  void write_error(const mc::error& e, std::optional<std::size_t> size) {
    j_.member("error", mc::name(e.code));
    j_.member("offset", e.offset);
    if (e.rule != nullptr) {
      j_.member("rule", e.rule);
    } else {
      j_.member_null("rule");
    }
    j_.member("reason_code", static_cast<unsigned>(e.reason()));
    if (size) j_.member("size", *size);
    if (e.value != 0 || e.code == mc::errc::connack_from_v311_server) {
      j_.member("value", static_cast<unsigned>(e.value));
    }
    failed_ = true;
  }

  // A CONNECT that failed: the version it names, when its name and level are readable, which
  // also decides the packets after it (a server answers in that version, so a capture goes on
  // in it); and the 3.x CONNACK return code, unless it is a 5.0 CONNECT.
  void write_connect_error(mc::bytes_view bytes, const mc::error& e) {
    const mc::result<mc::protocol_version> v = mc::connect_version(bytes);
    if (v) {
      j_.member("version", mc::to_string(*v));
      if (!fixed_) seen_ = *v;
    }
    if (!v || *v != mc::protocol_version::v5) {
      j_.member("return_code", static_cast<unsigned>(e.connack_return_code()));
    }
  }

  // Encoding what decoding accepted must succeed (the library promises that encode and
  // decode apply the same rules); a refusal is printed and counts as a failure.
  void write_reencoded(const mc::packet& p, mc::protocol_version v) {
    out_.clear();
    mc::container_sink<std::vector<std::uint8_t>> sink(out_);
    const auto n = mc::encode(p, v, sink);
    if (n) {
      j_.member_hex("reencoded", out_.data(), out_.size());
      return;
    }
    j_.key("reencode_error");
    j_.begin_object();
    write_error(n.error(), std::nullopt);
    j_.end_object();
  }

  void flush() {
    const std::string& s = j_.str();
    std::fwrite(s.data(), 1, s.size(), stdout);
    std::fputc('\n', stdout);
  }

  std::optional<mc::protocol_version> fixed_;
  mc::protocol_version seen_ = mc::protocol_version::v311;
  bool reencode_;
  bool failed_ = false;
  json::writer j_;
  std::vector<std::uint8_t> out_;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one --hex line (the packet's bytes in hex, spaces and tabs ignored; blank lines and
// '#' comments skipped). `bytes` is the caller's, so its storage is reused from line to line.
void hex_line(std::string_view line, std::size_t number, std::vector<std::uint8_t>& bytes,
              dumper& d) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos || line[first] == '#') return;
  bytes.clear();
  int high = -1;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t') continue;
    const int x = hex_digit(c);
    if (x < 0) {
      d.hex_error(number, i);
      return;
    }
    if (high < 0) {
      high = x;
    } else {
      bytes.push_back(static_cast<std::uint8_t>(high << 4 | x));
      high = -1;
    }
  }
  if (high >= 0) {
    d.hex_error(number, line.size());
    return;
  }
  d.packet(mc::bytes_view(bytes.data(), bytes.size()));
}

// Returns 0 on success; on a read error prints to stderr and returns 2. Lines are read through
// C stdio, as run_raw reads, not through an istream: whether an istream reports a read error
// (EISDIR for a directory, EIO) as `bad()` or as a plain end of file differs between standard
// libraries (libstdc++ does, libc++ does not), and a read error must not pass for success.
int run_hex(std::FILE* in, dumper& d) {
  std::vector<char> chunk(read_chunk);
  std::string line;  // a line that spans two chunks
  std::vector<std::uint8_t> bytes;
  std::size_t number = 0;
  for (;;) {
    const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), in);
    const char* at = chunk.data();
    const char* const end = at + got;
    while (at != end) {
      const auto* nl =
          static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)));
      if (nl == nullptr) {
        line.append(at, end);
        break;
      }
      if (line.empty()) {
        hex_line(std::string_view(at, static_cast<std::size_t>(nl - at)), ++number, bytes, d);
      } else {
        line.append(at, nl);
        hex_line(line, ++number, bytes, d);
        line.clear();
      }
      at = nl + 1;
    }
    // A short count means end of file or an error, says the C standard; Wine's C library also
    // returns one from a pipe that has not been closed yet, so ask which.
    if (got < chunk.size() && (std::feof(in) || std::ferror(in))) break;
  }
  if (std::ferror(in)) {
    std::fprintf(stderr, "mqtt_dump: read error: %s\n", std::strerror(errno));
    return 2;
  }
  if (!line.empty()) hex_line(line, ++number, bytes, d);
  return 0;
}

// Frames a raw stream. The buffer holds the unconsumed bytes [begin, end); it is refilled in
// read_chunk reads and grows only when one packet is larger than it: doubling as the packet's
// bytes arrive, never past that packet's size (which next_frame has already checked against
// the maximum packet size). A header that declares 256 MiB in a short file costs no 256 MiB.
int run_raw(std::FILE* in, dumper& d) {
  std::vector<std::uint8_t> buf(read_chunk);
  std::size_t begin = 0;
  std::size_t end = 0;
  bool eof = false;
  for (;;) {
    const mc::bytes_view avail(buf.data() + begin, end - begin);
    mc::frame_options fo;
    fo.version = d.version();
    const mc::frame f = mc::next_frame(avail, fo);
    if (f.status == mc::frame_status::complete) {
      d.packet(f.packet(avail));
      begin += f.size;
      continue;
    }
    if (f.status == mc::frame_status::invalid) {
      // Without a valid length the next packet's start is unknown: stop.
      d.frame_error(f.err);
      return 0;
    }
    if (eof) {
      // A tail that stops inside a packet: decoding it reports `truncated` like a --hex line
      // holding the same bytes would.
      if (!avail.empty()) d.packet(avail);
      return 0;
    }
    const std::size_t needed = avail.size() + f.size;
    if (buf.size() - begin < needed || begin == end) {
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (buf.size() < needed) buf.resize(std::min(needed, 2 * buf.size()));
    const std::size_t got = std::fread(buf.data() + end, 1, buf.size() - end, in);
    end += got;
    if (got == 0) {
      if (std::ferror(in)) {
        std::fprintf(stderr, "mqtt_dump: read error: %s\n", std::strerror(errno));
        return 2;
      }
      eof = true;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<mc::protocol_version> version;
  bool hex = false;
  bool reencode = false;
  const char* file = nullptr;
  bool options_done = false;  // after "--" every argument is a file name
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (options_done) {
      if (file != nullptr) return usage_error("more than one input file");
      file = argv[i];
      continue;
    }
    if (a == "--help" || a == "-h") {
      std::fputs(usage_text, stdout);
      return 0;
    }
    if (a == "--") {
      options_done = true;
    } else if (a == "--hex") {
      hex = true;
    } else if (a == "--reencode") {
      reencode = true;
    } else if (a == "--version") {
      if (i + 1 == argc) return usage_error("--version needs a value: 3.1, 3.1.1 or 5.0");
      version = parse_version(argv[++i]);
      if (!version) {
        return usage_error(std::string("unknown --version '") + argv[i] +
                           "': use 3.1, 3.1.1 or 5.0");
      }
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error(std::string("unknown option '") + argv[i] + "'");
    } else if (file != nullptr) {
      return usage_error("more than one input file");
    } else {
      file = argv[i];
    }
  }
  const bool from_stdin = file == nullptr || std::string_view(file) == "-";

#ifdef _WIN32
  // Windows opens the standard streams in text mode, which would turn the CR LF inside a raw
  // capture into LF and write every newline of the output as CR LF.
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  // Whole lines go out in one write each; a large buffer keeps that cheap.
  static char out_buffer[1 << 16];
  std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);

  dumper d(version, reencode);
  std::FILE* in = from_stdin ? stdin : std::fopen(file, "rb");
  if (in == nullptr) return open_error(file);
  const int rc = hex ? run_hex(in, d) : run_raw(in, d);
  if (!from_stdin) std::fclose(in);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "mqtt_dump: cannot write output: %s\n", std::strerror(errno));
    return 2;
  }
  if (rc != 0) return rc;
  return d.failed() ? 1 : 0;
}

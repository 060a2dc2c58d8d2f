// client: a small blocking MQTT 3.1 / 3.1.1 / 5.0 client over POSIX sockets, in the style of
// mosquitto_pub and mosquitto_sub. It is meant to be copied: every packet it sends is encoded
// by mqttcodec and every packet it receives is framed with next_frame over partial reads and
// decoded by mqttcodec; the session rules (acknowledgement flows, keep alive, topic aliases)
// are the application's part and live here. With --buffer, a PUBLISH larger than the receive
// buffer streams through it (decode_publish_head), and pub -f sends a larger file in pieces
// after its head (encode_publish_head).
//
//   client pub -h 127.0.0.1 -p 1883 -V 5 -t a/b -m hello -q 2 -D publish content-type text/plain
//   client sub -h 127.0.0.1 -p 1883 -V 311 -t 'a/#' -t b -q 1 -C 10 -W 30 -v
//   client sub -V 5 -t fw/image -q 1 -C 1 --buffer 1024 > image.bin
//
// Exit status: 0 done, 1 error, 27 timed out (-W), as mosquitto_sub does.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <mqttcodec/mqttcodec.hpp>

#include "json_writer.hpp"
#include "posix_socket.hpp"

namespace mc = mqttcodec;

namespace {

constexpr int exit_error = 1;
constexpr int exit_timeout = 27;

// ---------------------------------------------------------------------------------------------
// Command line

// The packets a -D property may be given for, as a bit set.
enum command_bit : unsigned {
  cmd_connect = 1,
  cmd_publish = 2,
  cmd_subscribe = 4,
  cmd_unsubscribe = 8,
  cmd_disconnect = 16,
  cmd_will = 32,
};

// Values of the v5 properties given with -D for one packet. Strings are owned here; the packet
// structs get views of them.
struct prop_values {
  std::vector<std::pair<std::string, std::string>> user;
  std::vector<mc::string_pair> user_views;  // filled once parsing is over (stable storage)
  std::optional<std::string> content_type, response_topic, correlation_data, reason_string;
  std::optional<std::uint32_t> message_expiry_interval, session_expiry_interval,
      subscription_identifier, will_delay_interval, maximum_packet_size;
  std::optional<std::uint16_t> topic_alias, receive_maximum, topic_alias_maximum;
  std::optional<mc::payload_format> payload_format_indicator;
  std::optional<bool> request_problem_information, request_response_information;
};

struct options {
  bool pub = false;
  std::string host = "127.0.0.1";
  std::string port = "1883";
  mc::protocol_version version = mc::protocol_version::v311;
  std::string id;
  std::optional<std::string> username, password;
  std::uint16_t keep_alive = 60;
  bool clean = true;
  std::vector<std::string> topics;
  std::vector<std::string> unsubscribe_topics;
  std::optional<std::string> message, file;
  bool null_message = false, stdin_lines = false;
  long repeat = 1;
  unsigned qos = 0;
  bool retain = false;
  bool no_local = false, retain_as_published = false;
  unsigned retain_handling = 0;
  long count = 0;    // 0: unlimited
  long timeout = 0;  // seconds, 0: none
  std::optional<std::string> will_topic;
  std::string will_payload;
  unsigned will_qos = 0;
  bool will_retain = false;
  prop_values connect, publish, subscribe, unsubscribe, disconnect, will;
  bool verbose = false, json = false, debug = false;
  unsigned max_inflight = 20;
  // Largest receive buffer, and the piece size a streamed -f file is sent in; 0: unbounded.
  // A PUBLISH larger than it streams: its head is decoded, its payload passed on as it comes.
  std::size_t buffer = 0;
};

void usage() {
  std::fputs(
      "usage: client pub|sub [options]\n"
      "  -h HOST  -p PORT  -V 31|311|5  -i ID  -u USER  -P PASS  -k KEEPALIVE  -c (no clean "
      "session)\n"
      "  -t TOPIC (repeatable)  -q QOS  -r (retain)  -W SECONDS  -d (debug: packets to stderr)\n"
      "  pub: -m MESSAGE | -f FILE | -n (null) | -l (stdin lines)  --repeat N  --max-inflight N\n"
      "  sub: -C COUNT  -v  -N|--json  -U TOPIC (unsubscribe)  --nl  --rap  --retain-handling N\n"
      "  --buffer BYTES (receive buffer limit: larger PUBLISH payloads stream through; pub -f\n"
      "     sends a larger file in pieces of that size, never whole in memory)\n"
      "  --will-topic T --will-payload P --will-qos Q --will-retain\n"
      "  -D connect|publish|subscribe|unsubscribe|disconnect|will PROPERTY VALUE [VALUE]\n"
      "     content-type correlation-data message-expiry-interval payload-format-indicator\n"
      "     response-topic topic-alias user-property(NAME VALUE) subscription-identifier\n"
      "     session-expiry-interval receive-maximum maximum-packet-size topic-alias-maximum\n"
      "     request-problem-information request-response-information will-delay-interval\n"
      "     reason-string\n",
      stderr);
}

bool parse_uint(const char* s, unsigned long max, unsigned long& out) {
  if (s == nullptr || *s == '\0') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long v = std::strtoul(s, &end, 10);
  if (errno != 0 || *end != '\0' || v > max || s[0] == '-') return false;
  out = v;
  return true;
}

template <class T>
bool parse_into(const char* s, unsigned long max, T& out) {
  unsigned long v = 0;
  if (!parse_uint(s, max, v)) return false;
  out = static_cast<T>(v);
  return true;
}

// Parses one -D: `command` names the packet, `name` the property; `a` its value and `b` the
// second value of a user property. Returns the number of values used (0 on error).
int parse_property(options& o, const std::string& command, const std::string& name, const char* a,
                   const char* b) {
  struct entry {
    const char* command;
    unsigned bit;
    prop_values* values;
  };
  const entry commands[] = {{"connect", cmd_connect, &o.connect},
                            {"publish", cmd_publish, &o.publish},
                            {"subscribe", cmd_subscribe, &o.subscribe},
                            {"unsubscribe", cmd_unsubscribe, &o.unsubscribe},
                            {"disconnect", cmd_disconnect, &o.disconnect},
                            {"will", cmd_will, &o.will}};
  const entry* cmd = nullptr;
  for (const entry& e : commands) {
    if (command == e.command) cmd = &e;
  }
  if (cmd == nullptr) {
    std::fprintf(stderr, "error: -D: unknown command '%s'\n", command.c_str());
    return 0;
  }
  prop_values& p = *cmd->values;
  // Which packets each property may appear in (5.0 §2.2.2.2, Table 2-4).
  const auto allowed = [&](unsigned mask) {
    if ((mask & cmd->bit) != 0) return true;
    std::fprintf(stderr, "error: -D: %s is not allowed in %s\n", name.c_str(), command.c_str());
    return false;
  };
  const unsigned msg = cmd_publish | cmd_will;
  if (a == nullptr) {
    std::fprintf(stderr, "error: -D %s %s: missing value\n", command.c_str(), name.c_str());
    return 0;
  }
  bool ok = true;
  if (name == "user-property") {
    if (b == nullptr) {
      std::fputs("error: -D user-property needs a name and a value\n", stderr);
      return 0;
    }
    p.user.emplace_back(a, b);
    return 2;
  } else if (name == "content-type") {
    ok = allowed(msg);
    p.content_type = a;
  } else if (name == "response-topic") {
    ok = allowed(msg);
    p.response_topic = a;
  } else if (name == "correlation-data") {
    ok = allowed(msg);
    p.correlation_data = a;
  } else if (name == "reason-string") {
    ok = allowed(cmd_disconnect);
    p.reason_string = a;
  } else if (name == "message-expiry-interval") {
    ok = allowed(msg) && parse_into(a, 0xFFFFFFFFul, p.message_expiry_interval.emplace());
  } else if (name == "payload-format-indicator") {
    unsigned v = 0;
    ok = allowed(msg) && parse_into(a, 1, v);
    p.payload_format_indicator = static_cast<mc::payload_format>(v);
  } else if (name == "topic-alias") {
    ok = allowed(cmd_publish) && parse_into(a, 0xFFFF, p.topic_alias.emplace());
  } else if (name == "subscription-identifier") {
    ok = allowed(cmd_subscribe) &&
         parse_into(a, mc::max_varint, p.subscription_identifier.emplace());
  } else if (name == "session-expiry-interval") {
    ok = allowed(cmd_connect | cmd_disconnect) &&
         parse_into(a, 0xFFFFFFFFul, p.session_expiry_interval.emplace());
  } else if (name == "will-delay-interval") {
    ok = allowed(cmd_will) && parse_into(a, 0xFFFFFFFFul, p.will_delay_interval.emplace());
  } else if (name == "receive-maximum") {
    ok = allowed(cmd_connect) && parse_into(a, 0xFFFF, p.receive_maximum.emplace());
  } else if (name == "topic-alias-maximum") {
    ok = allowed(cmd_connect) && parse_into(a, 0xFFFF, p.topic_alias_maximum.emplace());
  } else if (name == "maximum-packet-size") {
    ok = allowed(cmd_connect) && parse_into(a, 0xFFFFFFFFul, p.maximum_packet_size.emplace());
  } else if (name == "request-problem-information") {
    unsigned v = 0;
    ok = allowed(cmd_connect) && parse_into(a, 1, v);
    p.request_problem_information = v != 0;
  } else if (name == "request-response-information") {
    unsigned v = 0;
    ok = allowed(cmd_connect) && parse_into(a, 1, v);
    p.request_response_information = v != 0;
  } else {
    std::fprintf(stderr, "error: -D: unknown property '%s'\n", name.c_str());
    return 0;
  }
  if (!ok) {
    std::fprintf(stderr, "error: -D %s %s: bad value '%s'\n", command.c_str(), name.c_str(), a);
    return 0;
  }
  return 1;
}

bool parse_args(int argc, char** argv, options& o) {
  if (argc < 2) return false;
  const std::string_view mode = argv[1];
  if (mode == "pub") {
    o.pub = true;
  } else if (mode != "sub") {
    return false;
  }
  auto arg = [&](int& i) -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
  for (int i = 2; i < argc; ++i) {
    const char* option = argv[i];
    const std::string_view a = option;
    const char* v = nullptr;
    bool ok = true;
    if (a == "-h") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.host = v;
    } else if (a == "-p") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.port = v;
    } else if (a == "-V") {
      const std::string_view s = (v = arg(i)) != nullptr ? v : "";
      if (s == "31" || s == "mqttv31") {
        o.version = mc::protocol_version::v31;
      } else if (s == "311" || s == "mqttv311") {
        o.version = mc::protocol_version::v311;
      } else if (s == "5" || s == "mqttv5") {
        o.version = mc::protocol_version::v5;
      } else {
        ok = false;
      }
    } else if (a == "-i") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.id = v;
    } else if (a == "-u") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.username = v;
    } else if (a == "-P") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.password = v;
    } else if (a == "-k") {
      ok = parse_into(arg(i), 0xFFFF, o.keep_alive);
    } else if (a == "-c") {
      o.clean = false;
    } else if (a == "-t") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.topics.emplace_back(v);
    } else if (a == "-U") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.unsubscribe_topics.emplace_back(v);
    } else if (a == "-m") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.message = v;
    } else if (a == "-f") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.file = v;
    } else if (a == "-n") {
      o.null_message = true;
    } else if (a == "-l") {
      o.stdin_lines = true;
    } else if (a == "--repeat") {
      ok = parse_into(arg(i), 100'000'000ul, o.repeat);
    } else if (a == "--max-inflight") {
      ok = parse_into(arg(i), 65535, o.max_inflight) && o.max_inflight > 0;
    } else if (a == "-q") {
      ok = parse_into(arg(i), 2, o.qos);
    } else if (a == "-r") {
      o.retain = true;
    } else if (a == "--nl") {
      o.no_local = true;
    } else if (a == "--rap") {
      o.retain_as_published = true;
    } else if (a == "--retain-handling") {
      ok = parse_into(arg(i), 2, o.retain_handling);
    } else if (a == "-C") {
      ok = parse_into(arg(i), 100'000'000ul, o.count);
    } else if (a == "-W") {
      ok = parse_into(arg(i), 86'400ul, o.timeout);
    } else if (a == "--will-topic") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.will_topic = v;
    } else if (a == "--will-payload") {
      ok = (v = arg(i)) != nullptr;
      if (ok) o.will_payload = v;
    } else if (a == "--will-qos") {
      ok = parse_into(arg(i), 2, o.will_qos);
    } else if (a == "--will-retain") {
      o.will_retain = true;
    } else if (a == "-D") {
      if (i + 2 >= argc) return false;
      const std::string command = argv[i + 1], name = argv[i + 2];
      const char* first = i + 3 < argc ? argv[i + 3] : nullptr;
      const char* second = i + 4 < argc ? argv[i + 4] : nullptr;
      const int used = parse_property(o, command, name, first, second);
      if (used == 0) return false;
      i += 2 + used;
    } else if (a == "--buffer") {
      ok = parse_into(arg(i), 256ul * 1024 * 1024, o.buffer) && o.buffer >= 64;
    } else if (a == "-v") {
      o.verbose = true;
    } else if (a == "-N" || a == "--json") {
      o.json = true;
    } else if (a == "-d") {
      o.debug = true;
    } else {
      std::fprintf(stderr, "error: unknown option '%s'\n", argv[i]);
      return false;
    }
    if (!ok) {
      std::fprintf(stderr, "error: bad or missing value for %s\n", option);
      return false;
    }
  }
  if (o.topics.empty()) {
    std::fputs("error: at least one -t is needed\n", stderr);
    return false;
  }
  if (o.pub && !o.message && !o.file && !o.null_message && !o.stdin_lines) {
    std::fputs("error: pub needs -m, -f, -n or -l\n", stderr);
    return false;
  }
  if (o.id.empty()) o.id = "mc-client-" + std::to_string(::getpid());  // 3.1: at most 23
  for (prop_values* p :
       {&o.connect, &o.publish, &o.subscribe, &o.unsubscribe, &o.disconnect, &o.will}) {
    for (const auto& [name, value] : p->user) p->user_views.push_back({name, value});
  }
  return true;
}

namespace pr = mc::property;

// Copies the -D values into a packet's properties struct; a field the struct lacks cannot be
// set (parse_property already refused those).
template <class Props>
void apply(const prop_values& v, Props& p) {
  if constexpr (std::is_base_of_v<pr::user_properties_field, Props>) {
    if (!v.user_views.empty()) p.user_properties = v.user_views;
  }
  if constexpr (std::is_base_of_v<pr::content_type_field, Props>) {
    if (v.content_type) p.content_type = *v.content_type;
  }
  if constexpr (std::is_base_of_v<pr::response_topic_field, Props>) {
    if (v.response_topic) p.response_topic = *v.response_topic;
  }
  if constexpr (std::is_base_of_v<pr::correlation_data_field, Props>) {
    if (v.correlation_data) p.correlation_data = mc::as_bytes(*v.correlation_data);
  }
  if constexpr (std::is_base_of_v<pr::message_expiry_interval_field, Props>) {
    p.message_expiry_interval = v.message_expiry_interval;
  }
  if constexpr (std::is_base_of_v<pr::payload_format_indicator_field, Props>) {
    p.payload_format_indicator = v.payload_format_indicator;
  }
  if constexpr (std::is_base_of_v<pr::topic_alias_field, Props>) p.topic_alias = v.topic_alias;
  if constexpr (std::is_base_of_v<pr::subscription_identifier_field, Props>) {
    p.subscription_identifier = v.subscription_identifier;
  }
  if constexpr (std::is_base_of_v<pr::session_expiry_interval_field, Props>) {
    p.session_expiry_interval = v.session_expiry_interval;
  }
  if constexpr (std::is_base_of_v<pr::will_delay_interval_field, Props>) {
    p.will_delay_interval = v.will_delay_interval;
  }
  if constexpr (std::is_base_of_v<pr::receive_maximum_field, Props>) {
    p.receive_maximum = v.receive_maximum;
  }
  if constexpr (std::is_base_of_v<pr::topic_alias_maximum_field, Props>) {
    p.topic_alias_maximum = v.topic_alias_maximum;
  }
  if constexpr (std::is_base_of_v<pr::maximum_packet_size_field, Props>) {
    p.maximum_packet_size = v.maximum_packet_size;
  }
  if constexpr (std::is_base_of_v<pr::request_problem_information_field, Props>) {
    p.request_problem_information = v.request_problem_information;
  }
  if constexpr (std::is_base_of_v<pr::request_response_information_field, Props>) {
    p.request_response_information = v.request_response_information;
  }
  if constexpr (std::is_base_of_v<pr::reason_string_field, Props>) {
    if (v.reason_string) p.reason_string = *v.reason_string;
  }
}

// ---------------------------------------------------------------------------------------------
// Printing received messages

void print_error(const char* what, const mc::error& e) {
  std::fprintf(stderr, "error: %s: %s at offset %u%s%s\n", what, mc::name(e.code),
               static_cast<unsigned>(e.offset), e.rule != nullptr ? " rule " : "",
               e.rule != nullptr ? e.rule : "");
}

// A string or binary value: as a JSON string when it is UTF-8, else as hex under `key_hex`.
void json_text_or_hex(json::writer& w, std::string_view key, std::string_view key_hex,
                      mc::bytes_view b) {
  if (mc::is_valid_utf8(b.as_chars())) {
    w.member(key, b.as_chars());
  } else {
    w.member_hex(key_hex, b.data(), b.size());
  }
}

void json_properties(json::writer& w, const mc::publish_properties& p) {
  w.key("properties");
  w.begin_object();
  if (p.payload_format_indicator) {
    w.member("payload_format_indicator", static_cast<unsigned>(*p.payload_format_indicator));
  }
  if (p.message_expiry_interval) w.member("message_expiry_interval", *p.message_expiry_interval);
  if (p.content_type) w.member("content_type", *p.content_type);
  if (p.response_topic) w.member("response_topic", *p.response_topic);
  if (p.correlation_data) {
    json_text_or_hex(w, "correlation_data", "correlation_data_hex", *p.correlation_data);
  }
  if (p.topic_alias) w.member("topic_alias", *p.topic_alias);
  if (!p.subscription_identifiers.empty()) {
    w.key("subscription_identifiers");
    w.begin_array();
    for (std::uint32_t id : p.subscription_identifiers) w.value(id);
    w.end_array();
  }
  if (!p.user_properties.empty()) {
    w.key("user_properties");
    w.begin_array();
    for (const mc::string_pair& up : p.user_properties) {
      w.begin_array();
      w.value(up.name);
      w.value(up.value);
      w.end_array();
    }
    w.end_array();
  }
  w.end_object();
}

// ---------------------------------------------------------------------------------------------
// The session

class session {
 public:
  session(const options& o, int fd)
      : o_(o),
        v_(o.version),
        fd_(fd),
        in_(o.buffer != 0 ? std::min<std::size_t>(o.buffer, std::size_t{64} * 1024)
                          : std::size_t{64} * 1024,
            o.buffer != 0 ? o.buffer : mc::max_packet_size),
        out_states_(65536, 0),
        in_qos2_(65536, false) {
    fo_.version = v_;
    if (o.connect.maximum_packet_size) fo_.max_packet_size = *o.connect.maximum_packet_size;
    if (o.connect.topic_alias_maximum) aliases_in_.resize(*o.connect.topic_alias_maximum + 1u);
    if (o.timeout > 0) deadline_ = example::now_ms() + o.timeout * 1000;
  }

  int run() {
    if (!connect()) return fail();
    const bool ok = o_.pub ? publish_all() : subscribe_and_receive();
    if (!ok) return fail();
    send_disconnect();
    return 0;
  }

 private:
  // Outgoing QoS flows, per packet identifier.
  enum out_state : std::uint8_t { free_id = 0, wait_puback, wait_pubrec, wait_pubcomp };

  int fail() const { return timed_out_ ? exit_timeout : exit_error; }

  void debug(const char* dir, const mc::packet& p) const {
    if (o_.debug) std::fprintf(stderr, "%s %s\n", dir, mc::to_string(mc::type_of(p)));
  }

  // Encodes one packet into a reused buffer and sends it.
  template <class P>
  bool send(const P& p) {
    out_.clear();
    mc::container_sink<std::vector<std::uint8_t>> sink{out_};
    const auto n = mc::encode(p, v_, sink);
    if (!n) {
      print_error("encode", n.error());
      return false;
    }
    if (o_.debug) std::fprintf(stderr, "sent %s\n", mc::to_string(P::type));
    iovec iov{out_.data(), out_.size()};
    return write(&iov, 1);
  }

  // PUBLISH goes out header and payload as two buffers (writev): the payload is not copied.
  bool send(const mc::publish& p) {
    const auto size = mc::encoded_size(p, v_);
    if (!size) {
      print_error("encode publish", size.error());
      return false;
    }
    if (!within_server_maximum(*size)) return false;
    header_.resize(*size - p.payload.size());
    mc::gather_sink sink{mc::mutable_bytes_view(header_)};
    if (const auto n = mc::encode(p, v_, sink); !n) {
      print_error("encode publish", n.error());
      return false;
    }
    if (o_.debug) std::fprintf(stderr, "sent publish (%zu bytes)\n", sink.size());
    iovec iov[2] = {{const_cast<std::uint8_t*>(sink.header().data()), sink.header().size()},
                    {const_cast<std::uint8_t*>(sink.payload().data()), sink.payload().size()}};
    return write(iov, sink.payload().empty() ? 1 : 2);
  }

  // 5.0: a PUBLISH larger than the server's Maximum Packet Size must not be sent (§3.1.2.11.4).
  bool within_server_maximum(std::size_t size) const {
    if (server_max_packet_ == 0 || size <= server_max_packet_) return true;
    std::fprintf(stderr, "error: %zu-byte PUBLISH exceeds the server's maximum packet size %u\n",
                 size, server_max_packet_);
    return false;
  }

  // A PUBLISH whose payload is the -f file, `size` bytes, sent in pieces of --buffer bytes
  // after the head encode_publish_head writes: the file is never whole in memory.
  bool send_streamed(const mc::publish& p, std::size_t size) {
    header_.clear();
    mc::container_sink<std::vector<std::uint8_t>> sink{header_};
    if (const auto n = mc::encode_publish_head(p, size, v_, sink); !n) {
      print_error("encode publish", n.error());
      return false;
    }
    if (!within_server_maximum(header_.size() + size)) return false;
    iovec head{header_.data(), header_.size()};
    if (!write(&head, 1)) return false;
    std::ifstream in(*o_.file, std::ios::binary);
    std::vector<char> piece(o_.buffer);
    for (std::size_t left = size; left > 0;) {
      const std::size_t n = std::min(left, piece.size());
      if (!in.read(piece.data(), static_cast<std::streamsize>(n))) {
        std::fprintf(stderr, "error: %s changed while it was sent\n", o_.file->c_str());
        return false;
      }
      iovec part{piece.data(), n};
      if (!write(&part, 1)) return false;
      left -= n;
    }
    if (o_.debug)
      std::fprintf(stderr, "sent publish (%zu bytes, streamed)\n", header_.size() + size);
    return true;
  }

  bool write(iovec* iov, int n) {
    std::string err;
    if (!example::send_all(fd_, iov, n, deadline_, err)) {
      if (deadline_ >= 0 && example::now_ms() >= deadline_) timed_out_ = true;
      std::fprintf(stderr, "error: %s\n", err.c_str());
      return false;
    }
    last_send_ = example::now_ms();
    return true;
  }

  bool connect() {
    mc::connect c;
    c.version = v_;
    c.client_id = o_.id;
    c.clean_start = o_.clean;
    c.keep_alive = o_.keep_alive;
    if (o_.username) c.username = *o_.username;
    if (o_.password) c.password = mc::as_bytes(*o_.password);
    if (o_.will_topic) {
      mc::will_message& w = c.will.emplace();
      w.topic = *o_.will_topic;
      w.payload = mc::as_bytes(o_.will_payload);
      w.qos = static_cast<mc::qos>(o_.will_qos);
      w.retain = o_.will_retain;
      if (v_ == mc::protocol_version::v5) apply(o_.will, w.props);
    }
    if (v_ == mc::protocol_version::v5) apply(o_.connect, c.props);
    if (!send(c)) return false;

    // The server's first packet must be CONNACK (§3.2); the connect wait is bounded even
    // without -W.
    const std::int64_t connect_deadline = deadline_ >= 0 ? deadline_ : example::now_ms() + 30'000;
    bool acked = false;
    expect_connack_ = true;
    const bool ok = run_until([&] { return acked = connack_seen_; }, connect_deadline);
    expect_connack_ = false;
    return ok && acked && connack_ok_;
  }

  bool on_connack(const mc::connack& c) {
    connack_seen_ = true;
    if (c.reason_code != mc::reason_code::success) {
      if (v_ == mc::protocol_version::v5) {
        std::fprintf(stderr, "error: connection refused: %s (0x%02x)\n",
                     mc::to_string(c.reason_code), static_cast<unsigned>(c.reason_code));
      } else {
        std::fprintf(stderr, "error: connection refused: return code %u\n",
                     static_cast<unsigned>(c.return_code()));
      }
      return false;
    }
    if (v_ == mc::protocol_version::v5) {
      // The server's limits bind what we send (§3.2.2.3).
      if (c.props.topic_alias_maximum) server_alias_max_ = *c.props.topic_alias_maximum;
      if (c.props.receive_maximum) server_receive_max_ = *c.props.receive_maximum;
      if (c.props.maximum_packet_size) server_max_packet_ = *c.props.maximum_packet_size;
      if (c.props.server_keep_alive) keep_alive_ = *c.props.server_keep_alive;
      if (c.props.maximum_qos && static_cast<unsigned>(*c.props.maximum_qos) < o_.qos) {
        std::fprintf(stderr, "warning: server's maximum QoS is %u\n",
                     static_cast<unsigned>(*c.props.maximum_qos));
      }
    }
    connack_ok_ = true;
    return true;
  }

  bool publish_all() {
    std::vector<std::uint8_t> file_data;
    std::size_t streamed = 0;  // the size of a file larger than --buffer, sent in pieces
    if (o_.file) {
      std::ifstream in(*o_.file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "error: cannot read %s\n", o_.file->c_str());
        return false;
      }
      // A regular file's size; a pipe has none (-1), and is read whole as before.
      in.seekg(0, std::ios::end);
      const std::streamoff end = in.tellg();
      in.clear();
      if (o_.buffer != 0 && end > 0 && static_cast<std::size_t>(end) > o_.buffer) {
        streamed = static_cast<std::size_t>(end);
      } else {
        if (end >= 0) in.seekg(0);
        file_data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
    }
    mc::publish p;
    p.qos = static_cast<mc::qos>(o_.qos);
    p.retain = o_.retain;
    if (v_ == mc::protocol_version::v5) apply(o_.publish, p.props);
    if (p.props.topic_alias &&
        (*p.props.topic_alias == 0 || *p.props.topic_alias > server_alias_max_)) {
      std::fprintf(stderr, "error: topic alias %u is above the server's maximum %u\n",
                   static_cast<unsigned>(*p.props.topic_alias), server_alias_max_);
      return false;
    }
    bool alias_set = false;
    // `after`: payload bytes that follow `payload`, streamed from the file.
    auto one = [&](const std::string& topic, mc::bytes_view payload, std::size_t after) {
      p.payload = payload;
      p.topic = topic;
      // With a topic alias, the topic goes out once; later messages carry only the alias
      // (§3.3.2.3.4). Only one topic can use the alias, so it applies to the first -t.
      if (p.props.topic_alias) {
        if (alias_set && topic == o_.topics.front()) p.topic = {};
        if (topic == o_.topics.front()) alias_set = true;
        if (topic != o_.topics.front()) p.props.topic_alias.reset();
      }
      const bool ok = publish_one(p, after);
      if (v_ == mc::protocol_version::v5) apply(o_.publish, p.props);
      return ok;
    };
    for (long i = 0; i < o_.repeat; ++i) {
      for (const std::string& topic : o_.topics) {
        bool ok = true;
        if (o_.stdin_lines) {
          std::string line;
          while (ok && std::getline(std::cin, line)) ok = one(topic, mc::as_bytes(line), 0);
        } else if (o_.file) {
          ok = one(topic, file_data, streamed);
        } else if (o_.message) {
          ok = one(topic, mc::as_bytes(*o_.message), 0);
        } else {
          ok = one(topic, {}, 0);
        }
        if (!ok) return false;
      }
    }
    return run_until([&] { return inflight_ == 0; }, deadline_);
  }

  bool publish_one(mc::publish& p, std::size_t after) {
    if (p.qos != mc::qos::at_most_once) {
      // Stay within the server's Receive Maximum (5.0) or our window (3.x).
      const unsigned window = v_ == mc::protocol_version::v5
                                  ? std::min<unsigned>(server_receive_max_, o_.max_inflight)
                                  : o_.max_inflight;
      if (!run_until([&] { return inflight_ < window; }, deadline_)) return false;
      while (out_states_[next_id_] != free_id) next_id_ = next_packet_id(next_id_);
      p.packet_id = next_id_;
      next_id_ = next_packet_id(next_id_);
      out_states_[p.packet_id] = p.qos == mc::qos::at_least_once ? wait_puback : wait_pubrec;
      ++inflight_;
    }
    return after == 0 ? send(p) : send_streamed(p, after);
  }

  static std::uint16_t next_packet_id(std::uint16_t id) {
    return static_cast<std::uint16_t>(id == 65535 ? 1 : id + 1);
  }

  bool subscribe_and_receive() {
    std::vector<mc::subscription> subs;
    for (const std::string& t : o_.topics) {
      mc::subscription s;
      s.topic_filter = t;
      s.options.max_qos = static_cast<mc::qos>(o_.qos);
      s.options.no_local = o_.no_local;
      s.options.retain_as_published = o_.retain_as_published;
      s.options.retain = static_cast<mc::retain_handling>(o_.retain_handling);
      subs.push_back(s);
    }
    mc::subscribe s;
    s.packet_id = 1;
    s.subscriptions = subs;
    if (v_ == mc::protocol_version::v5) apply(o_.subscribe, s.props);
    wait_ack_id_ = s.packet_id;
    if (!send(s) || !run_until([&] { return wait_ack_id_ == 0; }, deadline_)) return false;
    std::size_t refused = 0;
    for (std::size_t i = 0; i < ack_codes_.size() && i < subs.size(); ++i) {
      if (ack_codes_[i] >= 0x80) {
        std::fprintf(stderr, "warning: subscription to '%s' refused (0x%02x)\n",
                     std::string(subs[i].topic_filter).c_str(), ack_codes_[i]);
        ++refused;
      }
    }
    if (refused == subs.size()) return false;

    if (!o_.unsubscribe_topics.empty()) {
      std::vector<std::string_view> filters(o_.unsubscribe_topics.begin(),
                                            o_.unsubscribe_topics.end());
      mc::unsubscribe u;
      u.packet_id = 2;
      u.topic_filters = filters;
      if (v_ == mc::protocol_version::v5) apply(o_.unsubscribe, u.props);
      wait_ack_id_ = u.packet_id;
      if (!send(u) || !run_until([&] { return wait_ack_id_ == 0; }, deadline_)) return false;
    }
    if (!run_until([&] { return o_.count > 0 && received_ >= o_.count; }, deadline_)) {
      return false;
    }
    // Finish the QoS 2 exchanges still open, so the server does not redeliver; bounded.
    const std::int64_t grace = example::now_ms() + 5'000;
    return run_until([&] { return open_qos2_ == 0; },
                     deadline_ >= 0 ? std::min(deadline_, grace) : grace);
  }

  void send_disconnect() {
    mc::disconnect d;
    if (v_ == mc::protocol_version::v5) apply(o_.disconnect, d.props);
    (void)send(d);
    ::shutdown(fd_, SHUT_WR);
    // Drain until the server closes, so nothing we sent is lost to a reset; bounded.
    std::uint8_t sink[4096];
    const std::int64_t until = example::now_ms() + 2'000;
    for (;;) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, example::poll_timeout(until)) <= 0) break;
      const ssize_t r = ::read(fd_, sink, sizeof sink);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) break;
    }
  }

  // Reads and handles packets until done() or `deadline` (-1: none); keeps the connection
  // alive meanwhile. False on error, close or timeout.
  template <class Done>
  bool run_until(Done done, std::int64_t deadline) {
    while (!done()) {
      if (!handle_buffered()) return false;
      if (done()) break;
      const std::int64_t now = example::now_ms();
      if (deadline >= 0 && now >= deadline) {
        timed_out_ = true;
        std::fputs("Timed out\n", stderr);
        return false;
      }
      std::int64_t wake = deadline;
      if (keep_alive_ > 0 && !expect_connack_) {
        const std::int64_t period = std::int64_t{keep_alive_} * 1000;
        if (ping_sent_ >= 0 && now - ping_sent_ >= period) {
          std::fputs("error: no PINGRESP within the keep alive\n", stderr);
          return false;
        }
        if (ping_sent_ < 0 && now - last_send_ >= period) {
          if (!send(mc::pingreq{})) return false;
          ping_sent_ = example::now_ms();
        }
        const std::int64_t next = ping_sent_ >= 0 ? ping_sent_ + period : last_send_ + period;
        if (wake < 0 || next < wake) wake = next;
      }
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, example::poll_timeout(wake));
      if (r < 0 && errno != EINTR) {
        std::perror("poll");
        return false;
      }
      if (r <= 0) continue;
      const ssize_t n = in_.read_from(fd_, want_);
      if (n == 0) {
        std::fputs("error: connection closed by the server\n", stderr);
        return false;
      }
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        std::perror("read");
        return false;
      }
    }
    return true;
  }

  // Frames and handles every complete packet in the receive buffer, and passes on the
  // payload bytes of a streamed PUBLISH.
  bool handle_buffered() {
    for (;;) {
      if (stream_.left > 0) {
        if (in_.empty()) {
          want_ = std::min(stream_.left, chunk());
          return true;
        }
        const mc::bytes_view piece =
            in_.data().subview(0, std::min(stream_.left, in_.data().size()));
        if (!stream_payload(piece)) return false;
        in_.consume(piece.size());
        continue;
      }
      const mc::frame f = in_.next_packet(fo_);
      if (f.status == mc::frame_status::need_more) {
        // A PUBLISH larger than the buffer streams: its head is decoded as soon as it is here.
        if (o_.buffer != 0 && f.header_size != 0 && f.type == mc::packet_type::publish &&
            f.header_size + std::size_t{f.remaining_length} > o_.buffer) {
          const mc::publish_head h = mc::decode_publish_head(in_.data(), v_);
          if (h.status == mc::frame_status::invalid) {
            print_error("decode", h.err);
            protocol_error(h.err.reason());
            return false;
          }
          if (h.status == mc::frame_status::need_more) return read_more(h.size, "PUBLISH head");
          if (!start_stream(h)) return false;
          in_.consume(h.size);  // the payload bytes after it are passed on above
          continue;
        }
        return read_more(f.size, mc::to_string(f.type));
      }
      if (f.status == mc::frame_status::invalid) {
        print_error("framing", f.err);
        protocol_error(f.err.reason());
        return false;
      }
      const auto r = mc::decode(f.packet(in_.data()), v_);
      if (!r) {
        print_error("decode", r.error());
        protocol_error(r.error().reason());
        return false;
      }
      debug("received", *r);
      if (!dispatch(*r)) return false;
      in_.consume(f.size);
    }
  }

  // 5.0 tells the server why before closing (§4.13).
  void protocol_error(mc::reason_code rc) {
    if (v_ != mc::protocol_version::v5) return;
    mc::disconnect d;
    d.reason_code = rc;
    if (!mc::reason_code_allowed(mc::packet_type::disconnect, static_cast<std::uint8_t>(rc))) {
      d.reason_code = mc::reason_code::protocol_error;
    }
    (void)send(d);
  }

  bool dispatch(const mc::packet& pkt) {
    if (expect_connack_) {
      if (const auto* c = std::get_if<mc::connack>(&pkt)) return on_connack(*c);
      std::fprintf(stderr, "error: expected CONNACK, got %s\n", mc::to_string(mc::type_of(pkt)));
      return false;
    }
    switch (mc::type_of(pkt)) {
      case mc::packet_type::publish: return on_publish(std::get<mc::publish>(pkt));
      case mc::packet_type::puback: return on_ack(std::get<mc::puback>(pkt).packet_id, wait_puback);
      case mc::packet_type::pubrec: {
        const auto& a = std::get<mc::pubrec>(pkt);
        if (!on_ack(a.packet_id, wait_pubrec)) return false;
        // A PUBREC with an error reason code ends the flow (5.0 §4.3.3).
        if (static_cast<unsigned>(a.reason_code) >= 0x80) return true;
        out_states_[a.packet_id] = wait_pubcomp;
        ++inflight_;
        mc::pubrel rel;
        rel.packet_id = a.packet_id;
        return send(rel);
      }
      case mc::packet_type::pubcomp:
        return on_ack(std::get<mc::pubcomp>(pkt).packet_id, wait_pubcomp);
      case mc::packet_type::pubrel: {
        const auto id = std::get<mc::pubrel>(pkt).packet_id;
        mc::pubcomp comp;
        comp.packet_id = id;
        if (in_qos2_[id]) {
          in_qos2_[id] = false;
          --open_qos2_;
        } else if (v_ == mc::protocol_version::v5) {
          comp.reason_code = mc::reason_code::packet_identifier_not_found;
        }
        return send(comp);
      }
      case mc::packet_type::suback: {
        const auto& a = std::get<mc::suback>(pkt);
        return on_sub_ack(a.packet_id, a.reason_codes);
      }
      case mc::packet_type::unsuback: {
        const auto& a = std::get<mc::unsuback>(pkt);
        return on_sub_ack(a.packet_id, a.reason_codes);
      }
      case mc::packet_type::pingresp: ping_sent_ = -1; return true;
      case mc::packet_type::disconnect: {
        const auto& d = std::get<mc::disconnect>(pkt);
        std::fprintf(stderr, "error: disconnected by the server: %s (0x%02x)%s%s\n",
                     mc::to_string(d.reason_code), static_cast<unsigned>(d.reason_code),
                     d.props.reason_string ? " " : "",
                     d.props.reason_string ? std::string(*d.props.reason_string).c_str() : "");
        return false;
      }
      default:
        std::fprintf(stderr, "error: a server does not send %s\n", mc::to_string(mc::type_of(pkt)));
        protocol_error(mc::reason_code::protocol_error);
        return false;
    }
  }

  bool on_ack(std::uint16_t id, out_state expected) {
    if (out_states_[id] != expected) {
      std::fprintf(stderr, "error: unexpected acknowledgement for packet id %u\n",
                   static_cast<unsigned>(id));
      protocol_error(mc::reason_code::protocol_error);
      return false;
    }
    out_states_[id] = free_id;
    --inflight_;
    return true;
  }

  bool on_sub_ack(std::uint16_t id, mc::bytes_view codes) {
    if (id != wait_ack_id_) {
      std::fprintf(stderr, "error: unexpected SUBACK/UNSUBACK id %u\n", static_cast<unsigned>(id));
      return false;
    }
    ack_codes_.assign(codes.begin(), codes.end());
    wait_ack_id_ = 0;
    return true;
  }

  bool on_publish(const mc::publish& p) {
    std::string_view topic;
    bool deliver = true;
    if (!receive_publish(p, topic, deliver) || !acknowledge(p.qos, p.packet_id)) return false;
    if (deliver && !o_.pub) print(topic, p);
    return true;
  }

  // A PUBLISH too large for the buffer: acknowledged, and its printing finished, once its
  // payload has passed through (stream_payload).
  bool start_stream(const mc::publish_head& h) {
    std::string_view topic;
    bool deliver = true;
    if (!receive_publish(h.packet, topic, deliver)) return false;
    stream_ = {h.payload_size, h.packet.qos, h.packet.packet_id, deliver && !o_.pub};
    if (stream_.print) {
      if (o_.json) {
        std::fprintf(stderr,
                     "error: a %zu-byte payload does not fit --buffer, and --json "
                     "prints whole messages\n",
                     h.payload_size);
        return false;
      }
      if (o_.verbose) {
        std::fwrite(topic.data(), 1, topic.size(), stdout);
        std::fputc(' ', stdout);
      }
    }
    return stream_payload({});
  }

  bool stream_payload(mc::bytes_view piece) {
    if (stream_.print) std::fwrite(piece.data(), 1, piece.size(), stdout);
    stream_.left -= piece.size();
    if (stream_.left > 0) return true;
    if (stream_.print) {
      ++received_;
      std::fputc('\n', stdout);
      std::fflush(stdout);
    }
    return acknowledge(stream_.qos, stream_.packet_id);
  }

  // The topic of PUBLISH `p`, through its Topic Alias if it has one, and whether to deliver it
  // (not when it is a re-sent QoS 2 message not yet released).
  bool receive_publish(const mc::publish& p, std::string_view& topic, bool& deliver) {
    topic = p.topic;
    if (p.props.topic_alias) {
      // Topic aliases are per connection and per direction (§3.3.2.3.4): the server may use
      // 1..the Topic Alias Maximum we sent in CONNECT.
      const std::uint16_t alias = *p.props.topic_alias;
      if (alias == 0 || alias >= aliases_in_.size()) {
        std::fprintf(stderr, "error: topic alias %u out of range\n", static_cast<unsigned>(alias));
        protocol_error(mc::reason_code::topic_alias_invalid);
        return false;
      }
      if (!topic.empty()) {
        aliases_in_[alias] = std::string(topic);
      } else if (aliases_in_[alias].empty()) {
        std::fprintf(stderr, "error: topic alias %u was never set\n", static_cast<unsigned>(alias));
        protocol_error(mc::reason_code::protocol_error);
        return false;
      } else {
        topic = aliases_in_[alias];
      }
    }
    if (p.qos == mc::qos::exactly_once) {
      // Deliver on the first PUBLISH, then ignore its re-sends until PUBREL releases the id
      // (§4.3.3, method B).
      if (in_qos2_[p.packet_id]) {
        deliver = false;
      } else {
        in_qos2_[p.packet_id] = true;
        ++open_qos2_;
      }
    }
    return true;
  }

  bool acknowledge(mc::qos q, std::uint16_t id) {
    if (q == mc::qos::at_least_once) {
      mc::puback a;
      a.packet_id = id;
      return send(a);
    }
    if (q == mc::qos::exactly_once) {
      mc::pubrec a;
      a.packet_id = id;
      return send(a);
    }
    return true;
  }

  // Asks the next read for the `needed` bytes still missing of what is at the front (a `what`),
  // or more, up to a comfortable chunk; false when the buffer's limit leaves no room for them.
  bool read_more(std::size_t needed, const char* what) {
    const std::size_t room = o_.buffer != 0 ? o_.buffer - in_.data().size() : ~std::size_t{0};
    if (needed > room) {
      std::fprintf(stderr, "error: a %s larger than --buffer %zu\n", what, o_.buffer);
      return false;
    }
    want_ = std::max(needed, std::min(chunk(), room));
    return true;
  }

  // How much to read at once: a comfortable chunk, within the buffer's limit.
  std::size_t chunk() const {
    return o_.buffer != 0 ? std::min<std::size_t>(o_.buffer, 16'384) : 16'384;
  }

  void print(std::string_view topic, const mc::publish& p) {
    ++received_;
    if (o_.json) {
      json::writer w;
      w.begin_object();
      w.member("topic", topic);
      w.member("qos", static_cast<unsigned>(p.qos));
      w.member("retain", p.retain);
      json_text_or_hex(w, "payload", "payload_hex", p.payload);
      if (v_ == mc::protocol_version::v5) json_properties(w, p.props);
      w.end_object();
      std::fwrite(w.str().data(), 1, w.str().size(), stdout);
    } else {
      if (o_.verbose) {
        std::fwrite(topic.data(), 1, topic.size(), stdout);
        std::fputc(' ', stdout);
      }
      std::fwrite(p.payload.data(), 1, p.payload.size(), stdout);
    }
    std::fputc('\n', stdout);
    std::fflush(stdout);
  }

  const options& o_;
  mc::protocol_version v_;
  int fd_;
  mc::frame_options fo_;
  example::recv_buffer in_;
  std::size_t want_ = 16'384;
  struct {
    std::size_t left = 0;  // payload bytes of the streamed PUBLISH still to come
    mc::qos qos = mc::qos::at_most_once;
    std::uint16_t packet_id = 0;
    bool print = false;
  } stream_;
  std::vector<std::uint8_t> out_, header_;
  std::vector<std::uint8_t> out_states_;  // out_state per packet id
  std::vector<bool> in_qos2_;             // incoming QoS 2 ids awaiting PUBREL
  std::vector<std::string> aliases_in_;   // topic per alias the server may use
  std::vector<std::uint8_t> ack_codes_;
  unsigned inflight_ = 0, open_qos2_ = 0;
  std::uint16_t next_id_ = 1, wait_ack_id_ = 0;
  std::uint16_t keep_alive_ = o_.keep_alive;
  std::uint16_t server_alias_max_ = 0, server_receive_max_ = 65535;
  std::uint32_t server_max_packet_ = 0;
  long received_ = 0;
  std::int64_t deadline_ = -1, last_send_ = example::now_ms(), ping_sent_ = -1;
  bool expect_connack_ = false, connack_seen_ = false, connack_ok_ = false, timed_out_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  options o;
  if (!parse_args(argc, argv, o)) {
    usage();
    return exit_error;
  }
  // A peer that closes while we write must be an error return, not a signal.
  ::signal(SIGPIPE, SIG_IGN);
  std::string err;
  const int fd = example::tcp_connect(o.host, o.port, 10'000, err);
  if (fd < 0) {
    std::fprintf(stderr, "error: %s\n", err.c_str());
    return exit_error;
  }
  session s(o, fd);
  const int rc = s.run();
  ::close(fd);
  return rc;
}

// broker: a small MQTT 3.1 / 3.1.1 / 5.0 broker over POSIX sockets, single-threaded around
// poll(). It shows the server side of mqttcodec: each client's stream framed with next_frame,
// decoded in the version its CONNECT names with the server's checks (sender = role::client),
// a bad packet answered with the code its error names, and a PUBLISH forwarded as
// docs/tutorial.md §6 describes. Subscriptions live in an mc::topic_index.
//
//   broker [--listen 127.0.0.1:1883] [--log FILE|-]
//
// It does: CONNECT / CONNACK (a bad CONNECT refused in the version it asked for), session
// takeover, keep alive, QoS 0/1/2 both ways, retained messages, wills, SUBSCRIBE and
// UNSUBSCRIBE, shared subscriptions (round robin), and of 5.0: topic aliases from clients, No
// Local, Retain As Published, Retain Handling, Subscription Identifiers, and the client's
// Receive Maximum and Maximum Packet Size.
// It leaves out, to stay short: persistent sessions (every session is clean; a 5.0 Session
// Expiry Interval is answered with 0), retransmission of unacknowledged messages, queueing
// (a message beyond the client's Receive Maximum or its queue limit is dropped and logged),
// the Will Delay Interval (a will goes at once), AUTH, topic aliases towards clients, one copy
// per client for overlapping subscriptions (each matching subscription gets its own), TLS,
// authentication and authorization.
//
// --log writes one JSON object per event, such as
//   {"conn":2,"client":"sub-1","event":"subscribe","filter":"a/#","qos":1,"code":1}
//   {"conn":3,"client":"pub","event":"error","error":"topic_has_wildcard","offset":6,...}
// On SIGINT / SIGTERM it logs {"summary":true,...} and exits 0.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <mqttcodec/mqttcodec.hpp>
#include <mqttcodec/topic_index.hpp>

#include "json_writer.hpp"
#include "posix_socket.hpp"

namespace mc = mqttcodec;

namespace {

volatile sig_atomic_t stop_requested = 0;
extern "C" void on_signal(int) {
  stop_requested = 1;
}

// What the broker announces in its CONNACK (5.0) and holds clients to.
constexpr std::uint32_t max_packet = 1u << 20;
constexpr std::uint16_t receive_maximum = 20;  // inbound QoS 2 messages awaiting PUBREL
constexpr std::uint16_t topic_alias_maximum = 10;
// Limits of its own: filters per client (beyond: SUBACK 0x97), bytes queued for one client.
constexpr std::size_t max_filters = 100;
constexpr std::size_t max_queued = 8u << 20;

using byte_vector = std::vector<std::uint8_t>;

// The value stored in the topic index: whose subscription, and its options.
struct subscriber {
  std::uint64_t conn = 0;
  mc::subscription_options options{};
  std::uint32_t subscription_id = 0;  // 0: none (5.0 identifiers start at 1)
};

struct connection {
  std::uint64_t id;
  int fd;
  example::recv_buffer in{std::size_t{16} * 1024, std::size_t{max_packet} + 4096};
  std::size_t want = 4096;  // bytes to make room for before the next read
  byte_vector out;
  std::size_t out_sent = 0;
  bool connected = false;
  bool closing = false;  // send what is queued, then close
  bool dead = false;     // close now
  // Before its CONNECT a stream is framed as 5.0, whose packet types are a superset.
  mc::protocol_version v = mc::protocol_version::v5;
  std::string client_id;
  byte_vector connect_bytes;             // the will's views point into them
  std::optional<mc::will_message> will;  // reset by a normal DISCONNECT
  std::uint16_t keep_alive = 0;          // seconds; 0: none
  std::int64_t last_received = example::now_ms();
  // A 3.x client announces neither: the largest packet there is, and as many as ids allow.
  std::uint32_t peer_max_packet = mc::max_packet_size;
  std::uint16_t peer_receive_max = 65535;
  std::map<std::uint16_t, std::string> aliases;  // inbound topic aliases
  std::set<std::uint16_t> qos2_in;               // PUBREC sent, PUBREL awaited
  std::set<std::uint16_t> inflight;              // outbound QoS 1 and 2, not yet completed
  std::uint16_t next_packet_id = 1;
  std::set<std::string, std::less<>> filters;  // to erase its subscriptions when it goes

  connection(std::uint64_t i, int f) : id(i), fd(f) {}
  [[nodiscard]] std::size_t queued() const noexcept { return out.size() - out_sent; }
};

// A retained message, kept as the 5.0 PUBLISH it arrived as (topic resolved, no alias).
struct retained_message {
  byte_vector bytes;
  std::int64_t stored_ms = 0;  // for its Message Expiry Interval
};

class broker {
 public:
  broker(std::string host, std::string port, FILE* log)
      : host_(std::move(host)), port_(std::move(port)), log_(log) {
    opt_.max_packet_size = max_packet;
    opt_.sender = mc::role::client;  // also refuses what only a server may send
  }

  int run() {
    std::string err;
    listen_fd_ = example::tcp_listen(host_, port_, err);
    if (listen_fd_ < 0) {
      std::fprintf(stderr, "broker: %s\n", err.c_str());
      return 1;
    }
    std::vector<pollfd> fds;
    std::vector<connection*> polled;
    while (stop_requested == 0) {
      fds.assign(1, pollfd{listen_fd_, POLLIN, 0});
      polled.clear();
      for (const auto& [id, c] : conns_) {
        // A closing connection is not read: POLLHUP still says when its peer is gone.
        const short events =
            static_cast<short>((c->closing ? 0 : POLLIN) | (c->queued() > 0 ? POLLOUT : 0));
        fds.push_back({c->fd, events, 0});
        polled.push_back(c.get());
      }
      if (::poll(fds.data(), fds.size(), 250) < 0 && errno != EINTR) {
        std::perror("broker: poll");
        return 1;
      }
      if ((fds[0].revents & POLLIN) != 0) accept_all();
      for (std::size_t i = 0; i < polled.size(); ++i) {
        if ((fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) receive(*polled[i]);
      }
      check_keep_alive();
      flush_and_reap();
    }
    while (!conns_.empty()) close_connection(conns_.begin()->first);
    ::close(listen_fd_);
    json::writer w;
    w.begin_object();
    w.member("summary", true);
    w.member("connections", next_id_ - 1);
    w.member("publishes", publishes_);
    w.end_object();
    line(w);
    return 0;
  }

 private:
  // ---- the event loop ------------------------------------------------------------------------

  void accept_all() {
    for (int fd; (fd = ::accept(listen_fd_, nullptr, nullptr)) >= 0;) {
      example::set_nonblocking(fd);
      const std::uint64_t id = next_id_++;
      conns_.emplace(id, std::make_unique<connection>(id, fd));
    }
  }

  // Reads what arrived and handles every complete packet in it.
  void receive(connection& c) {
    const ssize_t n = c.in.read_from(c.fd, c.want);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      c.dead = true;  // closed, reset, or a packet larger than the buffer may hold
      return;
    }
    c.last_received = example::now_ms();
    while (!c.closing) {
      const mc::frame f = c.in.next_packet(opt_.framing(c.v));
      if (f.status == mc::frame_status::need_more) {
        c.want = std::max<std::size_t>(f.size, 4096);
        return;
      }
      if (f.status == mc::frame_status::invalid) return refuse(c, c.in.data(), f.err);
      // The packet's views point into c.in: everything keeps copies before consume().
      on_packet(c, f.packet(c.in.data()));
      c.in.consume(f.size);
    }
  }

  // A client silent for one and a half times its keep alive is gone [MQTT-3.1.2-22]; one that
  // connects and sends no CONNECT is dropped after 10 s.
  void check_keep_alive() {
    const std::int64_t now = example::now_ms();
    for (const auto& [id, c] : conns_) {
      if (c->closing) continue;
      const std::int64_t silent = now - c->last_received;
      if (c->connected && c->keep_alive != 0 && silent > std::int64_t{c->keep_alive} * 1500) {
        disconnect(*c, mc::reason_code::keep_alive_timeout, "keep alive timeout");
      } else if (!c->connected && silent > 10'000) {
        c->closing = true;
      }
    }
  }

  void flush_and_reap() {
    std::vector<std::uint64_t> done;
    for (const auto& [id, c] : conns_) {
      flush(*c);
      if (c->dead || (c->closing && c->queued() == 0)) done.push_back(id);
    }
    for (const std::uint64_t id : done) close_connection(id);
  }

  void flush(connection& c) {
    while (c.queued() > 0) {
      const ssize_t w = ::send(c.fd, c.out.data() + c.out_sent, c.queued(), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) c.dead = true;
        break;
      }
      c.out_sent += static_cast<std::size_t>(w);
    }
    // Drop what was sent once it is most of the buffer, so a slow reader's queue stays small.
    if (c.out_sent > c.out.size() / 2) {
      c.out.erase(c.out.begin(), c.out.begin() + static_cast<std::ptrdiff_t>(c.out_sent));
      c.out_sent = 0;
    }
  }

  void close_connection(std::uint64_t id) {
    const auto it = conns_.find(id);
    connection& c = *it->second;
    // Still set, the will goes out: the connection ended without a normal DISCONNECT (the
    // client vanished, broke a rule, missed its keep alive, or was taken over).
    if (c.will) publish_will(c);
    for (const std::string& f : c.filters) {
      subs_.erase_if(
          f, [id](const subscriber& s) { return s.conn == id; }, c.v);
    }
    ::close(c.fd);
    log(c, "close");
    conns_.erase(it);
  }

  // ---- output --------------------------------------------------------------------------------

  // Queues `p` for `c`. encode_to_fit honours the client's Maximum Packet Size: from an
  // acknowledgement it may leave out the Reason String and User Properties; a PUBLISH too
  // large is not sent at all [MQTT-3.1.2-24] and false is returned.
  template <class P>
  bool send(connection& c, const P& p) {
    if (c.closing) return false;
    mc::container_sink<byte_vector> sink{c.out};
    const auto r = mc::encode_to_fit(p, c.v, c.peer_max_packet, sink);
    if (!r) {
      log(c, "not_sent", "type", mc::to_string(P::type), "error", mc::name(r.error().code));
    }
    return r.has_value();
  }

  // Sends acknowledgement Ack of packet `id`. 3.x acknowledgements carry no reason code.
  template <class Ack>
  void acknowledge(connection& c, std::uint16_t id, mc::reason_code rc = mc::reason_code::success) {
    Ack ack(id);
    if (c.v == mc::protocol_version::v5) ack.reason_code = rc;
    (void)send(c, ack);
  }

  // Ends a connection the server's way: a 5.0 client is told why in a DISCONNECT; 3.x has no
  // such packet, so a 3.x client is just closed.
  void disconnect(connection& c, mc::reason_code rc, const char* why) {
    log(c, "disconnect", "by", "server", "reason", static_cast<unsigned>(rc), "why", why);
    if (c.connected && c.v == mc::protocol_version::v5) {
      mc::disconnect d;
      d.reason_code = rc;
      d.props.reason_string = why;
      (void)send(c, d);
    }
    c.closing = true;
  }

  // A packet that does not frame or decode. Before CONNECT, refuse_connect answers in the
  // version the CONNECT asked for, if it named one: 5.0 with the error's reason code, 3.x with
  // a return code where the error has one; else the connection closes without a CONNACK.
  void refuse(connection& c, mc::bytes_view bytes, const mc::error& e) {
    log(c, "error", "error", mc::name(e.code), "offset", e.offset, "rule", e.rule);
    if (c.connected) return disconnect(c, e.disconnect_reason(mc::role::server), e.message());
    if (const auto answer = mc::refuse_connect(bytes, e, opt_)) {
      c.v = answer->version;
      (void)send(c, answer->ack);
    }
    c.closing = true;
  }

  // ---- incoming packets ----------------------------------------------------------------------

  void on_packet(connection& c, mc::bytes_view bytes) {
    if (!c.connected) return on_connect(c, bytes);
    auto r = mc::decode(bytes, c.v, opt_);
    if (!r) return refuse(c, bytes, r.error());
    mc::packet& p = *r;
    switch (mc::type_of(p)) {
      case mc::packet_type::publish: return on_publish(c, std::get<mc::publish>(p));
      case mc::packet_type::puback: c.inflight.erase(std::get<mc::puback>(p).packet_id); return;
      case mc::packet_type::pubrec: return on_pubrec(c, std::get<mc::pubrec>(p));
      case mc::packet_type::pubrel: return on_pubrel(c, std::get<mc::pubrel>(p));
      case mc::packet_type::pubcomp: c.inflight.erase(std::get<mc::pubcomp>(p).packet_id); return;
      case mc::packet_type::subscribe: return on_subscribe(c, std::get<mc::subscribe>(p));
      case mc::packet_type::unsubscribe: return on_unsubscribe(c, std::get<mc::unsubscribe>(p));
      case mc::packet_type::pingreq: (void)send(c, mc::pingresp{}); return;
      case mc::packet_type::disconnect: return on_disconnect(c, std::get<mc::disconnect>(p));
      case mc::packet_type::connect:  // a second one [MQTT-3.1.0-2]
      case mc::packet_type::auth:     // an authentication exchange this broker never started
      default:                        // the server's packets: decode refused them already
        return disconnect(c, mc::reason_code::protocol_error, "unexpected packet");
    }
  }

  void on_connect(connection& c, mc::bytes_view bytes) {
    // The will views the CONNECT's bytes and goes out later, so they are kept.
    c.connect_bytes.assign(bytes.begin(), bytes.end());
    // Not a CONNECT first [MQTT-3.1.0-1]: the decode fails with invalid_packet_type.
    const auto r = mc::decode_as<mc::connect>(c.connect_bytes, mc::protocol_version::v5, opt_);
    if (!r) return refuse(c, c.connect_bytes, r.error());
    const mc::connect& cn = *r;
    c.v = cn.version;
    mc::connack ack;
    if (cn.props.authentication_method) {  // 5.0 enhanced authentication: no AUTH here
      ack.reason_code = mc::reason_code::bad_authentication_method;
      log(c, "refused", "reason", static_cast<unsigned>(ack.reason_code));
      (void)send(c, ack);
      c.closing = true;
      return;
    }
    c.keep_alive = cn.keep_alive;
    // An empty client identifier (allowed with a clean session) gets one from the server.
    c.client_id = cn.client_id.empty() ? "auto-" + std::to_string(c.id) : std::string(cn.client_id);
    if (c.v == mc::protocol_version::v5) {
      c.peer_max_packet = cn.props.maximum_packet_size.value_or(mc::max_packet_size);
      c.peer_receive_max = cn.props.receive_maximum.value_or(65535);
      if (cn.client_id.empty()) ack.props.assigned_client_identifier = c.client_id;
      if (cn.props.session_expiry_interval.value_or(0) != 0) {
        ack.props.session_expiry_interval = 0;  // the session ends with the connection
      }
      // Retain, wildcards, shared subscriptions and identifiers are available: the defaults
      // when the CONNACK does not mention them.
      ack.props.receive_maximum = receive_maximum;
      ack.props.topic_alias_maximum = topic_alias_maximum;
      ack.props.maximum_packet_size = max_packet;
    }
    // A second connection with the same client identifier takes the session over: the
    // first is disconnected (0x8E) and, closing, publishes its will [MQTT-3.1.4-3].
    for (const auto& [id, other] : conns_) {
      if (other->connected && !other->closing && other->client_id == c.client_id) {
        disconnect(*other, mc::reason_code::session_taken_over, "session taken over");
      }
    }
    c.will = cn.will;
    c.connected = true;
    log(c, "connect", "version", static_cast<unsigned>(c.v), "keep_alive", c.keep_alive, "will",
        c.will.has_value());
    (void)send(c, ack);
  }

  void on_publish(connection& c, mc::publish& p) {
    if (!resolve_alias(c, p)) return;
    ++publishes_;
    log(c, "publish", "topic", p.topic, "qos", static_cast<unsigned>(p.qos), "retain", p.retain,
        "size", p.payload.size());
    if (p.qos == mc::qos::exactly_once && c.qos2_in.count(p.packet_id) != 0) {
      // Sent again before our PUBREC arrived: the message went out the first time.
      return acknowledge<mc::pubrec>(c, p.packet_id);
    }
    if (p.qos == mc::qos::exactly_once && c.qos2_in.size() >= receive_maximum) {
      return disconnect(c, mc::reason_code::receive_maximum_exceeded, "receive maximum");
    }
    if (p.retain) retain(p);
    const bool matched = route(p, c.id);
    const auto rc = matched ? mc::reason_code::success : mc::reason_code::no_matching_subscribers;
    if (p.qos == mc::qos::at_least_once) acknowledge<mc::puback>(c, p.packet_id, rc);
    if (p.qos == mc::qos::exactly_once) {
      c.qos2_in.insert(p.packet_id);
      acknowledge<mc::pubrec>(c, p.packet_id, rc);
    }
  }

  // A 5.0 client may send a topic once with an alias, then the alias with an empty topic
  // (§3.3.2.3.4). Resolves `p.topic`; false when the alias is wrong and `c` is ending.
  bool resolve_alias(connection& c, mc::publish& p) {
    if (!p.props.topic_alias) return true;
    const std::uint16_t alias = *p.props.topic_alias;  // 0 was refused by decode
    if (alias > topic_alias_maximum) {
      disconnect(c, mc::reason_code::topic_alias_invalid, "topic alias above the maximum");
      return false;
    }
    if (!p.topic.empty()) {
      c.aliases[alias].assign(p.topic);
      return true;
    }
    const auto it = c.aliases.find(alias);
    if (it == c.aliases.end()) {
      disconnect(c, mc::reason_code::protocol_error, "topic alias not set");
      return false;
    }
    p.topic = it->second;  // a view of the map's string: unchanged until the next packet
    return true;
  }

  // Outbound QoS 2, second step: the client has the message; release the identifier.
  void on_pubrec(connection& c, const mc::pubrec& a) {
    // A 5.0 PUBREC with a failure code ends the exchange there (§4.3.3).
    if (static_cast<std::uint8_t>(a.reason_code) >= 0x80) {
      c.inflight.erase(a.packet_id);
      return;
    }
    const bool known = c.inflight.count(a.packet_id) != 0;
    acknowledge<mc::pubrel>(
        c, a.packet_id,
        known ? mc::reason_code::success : mc::reason_code::packet_identifier_not_found);
  }

  // Inbound QoS 2, last step: the message went out when it arrived; forget the identifier.
  void on_pubrel(connection& c, const mc::pubrel& a) {
    const bool known = c.qos2_in.erase(a.packet_id) != 0;
    acknowledge<mc::pubcomp>(
        c, a.packet_id,
        known ? mc::reason_code::success : mc::reason_code::packet_identifier_not_found);
  }

  void on_subscribe(connection& c, const mc::subscribe& s) {
    byte_vector codes;
    std::vector<std::pair<std::string_view, subscriber>> wants_retained;
    for (const mc::subscription& sub : s.subscriptions) {
      const subscriber entry{c.id, sub.options, s.props.subscription_identifier.value_or(0)};
      const std::uint64_t id = c.id;
      auto rc = static_cast<mc::reason_code>(sub.options.max_qos);  // granted as asked
      bool added = false;
      if (c.filters.count(sub.topic_filter) == 0 && c.filters.size() >= max_filters) {
        rc = mc::reason_code::quota_exceeded;
      } else if (const auto r = subs_.insert_or_assign(
                     sub.topic_filter, entry, [id](const subscriber& e) { return e.conn == id; },
                     c.v)) {
        // A client's SUBSCRIBE to a filter it has replaces the old one [MQTT-3.8.4-3]. The
        // client's version decides whether `$share/...` is shared: the same on erase.
        added = *r;
        c.filters.emplace(sub.topic_filter);
      } else {
        rc = mc::reason_code::topic_filter_invalid;  // decode checked it: not expected
      }
      // 3.1.1 has one failure code, 0x80; 3.1 has none, and closes the connection.
      const auto code = c.v == mc::protocol_version::v5 ? static_cast<std::uint8_t>(rc)
                                                        : mc::to_v3_suback_code(rc, c.v);
      log(c, "subscribe", "filter", sub.topic_filter, "qos",
          static_cast<unsigned>(sub.options.max_qos), "code", static_cast<unsigned>(rc));
      if (!code) return disconnect(c, rc, "subscription refused");
      codes.push_back(*code);
      if (*code >= 0x80) continue;
      // Retained messages go to a new subscription (or to every one, by Retain Handling), but
      // never to a shared one [MQTT-3.8.4-4].
      const auto handling = sub.options.retain;
      if (!(c.v == mc::protocol_version::v5 && mc::is_shared_subscription(sub.topic_filter)) &&
          (handling == mc::retain_handling::send_on_subscribe ||
           (handling == mc::retain_handling::send_if_new && added))) {
        wants_retained.emplace_back(sub.topic_filter, entry);
      }
    }
    mc::suback ack;
    ack.packet_id = s.packet_id;
    ack.reason_codes = mc::bytes_view(codes.data(), codes.size());
    (void)send(c, ack);
    for (const auto& [filter, entry] : wants_retained) send_retained(filter, entry);
  }

  void on_unsubscribe(connection& c, const mc::unsubscribe& u) {
    byte_vector codes;
    const std::uint64_t id = c.id;
    for (const std::string_view f : u.topic_filters) {
      const std::size_t n = subs_.erase_if(
          f, [id](const subscriber& s) { return s.conn == id; }, c.v);
      if (const auto it = c.filters.find(f); it != c.filters.end()) c.filters.erase(it);
      codes.push_back(static_cast<std::uint8_t>(n != 0 ? mc::reason_code::success
                                                       : mc::reason_code::no_subscription_existed));
      log(c, "unsubscribe", "filter", f, "found", n != 0);
    }
    mc::unsuback ack;
    ack.packet_id = u.packet_id;
    if (c.v == mc::protocol_version::v5)
      ack.reason_codes = mc::bytes_view(codes.data(), codes.size());
    (void)send(c, ack);
  }

  void on_disconnect(connection& c, const mc::disconnect& d) {
    // A normal DISCONNECT discards the will; 5.0's 0x04 asks for it all the same.
    if (d.reason_code != mc::reason_code::disconnect_with_will_message) c.will.reset();
    log(c, "disconnect", "by", "client", "reason", static_cast<unsigned>(d.reason_code));
    c.closing = true;
  }

  // ---- delivery ------------------------------------------------------------------------------

  // Sends `p` (its topic resolved) to each ordinary subscription matching its topic and to one
  // member of each matching shared subscription, in turn. Returns whether any matched.
  bool route(const mc::publish& p, std::uint64_t from) {
    bool matched = false;
    subs_.match(
        p.topic,
        [&](const subscriber& s) {
          matched = true;
          if (!(s.options.no_local && s.conn == from)) deliver(s, p, false);
        },
        [&](const mc::shared_match<subscriber>& g) {
          matched = true;
          auto it = next_member_.find(g.filter);
          if (it == next_member_.end()) it = next_member_.emplace(g.filter, 0).first;
          deliver(g.members[it->second++ % g.members.size()], p, false);
        });
    return matched;
  }

  // Forwards `src` to one subscription, changing what belongs to the receiving connection.
  void deliver(const subscriber& s, const mc::publish& src, bool retained_copy) {
    const auto it = conns_.find(s.conn);
    if (it == conns_.end() || it->second->closing) return;
    connection& c = *it->second;
    mc::publish out = src;
    out.dup = false;
    out.qos = std::min(src.qos, s.options.max_qos);
    // RETAIN stays set for a retained message sent to a new subscription, and otherwise only
    // under 5.0's Retain As Published [MQTT-3.3.1-9, MQTT-3.3.1-12].
    out.retain = retained_copy || (src.retain && s.options.retain_as_published);
    const std::uint32_t ids[] = {s.subscription_id};
    if (c.v == mc::protocol_version::v5) {
      out.props.topic_alias.reset();
      out.props.subscription_identifiers =
          mc::subscription_identifier_list(ids, s.subscription_id != 0 ? 1 : 0);
    } else {
      out.props = {};  // 3.x has no properties: encode would refuse to drop them silently
    }
    out.packet_id = 0;
    if (out.qos != mc::qos::at_most_once) {
      // No queue here: what the client's Receive Maximum does not admit is dropped.
      if (c.inflight.size() >= c.peer_receive_max) {
        return log(c, "dropped", "topic", out.topic, "why", "receive_maximum");
      }
      out.packet_id = new_packet_id(c);
    }
    if (c.queued() > max_queued) return log(c, "dropped", "topic", out.topic, "why", "queue_full");
    if (send(c, out) && out.qos != mc::qos::at_most_once) c.inflight.insert(out.packet_id);
  }

  // Fewer than 65,535 messages are in flight (Receive Maximum caps them): one id is free.
  static std::uint16_t new_packet_id(connection& c) {
    for (;;) {
      const std::uint16_t id = c.next_packet_id;
      c.next_packet_id = static_cast<std::uint16_t>(id == 65535 ? 1 : id + 1);
      if (c.inflight.count(id) == 0) return id;
    }
  }

  // Stores (or, with an empty payload, deletes) the retained message of `p`'s topic.
  void retain(const mc::publish& p) {
    if (p.payload.empty()) {  // [MQTT-3.3.1-10, MQTT-3.3.1-11]
      if (const auto it = retained_.find(p.topic); it != retained_.end()) retained_.erase(it);
      return;
    }
    mc::publish keep = p;
    keep.dup = false;
    keep.retain = true;
    // Any valid identifier: each delivery sets its own. A will has none yet.
    keep.packet_id = keep.qos == mc::qos::at_most_once ? 0 : 1;
    keep.props.topic_alias.reset();
    retained_message m;
    m.stored_ms = example::now_ms();
    mc::container_sink<byte_vector> sink{m.bytes};
    // It decoded, so it encodes; and any 3.x PUBLISH is also a valid 5.0 one.
    if (mc::encode(keep, mc::protocol_version::v5, sink)) {
      retained_.insert_or_assign(std::string(p.topic), std::move(m));
    }
  }

  // Sends the retained messages matching a new subscription's filter. Their Message Expiry
  // Interval counted down while they waited; expired ones are deleted instead.
  void send_retained(std::string_view filter, const subscriber& s) {
    mc::decode_options opt;
    opt.skip_utf8_validation = true;  // the broker's own bytes, checked when they arrived
    const std::int64_t now = example::now_ms();
    for (auto it = retained_.begin(); it != retained_.end();) {
      auto p = mc::decode_as<mc::publish>(it->second.bytes, mc::protocol_version::v5, opt);
      if (!p || !mc::topic_matches(filter, it->first)) {
        ++it;
        continue;
      }
      if (const auto expiry = p->props.message_expiry_interval) {
        const auto waited = static_cast<std::uint64_t>(now - it->second.stored_ms) / 1000;
        if (waited >= *expiry) {
          it = retained_.erase(it);
          continue;
        }
        p->props.message_expiry_interval = static_cast<std::uint32_t>(*expiry - waited);
      }
      deliver(s, *p, true);
      ++it;
    }
  }

  void publish_will(connection& c) {
    // The will as a PUBLISH: topic, payload, QoS, Retain and the will's 5.0 properties.
    const mc::publish p = mc::will_publish(*c.will);
    c.will.reset();
    log(c, "will", "topic", p.topic);
    if (p.retain) retain(p);
    route(p, c.id);
  }

  // ---- the log -------------------------------------------------------------------------------

  // One JSON line: {"conn":N,"client":"...","event":"...","name":value,...}, from the
  // name-value pairs that follow `event`. A null `const char*` is left out.
  template <class... NameValue>
  void log(const connection& c, const char* event, const NameValue&... fields) {
    if (log_ == nullptr) return;
    json::writer w;
    w.begin_object();
    w.member("conn", c.id);
    if (!c.client_id.empty()) w.member("client", c.client_id);
    w.member("event", event);
    members(w, fields...);
    w.end_object();
    line(w);
  }
  static void members(json::writer&) {}
  template <class T, class... More>
  static void members(json::writer& w, std::string_view name, const T& v, const More&... more) {
    if constexpr (std::is_same_v<T, const char*>) {
      if (v != nullptr) w.member(name, v);
    } else {
      w.member(name, v);
    }
    members(w, more...);
  }

  void line(const json::writer& w) {
    FILE* out = log_ != nullptr ? log_ : stderr;
    std::fwrite(w.str().data(), 1, w.str().size(), out);
    std::fputc('\n', out);
    std::fflush(out);
  }

  std::string host_, port_;
  FILE* log_;
  mc::decode_options opt_;
  int listen_fd_ = -1;
  std::uint64_t next_id_ = 1;
  std::uint64_t publishes_ = 0;
  std::map<std::uint64_t, std::unique_ptr<connection>> conns_;
  mc::topic_index<subscriber> subs_;
  std::map<std::string, retained_message, std::less<>> retained_;
  std::map<std::string, std::size_t, std::less<>> next_member_;  // per shared subscription
};

void usage() {
  std::fputs("usage: broker [--listen HOST:PORT] [--log FILE|-]   (default 127.0.0.1:1883)\n",
             stderr);
}

}  // namespace

int main(int argc, char** argv) {
  // Loopback unless told otherwise: this broker has no authentication.
  std::string host = "127.0.0.1", port = "1883";
  const char* log_path = nullptr;
  for (int i = 1; i < argc; i += 2) {
    const std::string_view a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (v != nullptr && a == "--listen" && example::split_host_port(v, host, port)) continue;
    if (v != nullptr && a == "--log") {
      log_path = v;
      continue;
    }
    usage();
    return 2;
  }
  FILE* log = log_path != nullptr ? example::open_log(log_path) : nullptr;
  if (log_path != nullptr && log == nullptr) return 2;
  example::handle_stop_signals(on_signal);
  broker b(std::move(host), std::move(port), log);
  const int rc = b.run();
  example::close_log(log);
  return rc;
}

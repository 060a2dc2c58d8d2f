// asio_client: the publish and subscribe flows of examples/client, asynchronous, on
// standalone Asio. It shows mqttcodec in a completion-handler design: packets are encoded
// with gather_sink and written with one asio::async_write of two buffers (header, payload),
// so a payload is never copied; received bytes are framed with next_frame over whatever
// async_read_some delivered.
//
//   asio_client pub -h 127.0.0.1 -p 1883 -V 5 -t a/b -m hello -q 2 [--repeat N] [-f FILE]
//   asio_client sub -h 127.0.0.1 -p 1883 -V 311 -t 'a/#' -q 1 -C 10 -W 30
//
// sub prints "topic payload\n" per message. Exit status: 0 done, 1 error, 27 timed out (-W).
#include <asio.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <mqttcodec/mqttcodec.hpp>

namespace mc = mqttcodec;
using asio::ip::tcp;

namespace {

struct options {
  bool pub = false;
  std::string host = "127.0.0.1", port = "1883", id;
  mc::protocol_version version = mc::protocol_version::v311;
  std::vector<std::string> topics;
  std::string message;
  std::optional<std::string> file;
  unsigned qos = 0;
  long count = 0, repeat = 1, timeout = 0;
  std::uint16_t keep_alive = 60;
};

class session {
 public:
  session(asio::io_context& io, const options& o)
      : o_(o), socket_(io), resolver_(io), deadline_(io), ping_timer_(io) {}

  void start() {
    if (o_.timeout > 0) {
      deadline_.expires_after(std::chrono::seconds(o_.timeout));
      deadline_.async_wait([this](std::error_code ec) {
        if (ec) return;
        std::fputs("Timed out\n", stderr);
        finish(27);
      });
    }
    resolver_.async_resolve(
        o_.host, o_.port, [this](std::error_code ec, const tcp::resolver::results_type& r) {
          if (ec) return fail("resolve", ec);
          asio::async_connect(socket_, r, [this](std::error_code ec2, const tcp::endpoint&) {
            if (ec2) return fail("connect", ec2);
            socket_.set_option(tcp::no_delay(true));
            send_connect();
            read();
          });
        });
  }

  [[nodiscard]] int status() const { return status_; }

 private:
  // One queued packet: its header bytes (owned) and a payload view (the caller's bytes,
  // which outlive the write: the file or message held by the session).
  struct outgoing {
    std::vector<std::uint8_t> header;
    mc::bytes_view payload;
  };

  template <class P>
  void send(const P& p) {
    const auto size = mc::encoded_size(p, o_.version);
    if (!size) return fail_codec("encode", size.error());
    outgoing out;
    std::size_t header_size = *size;
    if constexpr (std::is_same_v<P, mc::publish>) header_size -= p.payload.size();
    out.header.resize(header_size);
    mc::gather_sink sink{mc::mutable_bytes_view(out.header)};
    if (const auto n = mc::encode(p, o_.version, sink); !n) return fail_codec("encode", n.error());
    out.header.resize(sink.header().size());
    out.payload = sink.payload();
    queue_.push_back(std::move(out));
    last_send_ = std::chrono::steady_clock::now();
    if (queue_.size() == 1) write_next();
  }

  void write_next() {
    const outgoing& out = queue_.front();
    const std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(out.header), asio::buffer(out.payload.data(), out.payload.size())};
    asio::async_write(socket_, buffers, [this](std::error_code ec, std::size_t) {
      if (ec) return fail("write", ec);
      queue_.pop_front();
      if (!queue_.empty()) {
        write_next();
      } else if (closing_) {
        std::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
      }
    });
  }

  void read() {
    // Compact, then make room for at least what the frame in progress still needs.
    if (begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buf_.size() - end_ < want_) buf_.resize(end_ + want_);
    socket_.async_read_some(asio::buffer(buf_.data() + end_, buf_.size() - end_),
                            [this](std::error_code ec, std::size_t n) {
                              if (ec) {
                                if (done_) return;
                                return fail("read", ec);
                              }
                              end_ += n;
                              if (handle_buffered()) read();
                            });
  }

  bool handle_buffered() {
    mc::frame_options fo;
    fo.version = o_.version;
    for (;;) {
      const mc::bytes_view data(buf_.data() + begin_, end_ - begin_);
      const mc::frame f = mc::next_frame(data, fo);
      if (f.status == mc::frame_status::need_more) {
        want_ = f.size > 16'384 ? f.size : 16'384;
        return true;
      }
      if (f.status == mc::frame_status::invalid) {
        fail_codec("framing", f.err);
        return false;
      }
      const auto r = mc::decode(f.packet(data), o_.version);
      if (!r) {
        fail_codec("decode", r.error());
        return false;
      }
      if (!dispatch(*r)) return false;
      begin_ += f.size;
      if (done_) return false;
    }
  }

  void send_connect() {
    mc::connect c;
    c.version = o_.version;
    c.client_id = o_.id;
    c.keep_alive = o_.keep_alive;
    send(c);
  }

  void schedule_ping() {
    if (o_.keep_alive == 0) return;
    ping_timer_.expires_after(std::chrono::seconds(o_.keep_alive));
    ping_timer_.async_wait([this](std::error_code ec) {
      if (ec || done_) return;
      if (std::chrono::steady_clock::now() - last_send_ >= std::chrono::seconds(o_.keep_alive)) {
        send(mc::pingreq{});
      }
      schedule_ping();
    });
  }

  bool dispatch(const mc::packet& pkt) {
    switch (mc::type_of(pkt)) {
      case mc::packet_type::connack: {
        const auto& c = std::get<mc::connack>(pkt);
        if (c.reason_code != mc::reason_code::success) {
          std::fprintf(stderr, "error: connection refused (0x%02x)\n",
                       static_cast<unsigned>(c.reason_code));
          finish(1);
          return false;
        }
        if (c.props.receive_maximum)
          window_ = std::min<unsigned>(window_, *c.props.receive_maximum);
        schedule_ping();
        if (o_.pub) {
          load_payload();
          pump_publishes();
        } else {
          subscribe();
        }
        return true;
      }
      case mc::packet_type::suback: {
        for (std::uint8_t code : std::get<mc::suback>(pkt).reason_codes) {
          if (code >= 0x80) std::fprintf(stderr, "warning: a subscription was refused\n");
        }
        return true;
      }
      case mc::packet_type::publish: return on_publish(std::get<mc::publish>(pkt));
      case mc::packet_type::puback:
      case mc::packet_type::pubcomp: {
        --inflight_;
        pump_publishes();
        return true;
      }
      case mc::packet_type::pubrec: {
        mc::pubrel rel;
        rel.packet_id = std::get<mc::pubrec>(pkt).packet_id;
        send(rel);
        return true;
      }
      case mc::packet_type::pubrel: {
        mc::pubcomp comp;
        comp.packet_id = std::get<mc::pubrel>(pkt).packet_id;
        --open_qos2_;
        send(comp);
        maybe_done_receiving();
        return true;
      }
      case mc::packet_type::pingresp: return true;
      default:
        std::fprintf(stderr, "error: unexpected %s\n", mc::to_string(mc::type_of(pkt)));
        finish(1);
        return false;
    }
  }

  void load_payload() {
    if (!o_.file) {
      payload_.assign(o_.message.begin(), o_.message.end());
      return;
    }
    std::ifstream in(*o_.file, std::ios::binary);
    payload_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // Sends publishes while the window allows; disconnects once all are acknowledged.
  void pump_publishes() {
    while (sent_ < o_.repeat * static_cast<long>(o_.topics.size()) &&
           (o_.qos == 0 || inflight_ < window_)) {
      mc::publish p;
      p.topic = o_.topics[static_cast<std::size_t>(sent_) % o_.topics.size()];
      p.payload = payload_;
      p.qos = static_cast<mc::qos>(o_.qos);
      if (o_.qos > 0) {
        p.packet_id = next_id_;
        next_id_ = static_cast<std::uint16_t>(next_id_ == 65535 ? 1 : next_id_ + 1);
        ++inflight_;
      }
      send(p);
      ++sent_;
    }
    if (sent_ == o_.repeat * static_cast<long>(o_.topics.size()) && inflight_ == 0) disconnect();
  }

  void subscribe() {
    subs_.clear();
    for (const std::string& t : o_.topics) {
      mc::subscription s;
      s.topic_filter = t;
      s.options.max_qos = static_cast<mc::qos>(o_.qos);
      subs_.push_back(s);
    }
    mc::subscribe s;
    s.packet_id = 1;
    s.subscriptions = subs_;
    send(s);
  }

  bool on_publish(const mc::publish& p) {
    if (p.qos == mc::qos::at_least_once) {
      mc::puback a;
      a.packet_id = p.packet_id;
      send(a);
    } else if (p.qos == mc::qos::exactly_once) {
      mc::pubrec a;
      a.packet_id = p.packet_id;
      ++open_qos2_;
      send(a);
    }
    std::fwrite(p.topic.data(), 1, p.topic.size(), stdout);
    std::fputc(' ', stdout);
    std::fwrite(p.payload.data(), 1, p.payload.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    ++received_;
    maybe_done_receiving();
    return true;
  }

  void maybe_done_receiving() {
    if (!o_.pub && o_.count > 0 && received_ >= o_.count && open_qos2_ == 0) disconnect();
  }

  void disconnect() {
    if (closing_) return;
    send(mc::disconnect{});
    closing_ = true;
    done_ = true;
    status_ = 0;
    deadline_.cancel();
    ping_timer_.cancel();
  }

  void fail(const char* what, std::error_code ec) {
    if (done_) return;
    std::fprintf(stderr, "error: %s: %s\n", what, ec.message().c_str());
    finish(1);
  }
  void fail_codec(const char* what, const mc::error& e) {
    std::fprintf(stderr, "error: %s: %s at offset %u\n", what, mc::name(e.code),
                 static_cast<unsigned>(e.offset));
    finish(1);
  }
  void finish(int status) {
    if (done_) return;
    done_ = true;
    status_ = status;
    std::error_code ignored;
    socket_.close(ignored);
    deadline_.cancel();
    ping_timer_.cancel();
  }

  const options& o_;
  tcp::socket socket_;
  tcp::resolver resolver_;
  asio::steady_timer deadline_, ping_timer_;
  std::deque<outgoing> queue_;
  std::vector<std::uint8_t> buf_ = std::vector<std::uint8_t>(std::size_t{64} * 1024);
  std::size_t begin_ = 0, end_ = 0, want_ = 16'384;
  std::vector<std::uint8_t> payload_;
  std::vector<mc::subscription> subs_;
  std::chrono::steady_clock::time_point last_send_ = std::chrono::steady_clock::now();
  unsigned inflight_ = 0, window_ = 20, open_qos2_ = 0;
  long sent_ = 0, received_ = 0;
  std::uint16_t next_id_ = 1;
  bool closing_ = false, done_ = false;
  int status_ = 1;
};

bool parse(int argc, char** argv, options& o) {
  if (argc < 2) return false;
  const std::string_view mode = argv[1];
  if (mode != "pub" && mode != "sub") return false;
  o.pub = mode == "pub";
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string_view a = argv[i];
    const char* v = argv[i + 1];
    if (a == "-h") {
      o.host = v;
    } else if (a == "-p") {
      o.port = v;
    } else if (a == "-i") {
      o.id = v;
    } else if (a == "-t") {
      o.topics.emplace_back(v);
    } else if (a == "-m") {
      o.message = v;
    } else if (a == "-f") {
      o.file = v;
    } else if (a == "-q") {
      o.qos = static_cast<unsigned>(std::strtoul(v, nullptr, 10)) % 3;
    } else if (a == "-C") {
      o.count = std::strtol(v, nullptr, 10);
    } else if (a == "-W") {
      o.timeout = std::strtol(v, nullptr, 10);
    } else if (a == "-k") {
      o.keep_alive = static_cast<std::uint16_t>(std::strtoul(v, nullptr, 10));
    } else if (a == "--repeat") {
      o.repeat = std::strtol(v, nullptr, 10);
    } else if (a == "-V") {
      const std::string_view s = v;
      o.version = s == "31"  ? mc::protocol_version::v31
                  : s == "5" ? mc::protocol_version::v5
                             : mc::protocol_version::v311;
    } else {
      return false;
    }
  }
  // Unseeded std::rand() gave every run the same identifier, so two clients took each other's
  // session over (the server closes the older connection, MQTT-3.1.4-3).
  if (o.id.empty()) o.id = "mc-asio-" + std::to_string(std::random_device{}() % 100000);
  return !o.topics.empty();
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  if (!parse(argc, argv, o)) {
    std::fputs(
        "usage: asio_client pub|sub -t TOPIC [-h HOST] [-p PORT] [-V 31|311|5] [-i ID] [-q QOS]\n"
        "       [-m MESSAGE | -f FILE] [--repeat N] [-C COUNT] [-W SECONDS] [-k KEEPALIVE]\n",
        stderr);
    return 1;
  }
  asio::io_context io;
  session s(io, o);
  s.start();
  io.run();
  return s.status();
}

// proxy: a checking MQTT proxy. It accepts TCP connections, connects each to the broker, and
// in both directions frames every packet, decodes it with mqttcodec (the version learned from
// the connection's CONNECT), encodes it again, checks that the new bytes decode to an equal
// packet, and forwards the NEW bytes. So every session that works through it shows that
// the codec reads what real peers write and writes what real peers accept.
//
//   proxy --listen 127.0.0.1:1884 --connect 127.0.0.1:1883 [--log FILE|-] [--version 31|311|5]
//         [--max-packet BYTES]
//
// --log writes one JSON object per line: a packet
//   {"conn":1,"dir":"c2s","type":"publish","size":14,"version":4,"same_bytes":true,"qos":1}
// ("same_bytes": the re-encoding is byte-identical to what the peer sent; when it is not, both
// are logged in hex for packets up to 512 bytes), or an error, after which that connection's
// two sockets are closed:
//   {"conn":1,"dir":"s2c","error":"invalid_utf8","offset":9,"rule":"MQTT-1.5.4-1","hex":"..."}
// --version makes any CONNECT of another protocol version an error.
// On SIGINT / SIGTERM it logs {"summary":...} and exits; status 1 if any error was logged.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mqttcodec/mqttcodec.hpp>

#include "json_writer.hpp"
#include "posix_socket.hpp"

namespace mc = mqttcodec;

namespace {

volatile sig_atomic_t stop_requested = 0;
extern "C" void on_signal(int) {
  stop_requested = 1;
}

struct settings {
  std::string listen_host, listen_port, connect_host, connect_port;
  std::optional<mc::protocol_version> version;
  std::uint32_t max_packet = 64u << 20;
  // A direction stops reading while this much is queued for its destination.
  std::size_t max_queued = 4u << 20;
};

// One direction of a connection: bytes read from `from`, re-encoded packets queued for `to`.
struct direction {
  const char* name;
  int from = -1, to = -1;
  example::recv_buffer in;
  std::vector<std::uint8_t> out;
  std::size_t out_sent = 0;
  bool eof = false;   // `from` closed its sending side
  bool shut = false;  // we passed the close on to `to`
  std::size_t want = 4096;

  direction(const char* n, std::uint32_t max_packet)
      : name(n), in(std::size_t{64} * 1024, std::size_t{max_packet} + 4096) {}
  [[nodiscard]] std::size_t queued() const noexcept { return out.size() - out_sent; }
};

struct connection {
  unsigned id;
  int client_fd, server_fd;
  std::optional<mc::protocol_version> version;
  direction c2s, s2c;
  bool dead = false;

  connection(unsigned i, int c, int s, std::uint32_t max_packet)
      : id(i), client_fd(c), server_fd(s), c2s("c2s", max_packet), s2c("s2c", max_packet) {
    c2s.from = c;
    c2s.to = s;
    s2c.from = s;
    s2c.to = c;
  }
};

class proxy {
 public:
  explicit proxy(settings s, FILE* log) : s_(std::move(s)), log_(log) {}

  int run() {
    std::string err;
    listen_fd_ = example::tcp_listen(s_.listen_host, s_.listen_port, err);
    if (listen_fd_ < 0) {
      std::fprintf(stderr, "proxy: %s\n", err.c_str());
      return 1;
    }
    std::vector<pollfd> fds;
    while (stop_requested == 0) {
      fds.clear();
      fds.push_back({listen_fd_, POLLIN, 0});
      for (const auto& c : conns_) {
        // A socket with nothing to wait for is left out (negative fd), or a half-closed one
        // would report POLLHUP on every call.
        const short ce = events(c->c2s, c->s2c), se = events(c->s2c, c->c2s);
        fds.push_back({ce != 0 ? c->client_fd : -1, ce, 0});
        fds.push_back({se != 0 ? c->server_fd : -1, se, 0});
      }
      const int r = ::poll(fds.data(), fds.size(), 200);
      if (r < 0) {
        if (errno == EINTR) continue;
        std::perror("proxy: poll");
        return 1;
      }
      if ((fds[0].revents & POLLIN) != 0) accept_all();
      // conns_ may have grown in accept_all; only the ones polled have entries.
      for (std::size_t i = 0; i + 1 < fds.size(); i += 2) {
        connection& c = *conns_[i / 2];
        service(c, fds[i + 1].revents, c.c2s, c.s2c);
        if (!c.dead) service(c, fds[i + 2].revents, c.s2c, c.c2s);
        if (!c.dead && c.c2s.shut && c.s2c.shut) close(c);
      }
      std::vector<std::unique_ptr<connection>> alive;
      for (auto& c : conns_) {
        if (!c->dead) alive.push_back(std::move(c));
      }
      conns_.swap(alive);
    }
    for (auto& c : conns_) close(*c);
    json::writer w;
    w.begin_object();
    w.member("summary", true);
    w.member("connections", next_id_ - 1);
    w.member("packets", packets_);
    w.member("errors", errors_);
    w.end_object();
    line(w);
    return errors_ == 0 ? 0 : 1;
  }

 private:
  // What to poll on the socket that `read_dir` reads from and `write_dir` writes to.
  short events(const direction& read_dir, const direction& write_dir) const {
    short e = 0;
    if (!read_dir.eof && read_dir.queued() < s_.max_queued) e |= POLLIN;
    if (write_dir.queued() > 0) e |= POLLOUT;
    return e;
  }

  void accept_all() {
    for (;;) {
      const int cfd = ::accept(listen_fd_, nullptr, nullptr);
      if (cfd < 0) return;
      example::set_nonblocking(cfd);
      std::string err;
      const int sfd = example::tcp_connect(s_.connect_host, s_.connect_port, 5'000, err);
      if (sfd < 0) {
        std::fprintf(stderr, "proxy: upstream %s\n", err.c_str());
        ::close(cfd);
        continue;
      }
      conns_.push_back(std::make_unique<connection>(next_id_++, cfd, sfd, s_.max_packet));
    }
  }

  // Handles the poll result of `read_dir.from` (which is also `write_dir.to`).
  void service(connection& c, short revents, direction& read_dir, direction& write_dir) {
    if ((revents & POLLOUT) != 0 && !flush(c, write_dir)) return;
    if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !read_dir.eof) {
      const ssize_t n = read_dir.in.read_from(read_dir.from, read_dir.want);
      if (n == 0) {
        read_dir.eof = true;
        if (!read_dir.in.empty()) {
          fail(c, read_dir, "stream_ended_inside_packet", nullptr);
          return;
        }
      } else if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        // A reset from a peer is how some clients end; it is not a codec error.
        close(c);
        return;
      } else if (!frames(c, read_dir)) {
        return;
      }
    }
    if (read_dir.eof && !read_dir.shut && read_dir.queued() == 0) {
      ::shutdown(read_dir.to, SHUT_WR);
      read_dir.shut = true;
    }
    if (read_dir.queued() > 0) flush(c, read_dir);
  }

  bool flush(connection& c, direction& d) {
    while (d.queued() > 0) {
      const ssize_t w = ::send(d.to, d.out.data() + d.out_sent, d.queued(), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (errno == EINTR) continue;
        close(c);
        return false;
      }
      d.out_sent += static_cast<std::size_t>(w);
    }
    if (d.queued() == 0) {
      d.out.clear();
      d.out_sent = 0;
    }
    return true;
  }

  // Decodes, checks and queues every complete packet read so far.
  bool frames(connection& c, direction& d) {
    for (;;) {
      mc::frame_options fo;
      fo.version = c.version.value_or(mc::protocol_version::v311);  // CONNECT frames alike
      fo.max_packet_size = s_.max_packet;
      const mc::frame f = d.in.next_packet(fo);
      if (f.status == mc::frame_status::need_more) {
        d.want = f.size > 4096 ? f.size : 4096;
        return true;
      }
      if (f.status == mc::frame_status::invalid) {
        fail(c, d, "framing", &f.err);
        return false;
      }
      const mc::bytes_view bytes = f.packet(d.in.data());
      if (!check(c, d, bytes)) return false;
      d.in.consume(f.size);
    }
  }

  bool check(connection& c, direction& d, mc::bytes_view bytes) {
    const bool first = !c.version;
    if (first && (&d != &c.c2s || bytes[0] >> 4 != 1)) {
      fail(c, d, "first_packet_not_connect", nullptr, bytes);
      return false;
    }
    const mc::protocol_version v = c.version.value_or(mc::protocol_version::v311);
    const auto r = mc::decode(bytes, v);
    if (!r) {
      fail(c, d, "decode", &r.error(), bytes);
      return false;
    }
    if (first) {
      c.version = std::get<mc::connect>(*r).version;
      if (s_.version && *s_.version != *c.version) {
        fail(c, d, "unexpected_protocol_version", nullptr, bytes);
        return false;
      }
    }
    // Re-encode straight into the outgoing queue, then decode the new bytes and compare.
    const std::size_t start = d.out.size();
    mc::container_sink<std::vector<std::uint8_t>> sink{d.out};
    const auto n = mc::encode(*r, *c.version, sink);
    if (!n) {
      d.out.resize(start);
      fail(c, d, "reencode", &n.error(), bytes);
      return false;
    }
    const mc::bytes_view again(d.out.data() + start, *n);
    const auto r2 = mc::decode(again, *c.version);
    if (!r2) {
      fail(c, d, "decode_reencoded", &r2.error(), again);
      return false;
    }
    if (!(*r2 == *r)) {
      fail(c, d, "reencoded_differs", nullptr, again);
      return false;
    }
    ++packets_;
    if (log_ != nullptr) {
      json::writer w;
      w.begin_object();
      w.member("conn", c.id);
      w.member("dir", d.name);
      w.member("type", mc::to_string(mc::type_of(*r)));
      w.member("size", bytes.size());
      w.member("version", static_cast<unsigned>(*c.version));
      const bool same = again == bytes;
      w.member("same_bytes", same);
      if (const auto* p = std::get_if<mc::publish>(&*r)) {
        w.member("qos", static_cast<unsigned>(p->qos));
      }
      if (!same && bytes.size() <= 512) {
        w.member_hex("hex", bytes.data(), bytes.size());
        w.member_hex("reencoded_hex", again.data(), again.size());
      }
      w.end_object();
      line(w);
    }
    return true;
  }

  void fail(connection& c, const direction& d, const char* what, const mc::error* e,
            mc::bytes_view bytes = {}) {
    ++errors_;
    json::writer w;
    w.begin_object();
    w.member("conn", c.id);
    w.member("dir", d.name);
    w.member("error", e != nullptr ? mc::name(e->code) : what);
    w.member("stage", what);
    if (e != nullptr) {
      w.member("offset", e->offset);
      if (e->rule != nullptr) w.member("rule", e->rule);
    }
    const std::size_t shown = bytes.size() < 512 ? bytes.size() : 512;
    if (shown > 0) w.member_hex("hex", bytes.data(), shown);
    w.end_object();
    line(w);
    close(c);
  }

  void close(connection& c) {
    if (c.dead) return;
    ::close(c.client_fd);
    ::close(c.server_fd);
    c.dead = true;
  }

  void line(const json::writer& w) {
    FILE* out = log_ != nullptr ? log_ : stderr;
    std::fwrite(w.str().data(), 1, w.str().size(), out);
    std::fputc('\n', out);
    std::fflush(out);
  }

  settings s_;
  FILE* log_;
  int listen_fd_ = -1;
  unsigned next_id_ = 1;
  std::vector<std::unique_ptr<connection>> conns_;
  std::uint64_t packets_ = 0, errors_ = 0;
};

void usage() {
  std::fputs(
      "usage: proxy --listen HOST:PORT --connect HOST:PORT [--log FILE|-] [--version 31|311|5]\n"
      "             [--max-packet BYTES]\n",
      stderr);
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  const char* log_path = nullptr;
  bool have_listen = false, have_connect = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (v == nullptr) {
      usage();
      return 2;
    }
    ++i;
    if (a == "--listen") {
      have_listen = example::split_host_port(v, s.listen_host, s.listen_port);
    } else if (a == "--connect") {
      have_connect = example::split_host_port(v, s.connect_host, s.connect_port);
    } else if (a == "--log") {
      log_path = v;
    } else if (a == "--version") {
      const std::string_view ver = v;
      if (ver == "31") s.version = mc::protocol_version::v31;
      if (ver == "311") s.version = mc::protocol_version::v311;
      if (ver == "5") s.version = mc::protocol_version::v5;
      if (!s.version) {
        usage();
        return 2;
      }
    } else if (a == "--max-packet") {
      char* end = nullptr;
      const unsigned long n = std::strtoul(v, &end, 10);
      if (*end != '\0' || n < 2 || n > mc::max_packet_size) {
        usage();
        return 2;
      }
      s.max_packet = static_cast<std::uint32_t>(n);
    } else {
      usage();
      return 2;
    }
  }
  if (!have_listen || !have_connect) {
    usage();
    return 2;
  }
  FILE* log = log_path != nullptr ? example::open_log(log_path) : nullptr;
  if (log_path != nullptr && log == nullptr) return 2;
  example::handle_stop_signals(on_signal);
  proxy p(std::move(s), log);
  const int rc = p.run();
  example::close_log(log);
  return rc;
}

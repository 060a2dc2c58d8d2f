// firmware_client: an MQTT 3.1.1 client written the way firmware is: no heap, no exceptions,
// every buffer fixed at compile time. A PUBLISH of any size arrives through the 256-byte
// receive buffer: its head is decoded with decode_publish_head and its payload is consumed as
// it arrives. The global operator new aborts, so any allocation would end the program.
//
//   firmware_client HOST-IPV4 PORT CLIENT-ID pub TOPIC MESSAGE
//       connect, publish MESSAGE at QoS 1, wait for the PUBACK, disconnect
//   firmware_client HOST-IPV4 PORT CLIENT-ID sub TOPIC
//       connect, subscribe at QoS 1, print "subscribed", receive one PUBLISH, acknowledge it,
//       print "<payload size> <FNV-1a 64 of the payload, hex>", disconnect
//
// Exit status 0 on success, 1 on any failure (printed to stderr), 2 on a usage error.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include <mqttcodec/mqttcodec.hpp>

namespace mc = mqttcodec;

// No heap: an allocation is a bug in this program.
void* operator new(std::size_t) {
  std::abort();
}
void* operator new[](std::size_t) {
  std::abort();
}
void operator delete(void*) noexcept {}
void operator delete[](void*) noexcept {}
#ifdef __cpp_sized_deallocation  // GCC declares these in C++14 and later, clang on request
void operator delete(void*, std::size_t) noexcept {}
void operator delete[](void*, std::size_t) noexcept {}
#endif

namespace {

constexpr auto v311 = mc::protocol_version::v311;

// Reports a failure; false, for `return fail("why");`.
bool fail(const char* what) {
  std::fprintf(stderr, "error: %s\n", what);
  return false;
}

bool fail(const char* what, const mc::error& e) {
  std::fprintf(stderr, "error: %s: %s at byte %lu\n", what, mc::name(e.code),
               static_cast<unsigned long>(e.offset));
  return false;
}

// The connection: one socket, a fixed receive buffer holding [begin, end) unread bytes.
struct connection {
  int fd = -1;
  std::array<std::uint8_t, 256> rx{};
  std::size_t begin = 0;
  std::size_t end = 0;

  mc::bytes_view unread() const { return {rx.data() + begin, end - begin}; }

  // Reads more bytes, first moving the unread ones to the front. False on EOF or error.
  bool fill() {
    if (begin != 0) {
      std::memmove(rx.data(), rx.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (end == rx.size()) return false;  // the caller asked for more than the buffer holds
    const ssize_t n = ::recv(fd, rx.data() + end, rx.size() - end, 0);
    if (n <= 0) return false;
    end += static_cast<std::size_t>(n);
    return true;
  }

  bool send(mc::bytes_view b) const {
    for (std::size_t off = 0; off < b.size();) {
      const ssize_t n = ::send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Encodes `p` into a fixed send buffer and sends it.
  template <class P>
  bool send_packet(const P& p) const {
    std::array<std::uint8_t, 128> tx{};
    const auto n = mc::encode<mc::protocol_version::v311>(p, tx);
    return n && send({tx.data(), *n});
  }

  // Waits until the next packet is whole in the buffer and returns its frame (the packet at
  // unread()), except a PUBLISH: that one, which may be larger than the buffer, goes to
  // `on_publish` as soon as its fixed header is here, and next() returns what it returns.
  template <class OnPublish>
  bool next(mc::frame& f, OnPublish&& on_publish) {
    for (;;) {
      f = mc::next_frame(unread(), mc::decode_options{}.framing(v311));
      if (f.status == mc::frame_status::invalid) return false;
      if (f.header_size != 0 && f.type == mc::packet_type::publish) return on_publish();
      if (f.status == mc::frame_status::complete) return true;
      if (!fill()) return false;
    }
  }
};

std::uint64_t fnv1a(std::uint64_t h, mc::bytes_view b) {
  for (const std::uint8_t c : b) h = (h ^ c) * 0x100000001b3u;
  return h;
}

// Receives one PUBLISH from the connection, whatever its size: its head through
// decode_publish_head, then the payload as it arrives, hashed on the way. Acknowledges QoS 1.
bool receive_publish(connection& l, std::size_t& size, std::uint64_t& hash) {
  mc::publish_head h;
  for (;;) {
    h = mc::decode_publish_head(l.unread(), v311);
    if (h.status == mc::frame_status::complete) break;
    if (h.status == mc::frame_status::invalid) return fail("publish head", h.err);
    if (!l.fill()) return false;
  }
  hash = fnv1a(0xcbf29ce484222325u, h.packet.payload);  // the payload bytes already here
  std::size_t left = h.payload_size - h.packet.payload.size();
  const mc::qos q = h.packet.qos;
  const std::uint16_t id = h.packet.packet_id;
  l.begin += h.size + h.packet.payload.size();  // the views into rx are not used after this
  while (left > 0) {
    if (l.begin == l.end && !l.fill()) return false;
    const std::size_t take = left < l.end - l.begin ? left : l.end - l.begin;
    hash = fnv1a(hash, {l.rx.data() + l.begin, take});
    l.begin += take;
    left -= take;
  }
  size = h.payload_size;
  if (q == mc::qos::at_least_once) {
    mc::puback ack;
    ack.packet_id = id;
    return l.send_packet(ack);
  }
  return q == mc::qos::at_most_once;  // this client subscribes at QoS 1 at most
}

// Connects to HOST:PORT and exchanges CONNECT / CONNACK.
bool connect_to(connection& l, const char* host, const char* port, const char* client_id) {
  char* rest = nullptr;
  const unsigned long number = std::strtoul(port, &rest, 10);
  if (*port == '\0' || *rest != '\0' || number == 0 || number > 65535) {
    return fail("PORT must be 1-65535");
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(number));
  if (::inet_pton(AF_INET, host, &addr.sin_addr) != 1) return fail("HOST must be IPv4");
  l.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (l.fd < 0 || ::connect(l.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return fail("cannot connect");
  }
  mc::connect c;
  c.client_id = client_id;
  c.keep_alive = 30;
  if (!l.send_packet(c)) return fail("send CONNECT");
  mc::frame f;
  if (!l.next(f, [] { return false; })) return fail("no CONNACK");
  const auto ack = mc::decode_as<mc::connack, mc::protocol_version::v311>(f.packet(l.unread()));
  if (!ack) return fail("CONNACK", ack.error());
  l.begin += f.size;
  if (ack->return_code() != mc::connack_return_code::accepted) {
    std::fprintf(stderr, "error: refused: %s\n", mc::to_string(ack->return_code()));
    return false;
  }
  return true;
}

bool run_pub(connection& l, const char* topic, const char* message) {
  mc::publish p;
  p.topic = topic;
  p.qos = mc::qos::at_least_once;
  p.packet_id = 1;
  p.payload = mc::as_bytes(message);
  // The head goes from the send buffer, the payload from where it lies (as from flash).
  std::array<std::uint8_t, 128> head{};
  mc::gather_sink out{head};
  const auto n = mc::encode<mc::protocol_version::v311>(p, out);
  if (!n) return fail("encode PUBLISH", n.error());
  if (!l.send(out.header()) || !l.send(out.payload())) return fail("send PUBLISH");
  mc::frame f;
  if (!l.next(f, [] { return false; })) return fail("no PUBACK");
  const auto ack = mc::decode_as<mc::puback, mc::protocol_version::v311>(f.packet(l.unread()));
  if (!ack || ack->packet_id != 1) return fail("bad PUBACK");
  l.begin += f.size;
  return l.send_packet(mc::disconnect{}) || fail("send DISCONNECT");
}

bool run_sub(connection& l, const char* topic) {
  const mc::subscription subs[] = {{topic, {mc::qos::at_least_once}}};
  mc::subscribe s;
  s.packet_id = 1;
  s.subscriptions = subs;
  if (!l.send_packet(s)) return fail("send SUBSCRIBE");
  mc::frame f;
  if (!l.next(f, [] { return false; })) return fail("no SUBACK");
  const auto ack = mc::decode_as<mc::suback, mc::protocol_version::v311>(f.packet(l.unread()));
  if (!ack || ack->reason_codes.size() != 1 || ack->reason_codes[0] >= 0x80) {
    return fail("subscription refused");
  }
  l.begin += f.size;
  std::printf("subscribed\n");
  std::fflush(stdout);
  std::size_t size = 0;
  std::uint64_t hash = 0;
  mc::frame other;
  bool got = false;
  // Any packet but a PUBLISH (none is expected) ends the client.
  if (!l.next(other, [&] { return got = receive_publish(l, size, hash); }) || !got) {
    return fail("no PUBLISH");
  }
  std::printf("%zu %016" PRIx64 "\n", size, hash);
  return l.send_packet(mc::disconnect{}) || fail("send DISCONNECT");
}

}  // namespace

int main(int argc, char** argv) {
  const bool pub = argc == 7 && std::strcmp(argv[4], "pub") == 0;
  const bool sub = argc == 6 && std::strcmp(argv[4], "sub") == 0;
  if (!pub && !sub) {
    std::fprintf(stderr,
                 "usage: %s HOST-IPV4 PORT CLIENT-ID pub TOPIC MESSAGE\n"
                 "       %s HOST-IPV4 PORT CLIENT-ID sub TOPIC\n",
                 argv[0], argv[0]);
    return 2;
  }
  connection l;
  if (!connect_to(l, argv[1], argv[2], argv[3])) return 1;
  const bool ok = pub ? run_pub(l, argv[5], argv[6]) : run_sub(l, argv[5]);
  ::close(l.fd);
  return ok ? 0 : 1;
}

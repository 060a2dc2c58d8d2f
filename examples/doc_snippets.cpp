// Every code snippet of docs/tutorial.md and docs/cheatsheet.md, compiled and run by ctest, so
// the documentation cannot drift from the API. The test doc_snippets_in_docs checks that each
// ```cpp block of those pages appears here verbatim (ignoring indentation).
//
// Expected bytes below come from the specifications' packet layouts and from packets recorded
// from mosquitto (tests/data/recorded/).
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include <mqttcodec/mqttcodec.hpp>
#include <mqttcodec/topic_index.hpp>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAILED: %s\n", what);
    ++failures;
  }
}

// [tutorial:decode]
namespace mc = mqttcodec;

void handle_packet(mc::bytes_view bytes, mc::protocol_version version) {
  auto r = mc::decode(bytes, version);
  if (!r) {
    const mc::error& e = r.error();
    std::printf("bad packet: %s at byte %lu (%s)\n", mc::name(e.code),
                static_cast<unsigned long>(e.offset), e.rule ? e.rule : "no statement");
    return;
  }
  if (const auto* p = std::get_if<mc::publish>(&*r)) {
    std::printf("PUBLISH %.*s: %zu bytes\n", static_cast<int>(p->topic.size()), p->topic.data(),
                p->payload.size());
  } else if (const auto* a = std::get_if<mc::puback>(&*r)) {
    std::printf("PUBACK %u\n", a->packet_id);
  }
}
// [end]

// [tutorial:frame]
class connection {
 public:
  // Call with whatever the socket returned; false means: close the connection.
  bool on_bytes(const std::uint8_t* data, std::size_t n) {
    buffer_.insert(buffer_.end(), data, data + n);
    std::size_t used = 0;
    for (;;) {
      const mc::bytes_view rest(buffer_.data() + used, buffer_.size() - used);
      const mc::frame f = mc::next_frame(rest, limits_);
      if (f.status == mc::frame_status::need_more) break;  // read at least f.size more bytes
      if (f.status == mc::frame_status::invalid) {
        std::printf("broken stream: %s\n", mc::name(f.err.code));
        return false;
      }
      handle_packet(f.packet(rest), limits_.version);  // views die with the next erase
      used += f.size;
    }
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(used));
    return true;
  }

 private:
  std::vector<std::uint8_t> buffer_;
  mc::frame_options limits_ = [] {
    mc::frame_options o;
    o.version = mc::protocol_version::v311;
    o.max_packet_size = 64 * 1024;  // refused as soon as the fixed header says more
    return o;
  }();
};
// [end]

void tutorial_frame() {
  // Two packets recorded from mosquitto 2.0.11 (mosquitto_v311_qos.txt): a QoS 1 PUBLISH to
  // "mosq/311/qos/1" and a PUBACK, delivered one byte at a time and then all at once.
  const std::uint8_t stream[] = {0x32, 0x1f, 0x00, 0x0e, 0x6d, 0x6f, 0x73, 0x71, 0x2f, 0x33,
                                 0x31, 0x31, 0x2f, 0x71, 0x6f, 0x73, 0x2f, 0x31, 0x00, 0x01,
                                 0x71, 0x6f, 0x73, 0x20, 0x31, 0x20, 0x70, 0x61, 0x79, 0x6c,
                                 0x6f, 0x61, 0x64, 0x40, 0x02, 0x00, 0x01};
  connection byte_by_byte;
  bool ok = true;
  for (const std::uint8_t b : stream) ok = ok && byte_by_byte.on_bytes(&b, 1);
  check(ok, "frame: byte by byte");
  connection at_once;
  check(at_once.on_bytes(stream, sizeof stream), "frame: all at once");

  // The framer's own answers on a prefix: after 1 byte it needs the length byte, after the
  // fixed header exactly the rest of the body.
  const mc::frame f1 = mc::next_frame(mc::bytes_view(stream, 1));
  check(f1.status == mc::frame_status::need_more && f1.size == 1, "frame: need 1");
  const mc::frame f2 = mc::next_frame(mc::bytes_view(stream, 2));
  check(f2.status == mc::frame_status::need_more && f2.size == 31, "frame: need 31");
  // 0x00 is a reserved packet type: the stream is broken.
  const std::uint8_t junk[] = {0x00, 0x00};
  connection broken;
  check(!broken.on_bytes(junk, sizeof junk), "frame: invalid closes");
}

// [tutorial:publish-head]
// Receives through a 64-byte buffer: small packets whole, a PUBLISH as its head and then its
// payload, handed on piece by piece as it arrives, however large.
class small_buffer_receiver {
 public:
  // Call with whatever the socket returned; false means: close the connection.
  bool on_bytes(mc::bytes_view in) {
    while (!in.empty()) {
      if (payload_left_ > 0) {  // inside a payload: pass it on, nothing is buffered
        const mc::bytes_view piece = in.subview(0, std::min(in.size(), payload_left_));
        if (!dropping_) on_payload(piece);
        payload_left_ -= piece.size();
        in = in.subview(piece.size());
        continue;
      }
      // Buffer only the bytes asked for, so the buffer never holds more than one head.
      const std::size_t take = std::min(in.size(), want_);
      if (used_ + take > sizeof buffer_) return false;  // a head or packet too large for it
      std::memcpy(buffer_ + used_, in.data(), take);
      used_ += take;
      in = in.subview(take);
      const mc::bytes_view got(buffer_, used_);
      const mc::frame f = mc::next_frame(got, limits_);
      if (f.status == mc::frame_status::invalid) return false;
      if (f.header_size != 0 && f.type == mc::packet_type::publish) {
        const mc::publish_head h = mc::decode_publish_head(got, limits_.version);
        if (h.status == mc::frame_status::invalid) return false;
        want_ = h.size;
        if (h.status == mc::frame_status::need_more && used_ + want_ <= sizeof buffer_) continue;
        if (h.status == mc::frame_status::need_more) {
          // A head larger than the buffer: drop the packet, but acknowledge it, or the sender
          // sends it again on every new connection (QoS 1 and 2).
          const mc::publish_skip s = mc::skip_publish(got, limits_.version);
          if (s.status == mc::frame_status::invalid) return false;
          want_ = s.size;  // need_more: the topic and packet id (a longer topic fails above)
          if (s.status == mc::frame_status::need_more) continue;
          on_dropped(s.qos, s.packet_id);
          payload_left_ = s.size - used_;
          dropping_ = true;
        } else {
          on_publish(h.packet, h.payload_size);  // views into buffer_: use them now
          payload_left_ = h.payload_size;
          dropping_ = false;
        }
      } else {
        want_ = f.size;
        if (f.status == mc::frame_status::need_more) continue;
        handle_packet(got, limits_.version);
      }
      used_ = 0;
      want_ = 1;
    }
    return true;
  }
  std::size_t payload_bytes() const { return received_; }
  std::uint16_t last_dropped() const { return last_dropped_; }

 private:
  void on_publish(const mc::publish& head, std::size_t payload_size) {
    std::printf("PUBLISH %.*s: %zu bytes to come\n", static_cast<int>(head.topic.size()),
                head.topic.data(), payload_size);
  }
  void on_payload(mc::bytes_view piece) { received_ += piece.size(); }  // e.g. write to flash
  // To acknowledge with a PUBACK (or PUBREC) of reason code 0x80 Unspecified error.
  void on_dropped(mc::qos qos, std::uint16_t packet_id) {
    if (qos != mc::qos::at_most_once) last_dropped_ = packet_id;  // e.g. queue the ack
  }

  std::uint8_t buffer_[64];
  std::size_t used_ = 0;
  std::size_t want_ = 1;  // what the buffer still needs: at first, one byte
  std::size_t payload_left_ = 0;
  bool dropping_ = false;  // the payload is a dropped packet's
  std::size_t received_ = 0;
  std::uint16_t last_dropped_ = 0;
  mc::frame_options limits_ = [] {
    mc::frame_options o;
    o.version = mc::protocol_version::v5;
    return o;
  }();
};
// [end]

void tutorial_publish_head() {
  // A 5.0 PUBLISH of 10,000 payload bytes, then a PUBACK, through the 64-byte buffer, one
  // byte at a time and all at once.
  mc::publish big;
  big.topic = "fw/image";
  big.qos = mc::qos::at_least_once;
  big.packet_id = 5;
  std::vector<std::uint8_t> firmware(10000, 0xA5);
  big.payload = mc::bytes_view(firmware.data(), firmware.size());
  std::vector<std::uint8_t> stream;
  mc::container_sink<std::vector<std::uint8_t>> sink{stream};
  mc::puback ack;
  ack.packet_id = 5;
  check(mc::encode(big, mc::protocol_version::v5, sink) &&
            mc::encode(ack, mc::protocol_version::v5, sink),
        "publish-head: encode");
  small_buffer_receiver byte_by_byte;
  bool ok = true;
  for (const std::uint8_t b : stream) ok = ok && byte_by_byte.on_bytes(mc::bytes_view(&b, 1));
  check(ok && byte_by_byte.payload_bytes() == firmware.size(), "publish-head: byte by byte");
  small_buffer_receiver at_once;
  check(at_once.on_bytes(stream) && at_once.payload_bytes() == firmware.size(),
        "publish-head: at once");
  // A topic longer than the buffer cannot be taken.
  mc::publish long_topic;
  long_topic.topic = "a/very/long/topic/name/that/does/not/fit/in/a/buffer/of/sixty/four/bytes";
  std::vector<std::uint8_t> too_big;
  mc::container_sink<std::vector<std::uint8_t>> sink2{too_big};
  check(static_cast<bool>(mc::encode(long_topic, mc::protocol_version::v5, sink2)),
        "publish-head: encode long topic");
  small_buffer_receiver small;
  check(!small.on_bytes(too_big), "publish-head: topic larger than the buffer");
  // A head larger than the buffer (a 600-byte User Property) is dropped and its packet id kept
  // for the acknowledgement; the PUBACK after it is received as usual.
  mc::publish big_head;
  big_head.topic = "a/b";
  big_head.qos = mc::qos::exactly_once;
  big_head.packet_id = 9;
  const std::string value(600, 'v');
  const mc::string_pair user[] = {{"note", value}};
  big_head.props.user_properties = user;
  big_head.payload = mc::as_bytes("payload");
  std::vector<std::uint8_t> dropped;
  mc::container_sink<std::vector<std::uint8_t>> sink3{dropped};
  check(mc::encode(big_head, mc::protocol_version::v5, sink3) &&
            mc::encode(big, mc::protocol_version::v5, sink3),
        "publish-head: encode a large head");
  for (const bool one_by_one : {false, true}) {
    small_buffer_receiver r;
    bool taken = true;
    if (one_by_one) {
      for (const std::uint8_t b : dropped) taken = taken && r.on_bytes(mc::bytes_view(&b, 1));
    } else {
      taken = r.on_bytes(dropped);
    }
    check(taken && r.last_dropped() == 9 && r.payload_bytes() == firmware.size(),
          "publish-head: head larger than the buffer dropped");
  }

  // The sending side: the head, then the payload from wherever it lies.
  std::vector<std::uint8_t> wire;
  auto send_bytes = [&wire](mc::bytes_view b) { wire.insert(wire.end(), b.begin(), b.end()); };
  // [tutorial:publish-head-send]
  mc::publish image;
  image.topic = "fw/image";
  image.qos = mc::qos::at_least_once;
  image.packet_id = 6;
  const std::size_t image_size = 1 << 20;  // sent from flash in pieces, never all in memory
  std::array<std::uint8_t, 64> head;
  auto h = mc::encode_publish_head(image, image_size, mc::protocol_version::v5, head);
  if (h) send_bytes(mc::bytes_view(head.data(), *h));  // then the image's bytes, as read
  // [end]
  check(h && wire.size() == *h, "publish-head: encode the head");
  const std::vector<std::uint8_t> piece(4096, 0x5A);
  for (std::size_t sent = 0; sent < image_size; sent += piece.size()) send_bytes(piece);
  small_buffer_receiver flash;
  check(flash.on_bytes(wire) && flash.payload_bytes() == image_size, "publish-head: receive");
}

void tutorial_encode() {
  // [tutorial:encode-array]
  mc::publish msg;
  msg.topic = "sensors/t1";
  msg.qos = mc::qos::at_least_once;
  msg.packet_id = 7;
  msg.payload = mc::as_bytes("21.5");

  std::array<std::uint8_t, 256> buf;
  auto n = mc::encode(msg, mc::protocol_version::v311, buf);  // result<std::size_t>
  if (!n) std::printf("cannot encode: %s\n", mc::name(n.error().code));
  // [end]
  // MQTT 3.1.1 §3.3: 0x32 = PUBLISH, QoS 1; remaining length 18 = 2 + 10 (topic) + 2 (id) + 4.
  const std::uint8_t want[] = {0x32, 18,  0x00, 10,  's',  'e',  'n', 's', 'o', 'r',
                               's',  '/', 't',  '1', 0x00, 0x07, '2', '1', '.', '5'};
  check(n && *n == sizeof want && std::memcmp(buf.data(), want, sizeof want) == 0,
        "encode: array bytes");

  // [tutorial:encode-size]
  auto size = mc::encoded_size(msg, mc::protocol_version::v311);  // validates, writes nothing
  // [end]
  check(size && *size == sizeof want, "encode: encoded_size");

  // [tutorial:encode-span]
  mc::span_sink out{buf};
  mc::puback ack;
  ack.packet_id = 7;
  auto a = mc::encode(msg, mc::protocol_version::v311, out);
  auto b = mc::encode(ack, mc::protocol_version::v311, out);  // appended after msg
  if (a && b) {
    mc::bytes_view both = out.written();  // a + b bytes, ready for one send()
    (void)both;
  }
  // [end]
  check(a && b && out.size() == sizeof want + 4, "encode: span_sink appends");
  // MQTT 3.1.1 §3.4: PUBACK is 0x40, remaining length 2, packet identifier.
  const std::uint8_t want_ack[] = {0x40, 0x02, 0x00, 0x07};
  check(a && b && out.written().subview(sizeof want) == mc::bytes_view(want_ack, sizeof want_ack),
        "encode: puback bytes");

  // [tutorial:encode-vector]
  std::vector<std::uint8_t> queue;
  mc::container_sink<std::vector<std::uint8_t>> sink{queue};
  auto c = mc::encode(msg, mc::protocol_version::v311, sink);  // grows `queue`
  // [end]
  check(c && queue.size() == sizeof want && std::memcmp(queue.data(), want, sizeof want) == 0,
        "encode: container_sink");

  int fds[2];
  if (pipe(fds) != 0) {
    check(false, "pipe");
    return;
  }
  const int fd = fds[1];
  // [tutorial:encode-gather]
  std::array<std::uint8_t, 64> header;
  mc::gather_sink g{header};
  if (auto r = mc::encode(msg, mc::protocol_version::v311, g)) {
    iovec iov[2];
    iov[0].iov_base = const_cast<std::uint8_t*>(g.header().data());
    iov[0].iov_len = g.header().size();
    iov[1].iov_base = const_cast<std::uint8_t*>(g.payload().data());  // msg.payload itself
    iov[1].iov_len = g.payload().size();
    ssize_t sent = writev(fd, iov, 2);  // *r == g.size() bytes in one system call
    (void)sent;
  }
  // [end]
  std::uint8_t back[64] = {};
  const ssize_t got = read(fds[0], back, sizeof back);
  close(fds[0]);
  close(fds[1]);
  check(got == static_cast<ssize_t>(sizeof want) && std::memcmp(back, want, sizeof want) == 0,
        "encode: gather_sink + writev");
  check(g.payload().data() == msg.payload.data(), "encode: gather keeps the payload in place");
}

void tutorial_properties() {
  // [tutorial:properties-set]
  const mc::string_pair tags[] = {{"unit", "celsius"}, {"site", "lab-2"}};
  mc::publish msg;
  msg.topic = "sensors/t1";
  msg.payload = mc::as_bytes("21.5");
  msg.props.content_type = "text/plain";
  msg.props.message_expiry_interval = 60;  // seconds
  msg.props.user_properties = tags;        // a view of the array: keep `tags` alive

  std::vector<std::uint8_t> wire;
  mc::container_sink<std::vector<std::uint8_t>> sink{wire};
  auto n = mc::encode(msg, mc::protocol_version::v5, sink);
  // [end]
  check(static_cast<bool>(n), "properties: encode");
  // The same properties cannot go out as 3.1.1: there is no room for them.
  auto v3 = mc::encoded_size(msg, mc::protocol_version::v311);
  check(!v3 && v3.error().code == mc::errc::field_not_in_version, "properties: 3.1.1 refuses");

  std::string seen;
  // [tutorial:properties-read]
  auto r = mc::decode_as<mc::publish>(wire, mc::protocol_version::v5);
  if (r) {
    if (r->props.content_type) {
      std::printf("content type %.*s\n", static_cast<int>(r->props.content_type->size()),
                  r->props.content_type->data());
    }
    for (const mc::string_pair up : r->props.user_properties) {  // wire order, duplicates kept
      seen.append(up.name).append("=").append(up.value).append(";");
    }
  }
  // [end]
  check(static_cast<bool>(r), "properties: decode");
  check(seen == "unit=celsius;site=lab-2;", "properties: user properties in order");
  check(r && r->props.message_expiry_interval == 60u, "properties: expiry");
  // A property that PUBLISH may not carry (Session Expiry Interval, 0x11) is an error naming
  // the property: 30 09 00 01 't' 05 11 00 00 00 00 is otherwise a valid 5.0 PUBLISH.
  const std::uint8_t bad[] = {0x30, 0x09, 0x00, 0x01, 't', 0x05, 0x11, 0x00, 0x00, 0x00, 0x00};
  auto e = mc::decode(bad, mc::protocol_version::v5);
  check(!e && e.error().code == mc::errc::property_not_allowed && e.error().value == 0x11,
        "properties: not allowed names the id");
}

void tutorial_encode_to_fit() {
  // [tutorial:encode-to-fit]
  mc::suback ack;
  ack.packet_id = 7;
  const std::uint8_t granted[] = {0x01};
  ack.reason_codes = mc::bytes_view(granted, 1);
  ack.props.reason_string = "granted QoS 1: this broker does not store QoS 2 messages";
  std::array<std::uint8_t, 64> buf;
  auto fit = mc::encode_to_fit(ack, mc::protocol_version::v5, 32, buf);  // the peer's maximum
  if (fit && fit->dropped_reason_string) {
    // sent without the Reason String: fit->size bytes
  }
  // [end]
  // 90 (SUBACK), remaining length 4, packet id 7, Property Length 0, granted QoS 1.
  const std::uint8_t expected[] = {0x90, 0x04, 0x00, 0x07, 0x00, 0x01};
  check(fit && fit->dropped_reason_string && !fit->dropped_user_properties && fit->size == 6 &&
            std::memcmp(buf.data(), expected, 6) == 0,
        "encode_to_fit: Reason String dropped");
  const auto too_small = mc::encode_to_fit(ack, mc::protocol_version::v5, 5, buf);
  check(!too_small && too_small.error().code == mc::errc::packet_too_large,
        "encode_to_fit: still too large");
}

void tutorial_errors() {
  // A 3.1.1 PUBLISH whose topic "a/+" holds a wildcard (MQTT-3.3.2-2).
  const std::uint8_t bytes[] = {0x30, 0x05, 0x00, 0x03, 'a', '/', '+'};
  // [tutorial:errors]
  auto r = mc::decode(bytes, mc::protocol_version::v5);
  if (!r) {
    const mc::error& e = r.error();
    std::printf("%s (%s) at byte %lu, %s\n", mc::name(e.code), e.message(),
                static_cast<unsigned long>(e.offset), e.rule ? e.rule : "-");
    mc::disconnect bye;
    bye.reason_code = e.disconnect_reason(mc::role::server);  // 5.0: tell the client why
    std::error_code ec = e.code;  // "mqttcodec" category, for code that wants error_code
    (void)ec;
  }
  // [end]
  check(!r && r.error().code == mc::errc::topic_has_wildcard, "errors: code");
  check(!r && r.error().offset == 6, "errors: offset of the '+'");
  check(!r && r.error().rule != nullptr && std::string_view(r.error().rule) == "MQTT-3.3.2-2",
        "errors: rule id");
  check(!r && r.error().reason() == mc::reason_code::protocol_error, "errors: reason 0x82");
  const std::error_code ec = mc::errc::topic_has_wildcard;
  check(ec.category().name() == std::string_view("mqttcodec"), "errors: category");

  // A 3.1.1 CONNECT with protocol level 3 under the name "MQTT": return code 0x01.
  const std::uint8_t level3[] = {0x10, 0x0d, 0x00, 0x04, 'M',  'Q',  'T', 'T',
                                 0x03, 0x02, 0x00, 0x3c, 0x00, 0x01, 'c'};
  // [tutorial:connack]
  auto c = mc::decode_as<mc::connect>(level3, mc::protocol_version::v311);
  if (!c) {
    const std::uint8_t rc = c.error().connack_return_code();
    if (rc != 0) {
      mc::connack refuse;
      refuse.reason_code = static_cast<mc::reason_code>(rc);  // 3.x return code, same byte
      // send `refuse` encoded for 3.1.1, then close
    }
    // rc == 0: close without a CONNACK
  }
  // [end]
  check(!c && c.error().code == mc::errc::unsupported_protocol_version, "errors: level 3");
  check(!c && c.error().connack_return_code() == 0x01, "errors: return code 1");
}

// A 5.0 CONNECT whose Receive Maximum is 0: it fails after its protocol level.
void tutorial_connect_version() {
  const std::uint8_t bytes[] = {0x10, 0x11, 0x00, 0x04, 'M',  'Q',  'T',  'T',  0x05, 0x02,
                                0x00, 0x3c, 0x03, 0x21, 0x00, 0x00, 0x00, 0x01, 'c'};
  // [tutorial:connect-version]
  auto c = mc::decode_as<mc::connect>(bytes, mc::protocol_version::v5);
  if (!c) {
    auto v = mc::connect_version(bytes);  // the level the client asked for, if it named one
    if (v && *v == mc::protocol_version::v5) {
      mc::connack refuse;
      refuse.reason_code = c.error().reason();  // e.g. 0x82 for Receive Maximum 0
      // send `refuse` encoded for 5.0, then close
    } else {
      // 3.x, or no version named: connack_return_code() as above
    }
  }
  // [end]
  check(!c && c.error().reason() == mc::reason_code::protocol_error, "errors: 5.0 CONNECT 0x82");
  const auto v = mc::connect_version(bytes);
  check(v && *v == mc::protocol_version::v5, "errors: connect_version 5.0");
  // [tutorial:refuse-connect]
  if (const auto answer = mc::refuse_connect(bytes, c.error())) {
    // send mc::encode(answer->ack, answer->version, out), then close
  }  // else close without a CONNACK
  // [end]
  const auto refusal = mc::refuse_connect(bytes, c.error());
  if (!refusal) return check(false, "errors: refuse_connect answers a 5.0 CONNECT");
  std::array<std::uint8_t, 8> out{};
  const auto n = mc::encode(refusal->ack, refusal->version, out);
  check(refusal->version == mc::protocol_version::v5 && n && *n == 5 && out[3] == 0x82,
        "errors: refuse_connect gives 20 03 00 82 00");
}

void tutorial_leniency() {
  // PINGREQ with its remaining length 0 written in two bytes (0x80 0x00): not minimal.
  const std::uint8_t padded[] = {0xC0, 0x80, 0x00};
  auto strict = mc::decode(padded, mc::protocol_version::v311);
  check(!strict && strict.error().code == mc::errc::non_minimal_length, "lenient: strict");
  // [tutorial:leniency]
  mc::decode_options opt;
  opt.allow_non_minimal_length = true;  // old peers that pad the remaining length
  opt.skip_utf8_validation = false;     // true only for bytes you validated before
  opt.max_packet_size = 1 << 20;        // larger packets: errc::packet_too_large
  auto r = mc::decode(padded, mc::protocol_version::v311, opt);
  // [end]
  check(r && std::holds_alternative<mc::pingreq>(*r), "lenient: accepted");
}

void tutorial_compile_time() {
  const std::uint8_t pingreq[] = {0xC0, 0x00};
  std::array<std::uint8_t, 16> buf;
  // [tutorial:compile-time]
  constexpr auto v = mc::protocol_version::v311;
  auto p = mc::decode<v>(pingreq);                  // no 5.0 code is instantiated
  auto q = mc::decode_as<mc::pingreq, v>(pingreq);  // one packet type, no variant
  auto n = mc::encode<v>(mc::pingresp{}, buf);
  // [end]
  check(p && q && n && *n == 2 && buf[0] == 0xD0 && buf[1] == 0x00, "compile-time version");
}

void tutorial_topics() {
  // [tutorial:topic-validate]
  auto valid = mc::validate_topic_name("sensors/+/t");  // result<void>
  if (!valid) {
    std::printf("%s at %lu\n", mc::name(valid.error().code),
                static_cast<unsigned long>(valid.error().offset));
  }
  bool ok = mc::is_valid_topic_filter("sensors/+/t", mc::protocol_version::v311);
  // [end]
  check(!valid && valid.error().code == mc::errc::topic_has_wildcard && valid.error().offset == 8,
        "topics: name with '+'");
  check(ok, "topics: filter");
  check(!mc::is_valid_topic_filter("sensors/t#"), "topics: '#' not alone");

  // [tutorial:topic-match]
  bool m1 = mc::topic_matches("sensors/+/t", "sensors/lab/t");  // true
  bool m2 = mc::topic_matches("sport/#", "sport");              // true: '#' includes the parent
  bool m3 = mc::topic_matches("#", "$SYS/uptime");              // false: '$' topics
  // [end]
  check(m1 && m2 && !m3, "topics: matches");

  // [tutorial:topic-shared]
  if (auto s = mc::parse_shared_subscription("$share/workers/jobs/#")) {
    // s->share_name == "workers", s->filter == "jobs/#": match the topic against s->filter
    bool hit = mc::topic_matches(s->filter, "jobs/42");
    (void)hit;
  }
  // [end]
  auto s = mc::parse_shared_subscription("$share/workers/jobs/#");
  check(s && s->share_name == "workers" && s->filter == "jobs/#", "topics: shared parts");
  check(!mc::parse_shared_subscription("$share//jobs"), "topics: empty share name");

  std::string delivered;
  std::string group;
  // [tutorial:topic-index]
  mc::topic_index<std::string> subs;  // allocates; the codec never does
  if (auto r = subs.insert("sensors/+/t", "alice"); !r) {
    std::printf("refused: %s\n", mc::name(r.error().code));
  }
  (void)subs.insert("sensors/#", "bob");
  (void)subs.insert("$share/loggers/sensors/#", "logger-1");
  (void)subs.insert("$share/loggers/sensors/#", "logger-2");

  subs.match(
      "sensors/lab/t",
      [&](const std::string& who) { delivered += who + ";"; },   // alice, bob: any order
      [&](const mc::shared_match<std::string>& g) {              // one call per shared subscription
        group = std::string(g.share_name) + ":" + g.members[0];  // pick ONE member
      });
  subs.erase("sensors/#", "bob");
  // [end]
  check(delivered == "alice;bob;" || delivered == "bob;alice;", "topic_index: ordinary");
  check(group == "loggers:logger-1" || group == "loggers:logger-2", "topic_index: shared");
  delivered.clear();
  subs.match("sensors/lab/t", [&](const std::string& who) { delivered += who + ";"; });
  check(delivered == "alice;", "topic_index: erase");
}

void cheatsheet() {
  std::array<std::uint8_t, 128> buf;
  mc::publish pkt;
  pkt.topic = "a/b";
  pkt.payload = mc::as_bytes("x");
  const auto v = mc::protocol_version::v5;
  // [cheatsheet]
  auto n = mc::encode(pkt, v, buf);  // result<size_t>; buf: any byte range
  auto f = mc::next_frame(buf, mc::decode_options{}.framing(v));  // complete / need_more / invalid
  auto any = mc::decode(f.packet(buf), v);                        // result<mc::packet>
  auto pub = mc::decode_as<mc::publish>(f.packet(buf), v);        // result<mc::publish>
  if (!pub) std::printf("%s\n", mc::name(pub.error().code));
  // [end]
  check(n && f.status == mc::frame_status::complete && any && pub && pub->topic == "a/b",
        "cheatsheet round trip");
}

}  // namespace

int main() {
  tutorial_frame();
  tutorial_publish_head();
  tutorial_encode();
  tutorial_properties();
  tutorial_encode_to_fit();
  tutorial_errors();
  tutorial_connect_version();
  tutorial_leniency();
  tutorial_compile_time();
  tutorial_topics();
  cheatsheet();
  if (failures != 0) {
    std::printf("%d snippet checks failed\n", failures);
    return 1;
  }
  std::printf("all doc snippets ok\n");
  return 0;
}

// Robustness of framing and decoding on every vector (spec vectors, invalid vectors and all
// recorded packets): split at every offset, read flush against a PROT_NONE guard page, no
// allocation on any decode / frame / encode path, and truncation / bit-flip mutations.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "decode_as_named.hpp"
#include "test_catch.hpp"
#include "test_util.hpp"

namespace mc = mqttcodec;
using mc::protocol_version;

namespace {

constexpr protocol_version all_versions[] = {protocol_version::v31, protocol_version::v311,
                                             protocol_version::v5};

mc::frame frame_in(mc::bytes_view b, protocol_version v) {
  mc::frame_options o;
  o.version = v;
  return mc::next_frame(b, o);
}

// Walks every lazily iterated list of a decoded packet, so that its reads happen too.
std::size_t touch_lists(const mc::packet& p) {
  std::size_t n = 0;
  std::visit(
      [&](const auto& pkt) {
        using P = std::decay_t<decltype(pkt)>;
        if constexpr (std::is_same_v<P, mc::subscribe>) {
          for (const mc::subscription& s : pkt.subscriptions) n += s.topic_filter.size();
        } else if constexpr (std::is_same_v<P, mc::unsubscribe>) {
          for (const std::string_view f : pkt.topic_filters) n += f.size();
        } else if constexpr (std::is_same_v<P, mc::publish>) {
          for (const std::uint32_t id : pkt.props.subscription_identifiers) n += id;
        }
        if constexpr (!std::is_same_v<P, mc::pingreq> && !std::is_same_v<P, mc::pingresp>) {
          for (const mc::string_pair& u : pkt.props.user_properties) n += u.name.size();
        }
      },
      p);
  return n;
}

// Decodes `b` and, when it decodes, checks the decode -> encode -> decode oracle. decode_as
// for the type the first byte names (its own first-byte test, and the 3.x PUBLISH fast path)
// must give the same outcome.
void decode_and_check(mc::bytes_view b, protocol_version v, const std::string& what) {
  auto r = mc::decode(b, v);
  auto as = test::decode_as_named(b, v);
  if (as.has_value() != r.has_value() || (r && !(*as == *r)) ||
      (!r && (as.error().code != r.error().code || as.error().offset != r.error().offset ||
              test::rule_text(as.error().rule) != test::rule_text(r.error().rule)))) {
    FAIL_CHECK(what << ": decode_as and decode disagree on " << test::to_hex(b));
  }
  if (!r) {
    if (r.error().offset > b.size()) {
      FAIL_CHECK(what << ": error offset " << r.error().offset << " beyond " << b.size()
                      << " bytes: " << test::to_hex(b));
    }
    return;
  }
  (void)touch_lists(*r);
  std::array<std::uint8_t, 4096> out;
  v = mc::encode_version(*r, v);
  auto n = mc::encode(*r, v, out);
  if (!n) {
    FAIL_CHECK(what << ": decoded but encode refused it with " << mc::name(n.error().code) << ": "
                    << test::to_hex(b));
    return;
  }
  auto again = mc::decode(mc::bytes_view(out.data(), *n), v);
  if (!again || !(*again == *r)) {
    FAIL_CHECK(what << ": decode(encode(x)) != x for " << test::to_hex(b) << " -> "
                    << test::to_hex(mc::bytes_view(out.data(), *n)));
  }
}

// decode_publish_head on the first `k` bytes of vector `b` (placed flush against the guard
// page), held to decode_as<publish> of the whole packet: the same error, or the same fields
// with the payload cut where the input ends; need_more never asks for more than the head (or
// than the packet, when it is broken). Returns the answer.
mc::publish_head check_publish_head(test::guarded_buffer& guard, mc::bytes_view b, std::size_t k,
                                    protocol_version v, const std::string& what) {
  const mc::publish_head h = mc::decode_publish_head(guard.place(b.subview(0, k)), v);
  INFO(what << ", first " << k << " bytes of " << test::to_hex(b));
  const mc::frame f = frame_in(b, v);
  if (f.status == mc::frame_status::invalid) {
    CHECK((h.status == mc::frame_status::need_more ||
           (h.status == mc::frame_status::invalid && h.err.code == f.err.code &&
            h.err.offset == f.err.offset &&
            test::rule_text(h.err.rule) == test::rule_text(f.err.rule))));
    return h;
  }
  if (f.status == mc::frame_status::need_more) {  // a cut packet: no whole decode to compare
    if (h.status == mc::frame_status::complete) {
      CHECK(h.size <= k);
      CHECK(h.packet.payload.size() == k - h.size);
    }
    return h;
  }
  const auto whole = mc::decode_as<mc::publish>(b.subview(0, f.size), v);
  const std::size_t head = whole ? f.size - whole->payload.size() : f.size;
  switch (h.status) {
    case mc::frame_status::need_more:
      CHECK(h.size >= 1);
      CHECK(k + h.size <= head);
      break;
    case mc::frame_status::invalid:
      REQUIRE(!whole);
      CHECK(h.err.code == whole.error().code);
      CHECK(h.err.offset == whole.error().offset);
      CHECK(test::rule_text(h.err.rule) == test::rule_text(whole.error().rule));
      CHECK(h.err.value == whole.error().value);
      break;
    case mc::frame_status::complete: {
      REQUIRE(whole);
      CHECK(h.size == head);
      CHECK(h.payload_size == whole->payload.size());
      const std::size_t in = std::min(k, f.size);
      CHECK(test::to_hex(h.packet.payload) == test::to_hex(b.subview(head, in - head)));
      mc::publish same = h.packet;
      same.payload = whole->payload;
      CHECK(same == *whole);
      break;
    }
  }
  if (k >= f.size) CHECK(h.status != mc::frame_status::need_more);
  return h;
}

}  // namespace

TEST_CASE("decode_publish_head agrees with decode_as on every prefix of every vector",
          "[robustness][publish_head]") {
  test::guarded_buffer guard;
  if (!guard.ok()) {
    WARN("mmap/mprotect unavailable: decode_publish_head prefixes not tested");
    return;
  }
  std::size_t complete = 0, need_more = 0, invalid = 0;
  for (const test::any_vector& v : test::all_vectors()) {
    const test::byte_vector& b = *v.bytes;
    REQUIRE(b.size() <= guard.capacity());
    for (const protocol_version ver : all_versions) {
      // need_more asks for the least: every shorter input than it asks for needs more too.
      std::size_t needs_more_until = 0;
      for (std::size_t k = 0; k <= b.size(); ++k) {
        const mc::publish_head h = check_publish_head(guard, b, k, ver, v.name);
        if (k < needs_more_until) CHECK(h.status == mc::frame_status::need_more);
        switch (h.status) {
          case mc::frame_status::complete: ++complete; break;
          case mc::frame_status::need_more:
            ++need_more;
            needs_more_until = std::max(needs_more_until, k + h.size);
            break;
          case mc::frame_status::invalid: ++invalid; break;
        }
      }
    }
  }
  // Each answer is exercised many times.
  CHECK(complete > 1000);
  CHECK(need_more > 1000);
  CHECK(invalid > 1000);
}

TEST_CASE("every strict prefix of every vector needs more bytes", "[robustness]") {
  std::size_t prefixes = 0;
  for (const test::any_vector& v : test::all_vectors()) {
    const test::byte_vector& b = *v.bytes;
    const mc::frame whole = frame_in(b, v.version);
    if (whole.status != mc::frame_status::complete) continue;  // refused from its header
    INFO(v.name << ": " << test::to_hex(b));
    REQUIRE(whole.size == b.size());
    for (std::size_t k = 0; k < b.size(); ++k) {
      const mc::bytes_view prefix(b.data(), k);
      const mc::frame f = frame_in(prefix, v.version);
      // Before the length is whole, one more byte is all that is known to be needed.
      const std::size_t want = k < whole.header_size ? 1 : b.size() - k;
      if (f.status != mc::frame_status::need_more || f.size != want) {
        FAIL_CHECK("prefix of " << k << " bytes: status " << static_cast<int>(f.status) << " size "
                                << f.size << ", want need_more " << want);
      }
      auto d = mc::decode(prefix, v.version);
      if (d || d.error().code != mc::errc::truncated || d.error().offset > k) {
        FAIL_CHECK("decode of a prefix of " << k << " bytes did not fail with truncated");
      }
      ++prefixes;
    }
  }
  CHECK(prefixes > 10000);
}

TEST_CASE("decoding flush against a guard page never reads past the end", "[robustness]") {
  test::guarded_buffer guard;
  if (!guard.ok()) {
    WARN("mmap/mprotect unavailable: guard page test skipped");
    return;
  }
  std::size_t decoded = 0;
  for (const test::any_vector& v : test::all_vectors()) {
    const test::byte_vector& b = *v.bytes;
    REQUIRE(b.size() <= guard.capacity());
    for (std::size_t k = 0; k <= b.size(); ++k) {
      // Each prefix too: a truncated packet is where an over-read would happen.
      const mc::bytes_view placed = guard.place(mc::bytes_view(b.data(), k));
      for (const protocol_version ver : all_versions) {
        (void)frame_in(placed, ver);
        decode_and_check(placed, ver, v.name);  // decode and decode_as
        ++decoded;
      }
    }
  }
  CHECK(decoded > 10000);
}

TEST_CASE("the counting allocator sees allocations", "[robustness][alloc]") {
  // Through a volatile pointer, so the optimiser cannot elide the new/delete pair.
  static void* volatile keep = nullptr;
  const std::size_t before = test::allocation_count();
  keep = ::operator new(16);
  const std::size_t after = test::allocation_count();
  ::operator delete(keep);
  CHECK(after == before + 1);
  std::vector<int> v;
  v.reserve(10);
  keep = v.data();
  CHECK(test::allocation_count() > after);
}

TEST_CASE("decode, next_frame, encode and their publish_head forms allocate nothing",
          "[robustness][alloc]") {
  std::size_t checked = 0;
  for (const test::any_vector& v : test::all_vectors()) {
    const mc::bytes_view b = *v.bytes;
    std::array<std::uint8_t, 4096> out;
    std::array<std::uint8_t, 4096> header;
    const std::size_t before = test::allocation_count();
    const mc::frame f = frame_in(b, v.version);
    auto r = mc::decode(b, v.version);
    const bool as_ok = static_cast<bool>(test::decode_as_named(b, v.version));
    const mc::publish_head head = mc::decode_publish_head(b, v.version);
    bool head_encoded = true;
    if (head.status == mc::frame_status::complete) {
      head_encoded = static_cast<bool>(mc::encode_publish_head(head.packet, 1000, v.version, out));
    }
    std::size_t walked = 0;
    bool encoded = false, gathered = false, sized = false;
    std::size_t span_n = 0, size_n = 0;
    if (r) {
      walked = touch_lists(*r);
      mc::span_sink span{out};
      auto e1 = mc::encode(*r, v.version, span);
      mc::gather_sink gather{header};
      auto e2 = mc::encode(*r, v.version, gather);
      mc::size_sink size;
      auto e3 = mc::encode(*r, v.version, size);
      auto e4 = mc::encoded_size(*r, v.version);
      // A plain byte range: where a 3.x PUBLISH takes encode's fast path.
      auto e5 = mc::encode(*r, v.version, mc::mutable_bytes_view(header));
      encoded = e1 && e5 && *e5 == span.size();
      gathered = e2 && gather.size() == span.size();
      sized = e3 && e4 && size.size == span.size();
      span_n = span.size();
      size_n = size.size;
    }
    const std::size_t after = test::allocation_count();
    INFO(v.name << ": " << test::to_hex(b));
    CHECK(after == before);
    CHECK(walked < (std::size_t{1} << 30));
    if (r && std::holds_alternative<mc::publish>(*r)) {
      CHECK(head.status == mc::frame_status::complete);
      CHECK(head_encoded);
    }
    if (r) {
      CHECK(encoded);
      CHECK(gathered);
      CHECK(sized);
      CHECK(span_n == size_n);
      CHECK(as_ok);
      CHECK(f.status == mc::frame_status::complete);
      ++checked;
    }
  }
  CHECK(checked > 500);
}

TEST_CASE("mutated vectors never crash and fail inside the packet", "[robustness][mutation]") {
  test::guarded_buffer guard;
  const bool guarded = guard.ok();
  if (!guarded) WARN("mmap/mprotect unavailable: mutations run without the guard page");
  std::size_t runs = 0;
  auto run = [&](const test::byte_vector& m, protocol_version ver, const std::string& what) {
    const mc::bytes_view b = guarded ? guard.place(m) : mc::bytes_view(m);
    decode_and_check(b, ver, what);
    const mc::frame f = frame_in(b, ver);
    if (f.status == mc::frame_status::complete && f.size > b.size()) {
      FAIL_CHECK(what << ": frame larger than its input");
    }
    ++runs;
  };
  for (const test::any_vector& v : test::all_vectors()) {
    const test::byte_vector& b = *v.bytes;
    // Every single-bit flip, and a few byte values at every position.
    test::byte_vector m = b;
    for (std::size_t i = 0; i < b.size(); ++i) {
      for (unsigned bit = 0; bit < 8; ++bit) {
        m[i] = static_cast<std::uint8_t>(b[i] ^ (1u << bit));
        run(m, v.version, v.name + " flip");
      }
      for (const std::uint8_t x :
           {std::uint8_t{0x00}, std::uint8_t{0x7F}, std::uint8_t{0x80}, std::uint8_t{0xFF}}) {
        m[i] = x;
        run(m, v.version, v.name + " set");
      }
      m[i] = b[i];
    }
    // Truncated bodies re-framed with a matching remaining length, so the packet is complete
    // but its fields are cut.
    const mc::frame whole = frame_in(b, v.version);
    if (whole.status != mc::frame_status::complete) continue;
    for (std::size_t body = 0; body < whole.remaining_length; ++body) {
      test::byte_vector t;
      t.push_back(b[0]);
      std::array<std::uint8_t, 4> len{};
      mc::detail::writer w{len.data()};
      w.varint(static_cast<std::uint32_t>(body));
      t.insert(t.end(), len.data(), w.p);
      t.insert(t.end(), b.begin() + whole.header_size,
               b.begin() + whole.header_size + static_cast<std::ptrdiff_t>(body));
      run(t, v.version, v.name + " cut");
    }
  }
  CHECK(runs > 100000);
}

TEST_CASE("lists whose sizes add up past 4 GiB are refused, not wrapped", "[robustness][encode]") {
  // Every element views the same 64 KiB string, so each adds about 64 or 128 KiB to the
  // packet while taking a few bytes of memory. Where size_t has 32 bits the sum wrapped to a
  // small size (229,389 bytes for the user properties below), and encode wrote 4 GiB into a
  // buffer of 256 KiB (a segmentation fault on 32-bit PowerPC before add_size). The encoder
  // now stops at the element that passes the largest Remaining Length, so each case checks
  // 256 MiB of strings rather than 4 GiB (the test case after this one).
  const std::string big(mc::max_field_size, 'a');
  std::vector<std::uint8_t> buffer(std::size_t{256} * 1024, 0);
  const mc::mutable_bytes_view out(buffer.data(), buffer.size());
  auto refused = [&](const auto& packet, protocol_version v) {
    const auto r = mc::encode(packet, v, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mc::errc::packet_too_large);
    CHECK(buffer[0] == 0);  // nothing written
  };

  SECTION("User Properties") {
    // 32,769 pairs of 1 + 2 + 65,535 + 2 + 65,535 bytes: 4,295,196,675 bytes.
    const std::vector<mc::string_pair> pairs(32'769, mc::string_pair{big, big});
    mc::publish p;
    p.topic = "t";
    p.props.user_properties = pairs;
    const auto size = mc::encoded_size(p, protocol_version::v5);
    REQUIRE_FALSE(size);
    CHECK(size.error().code == mc::errc::packet_too_large);
    refused(p, protocol_version::v5);
  }
  SECTION("SUBSCRIBE topic filters") {
    // 65,537 subscriptions of 2 + 65,535 + 1 bytes: 4,295,163,906 bytes.
    const std::string filter(mc::max_field_size, 'f');
    const std::vector<mc::subscription> subs(65'537, mc::subscription{filter, {}});
    mc::subscribe s;
    s.packet_id = 1;
    s.subscriptions = subs;
    refused(s, protocol_version::v311);
  }
  SECTION("UNSUBSCRIBE topic filters") {
    const std::string filter(mc::max_field_size, 'f');
    const std::vector<std::string_view> filters(65'537, filter);
    mc::unsubscribe u;
    u.packet_id = 1;
    u.topic_filters = filters;
    refused(u, protocol_version::v311);
  }
}

TEST_CASE("a list is checked up to the element that makes the packet too large",
          "[robustness][encode]") {
  // past_largest_packet: once the sizes so far pass max_varint the packet is refused, so a
  // list's later elements are not checked. An invalid element before that point is reported,
  // one after it is not. 2,048 pairs of 131,075 bytes are 268,441,600 bytes, past max_varint
  // (268,435,455); 2,047 are not.
  const std::string big(mc::max_field_size, 'a');
  const std::string bad_utf8 = "\xC0\xAF";  // an overlong '/'
  std::vector<mc::string_pair> pairs(2'100, mc::string_pair{big, big});
  mc::publish p;
  p.topic = "t";
  auto error_of = [&] {
    p.props.user_properties = pairs;
    const auto size = mc::encoded_size(p, protocol_version::v5);
    REQUIRE_FALSE(size);
    return size.error();
  };
  SECTION("an invalid pair after the one that passes the limit is not reached") {
    pairs[2'048].value = bad_utf8;
    CHECK(error_of().code == mc::errc::packet_too_large);
  }
  SECTION("an invalid pair before it is") {
    pairs[2'047].value = bad_utf8;  // the 2,048th: checked before its size is added
    const mc::error e = error_of();
    CHECK(e.code == mc::errc::invalid_utf8);
    CHECK(e.value == 0x26);  // the User Property
  }
  SECTION("what the packet holds after the list is still checked") {
    // A Subscription Identifier of 0 comes after the User Properties in publish_properties.
    const std::uint32_t zero = 0;
    p.props.subscription_identifiers = mc::subscription_identifier_list(&zero, 1);
    const mc::error e = error_of();
    CHECK(e.code == mc::errc::invalid_property_value);
    CHECK(e.value == 0x0B);
  }
  SECTION("SUBSCRIBE and UNSUBSCRIBE topic filters") {
    // 4,097 filters of 65,535 bytes pass the limit (2 + 65,535 + 1 each after the packet id).
    const std::string filter(mc::max_field_size, 'f');
    std::vector<mc::subscription> subs(4'200, mc::subscription{filter, {}});
    std::vector<std::string_view> filters(4'200, filter);
    subs.back().topic_filter = "a/#/b";
    filters.back() = "a/#/b";
    mc::subscribe s;
    s.packet_id = 1;
    s.subscriptions = subs;
    mc::unsubscribe u;
    u.packet_id = 1;
    u.topic_filters = filters;
    const auto ss_large = mc::encoded_size(s, protocol_version::v311);
    REQUIRE_FALSE(ss_large);
    CHECK(ss_large.error().code == mc::errc::packet_too_large);
    const auto us_large = mc::encoded_size(u, protocol_version::v5);
    REQUIRE_FALSE(us_large);
    CHECK(us_large.error().code == mc::errc::packet_too_large);
    subs[10].topic_filter = "a/#/b";
    filters[10] = "a/#/b";
    const auto ss = mc::encoded_size(s, protocol_version::v311);
    REQUIRE_FALSE(ss);
    CHECK(ss.error().code == mc::errc::invalid_topic_filter);
    const auto us = mc::encoded_size(u, protocol_version::v311);
    REQUIRE_FALSE(us);
    CHECK(us.error().code == mc::errc::invalid_topic_filter);
  }
}

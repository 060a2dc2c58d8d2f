// Decode and encode of every packet type of 3.1.1 and 5.0, each beside its baseline in the
// same binary, on the bytes of bench-workloads.md (W1, W2, W4, W4-311) and on small typical
// packets written by hand from the specs (bench_data.hpp).
//
// Benchmark names are <case>/<decode|encode>/<contender>; each group has one baseline_*
// contender, and scripts/bench.sh prints every other contender as a ratio to it.
//   decode/mqttcodec_as          decode_as<P, V>: compile-time version, no variant
//   decode/mqttcodec_as_runtime  decode_as<P>(bytes, v): version known at run time
//   decode/mqttcodec_variant     decode(bytes, v): runtime version, std::variant result
//   decode/mqttcodec_head        decode_publish_head(bytes, v) of the whole packet (PUBLISH)
//   decode/baseline_walk         an unchecked walk of the same fields (no validation at all):
//                                fixed header, varint, each length and pointer, integers,
//                                every property (switch on its type), user property pairs
//   encode/mqttcodec             encode(p, v, buffer): runtime version, into a caller buffer
//   encode/mqttcodec_ct          encode<V>(p, buffer)
//   encode/baseline_memcpy       memcpy of the packet's bytes (length not known at compile
//                                time, as for a forwarder copying a packet it holds)
// Every decode contender also reads what it decoded: the user property pairs of a 5.0 packet
// (summing their lengths) and SUBSCRIBE / UNSUBSCRIBE entries, which the library hands out as
// lazy views.
// Setup checks each vector against the decoder, the fields against the decoded packet, the
// encoder's output against the vector (memcmp) and the walk's end against the vector's size.
// Counter `allocs`: allocations made inside the timed loop (must be 0).
// clock/1000_dependent_adds/baseline_chain measures the core's clock (counter `Gcycles`), to
// turn instruction counts into cycles.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "bench_data.hpp"
#include "bench_state.hpp"
#include "mqttcodec/mqttcodec.hpp"

namespace mc = mqttcodec;
using bench::alloc_probe;
using bench::set_rates;
using mc::packet_type;
using mc::protocol_version;

namespace {

// ---- baseline: the unchecked field walk ------------------------------------------------------

inline std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
inline const std::uint8_t* walk_varint(const std::uint8_t* p, std::uint32_t& v) {
  v = 0;
  unsigned shift = 0;
  std::uint8_t b;
  do {
    b = *p++;
    v |= std::uint32_t{static_cast<std::uint8_t>(b & 0x7Fu)} << shift;
    shift += 7;
  } while (b & 0x80u);
  return p;
}

// What a walk keeps: the last four strings / binaries as pointer and length, the integers
// folded together, and the summed lengths of the user property pairs.
struct walk_fields {
  const std::uint8_t* ptr[4] = {};
  std::size_t len[4] = {};
  unsigned n = 0;
  std::uint32_t ints = 0;
  std::size_t user = 0;

  void num(std::uint32_t v) { ints = ints * 31u + v; }
  void bytes(const std::uint8_t* p, std::size_t size) {
    ptr[n & 3u] = p;
    len[n & 3u] = size;
    ++n;
  }
  const std::uint8_t* str(const std::uint8_t* p) {
    const std::size_t size = be16(p);
    bytes(p + 2, size);
    return p + 2 + size;
  }
};

// A 5.0 property block: the Property Length, then each identifier and a switch on its type.
const std::uint8_t* walk_properties(const std::uint8_t* p, walk_fields& f) {
  std::uint32_t len;
  p = walk_varint(p, len);
  const std::uint8_t* const end = p + len;
  while (p < end) {
    const std::uint8_t id = *p++;
    switch (id) {
      case 0x01:
      case 0x17:
      case 0x19:
      case 0x24:
      case 0x25:
      case 0x28:
      case 0x29:
      case 0x2A: f.num(*p++); break;
      case 0x13:
      case 0x21:
      case 0x22:
      case 0x23:
        f.num(be16(p));
        p += 2;
        break;
      case 0x02:
      case 0x11:
      case 0x18:
      case 0x27:
        f.num(be32(p));
        p += 4;
        break;
      case 0x0B: {
        std::uint32_t v;
        p = walk_varint(p, v);
        f.num(v);
        break;
      }
      case 0x03:
      case 0x08:
      case 0x09:
      case 0x12:
      case 0x15:
      case 0x16:
      case 0x1A:
      case 0x1C:
      case 0x1F: p = f.str(p); break;
      case 0x26: {
        const std::size_t name = be16(p);
        const std::size_t value = be16(p + 2 + name);
        f.user += name + value;
        p += 4 + name + value;
        break;
      }
      default: return end;  // not a property; an unchecked walk just stops
    }
  }
  return p;
}

template <packet_type T, bool V5>
const std::uint8_t* walk(const std::uint8_t* p, walk_fields& f) {
  const std::uint8_t b0 = *p++;
  f.num(b0);
  std::uint32_t rl;
  p = walk_varint(p, rl);
  const std::uint8_t* const end = p + rl;
  if constexpr (T == packet_type::connect) {
    p = f.str(p);  // protocol name
    const std::uint8_t flags = p[1];
    f.num(p[0]);
    f.num(flags);
    f.num(be16(p + 2));
    p += 4;
    if constexpr (V5) p = walk_properties(p, f);
    p = f.str(p);  // client id
    if (flags & 0x04u) {
      if constexpr (V5) p = walk_properties(p, f);
      p = f.str(p);  // will topic
      p = f.str(p);  // will payload
    }
    if (flags & 0x80u) p = f.str(p);
    if (flags & 0x40u) p = f.str(p);
  } else if constexpr (T == packet_type::connack) {
    f.num(p[0]);
    f.num(p[1]);
    p += 2;
    if constexpr (V5) p = walk_properties(p, f);
  } else if constexpr (T == packet_type::publish) {
    p = f.str(p);
    if (b0 & 0x06u) {
      f.num(be16(p));
      p += 2;
    }
    if constexpr (V5) p = walk_properties(p, f);
    f.bytes(p, static_cast<std::size_t>(end - p));
    p = end;
  } else if constexpr (T == packet_type::puback || T == packet_type::pubrec ||
                       T == packet_type::pubrel || T == packet_type::pubcomp) {
    f.num(be16(p));
    p += 2;
    if constexpr (V5) {
      if (p != end) {
        f.num(*p++);
        if (p != end) p = walk_properties(p, f);
      }
    }
  } else if constexpr (T == packet_type::subscribe || T == packet_type::unsubscribe) {
    f.num(be16(p));
    p += 2;
    if constexpr (V5) p = walk_properties(p, f);
    while (p < end) {
      p = f.str(p);
      if constexpr (T == packet_type::subscribe) f.num(*p++);
    }
  } else if constexpr (T == packet_type::suback || T == packet_type::unsuback) {
    f.num(be16(p));
    p += 2;
    if (V5 || T == packet_type::suback) {
      if constexpr (V5) p = walk_properties(p, f);
      f.bytes(p, static_cast<std::size_t>(end - p));
      p = end;
    }
  } else if constexpr (T == packet_type::disconnect || T == packet_type::auth) {
    if constexpr (V5) {
      if (p != end) {
        f.num(*p++);
        if (p != end) p = walk_properties(p, f);
      }
    }
  }
  return p;  // pingreq, pingresp: nothing after the fixed header
}

// ---- what every decode contender reads from its result ---------------------------------------

template <class T, class = void>
struct has_props : std::false_type {};
template <class T>
struct has_props<T, std::void_t<decltype(std::declval<const T&>().props)>> : std::true_type {};

// 3.x packets carry no properties (the decoder refuses them), and the 3.x walk reads none, so
// only a 5.0 contender walks its user properties.
template <protocol_version V, class P>
std::size_t consume(const P& p) {
  std::size_t n = 0;
  if constexpr (has_props<P>::value && V == protocol_version::v5) {
    for (const mc::string_pair& u : p.props.user_properties) n += u.name.size() + u.value.size();
  }
  if constexpr (std::is_same_v<P, mc::subscribe>) {
    for (const mc::subscription& s : p.subscriptions) {
      n += s.topic_filter.size() + static_cast<unsigned>(s.options.max_qos);
    }
  }
  if constexpr (std::is_same_v<P, mc::unsubscribe>) {
    for (const std::string_view f : p.topic_filters) n += f.size();
  }
  return n;
}

// ---- one case: a packet's bytes and the fields that encode to them ---------------------------

template <class P>
struct codec_case {
  bench::byte_vector bytes;
  P fields;
};

template <class P, protocol_version V>
void add_case(const std::string& name, bench::byte_vector bytes, const P& fields) {
  constexpr bool v5 = V == protocol_version::v5;
  auto c = std::make_shared<const codec_case<P>>(codec_case<P>{std::move(bytes), fields});
  const bench::byte_vector& b = c->bytes;
  const std::string what = name + ": setup check";
  bench::check_remaining_length(b, what.c_str());
  {
    auto r = mc::decode_as<P>(b, V);
    if (!r)
      std::fprintf(stderr, "%s: %s at %u\n", name.c_str(), mc::name(r.error().code),
                   static_cast<unsigned>(r.error().offset));
    bench::require(r.has_value() && *r == c->fields, what.c_str());
    auto any = mc::decode(b, V);
    bench::require(any.has_value() && std::holds_alternative<P>(*any), what.c_str());
    auto ct = mc::decode_as<P, V>(b);
    bench::require(ct.has_value() && *ct == c->fields, what.c_str());
    std::array<std::uint8_t, 512> out{};
    auto n = mc::encode(c->fields, V, out);
    bench::require(n.has_value() && *n == b.size() && std::memcmp(out.data(), b.data(), *n) == 0,
                   what.c_str());
    walk_fields f;
    bench::require(walk<P::type, v5>(b.data(), f) == b.data() + b.size(), what.c_str());
    bench::require(f.user == consume<V>(*r) || std::is_same_v<P, mc::subscribe> ||
                       std::is_same_v<P, mc::unsubscribe>,
                   what.c_str());
  }

  benchmark::RegisterBenchmark((name + "/decode/mqttcodec_as").c_str(), [c](benchmark::State& st) {
    const mc::bytes_view in(c->bytes);
    alloc_probe a;
    for (auto _ : st) {
      auto r = mc::decode_as<P, V>(in);
      if (MQTTCODEC_UNLIKELY(!r)) {
        st.SkipWithError("decode failed");
        break;
      }
      std::size_t n = consume<V>(*r);
      benchmark::DoNotOptimize(r);
      benchmark::DoNotOptimize(n);
    }
    a.report(st);
    set_rates(st, in.size());
  });
  benchmark::RegisterBenchmark((name + "/decode/mqttcodec_as_runtime").c_str(),
                               [c](benchmark::State& st) {
                                 protocol_version v = V;
                                 benchmark::DoNotOptimize(v);  // a version learnt at run time
                                 const mc::bytes_view in(c->bytes);
                                 alloc_probe a;
                                 for (auto _ : st) {
                                   auto r = mc::decode_as<P>(in, v);
                                   if (MQTTCODEC_UNLIKELY(!r)) {
                                     st.SkipWithError("decode failed");
                                     break;
                                   }
                                   std::size_t n = consume<V>(*r);
                                   benchmark::DoNotOptimize(r);
                                   benchmark::DoNotOptimize(n);
                                 }
                                 a.report(st);
                                 set_rates(st, in.size());
                               });
  benchmark::RegisterBenchmark((name + "/decode/mqttcodec_variant").c_str(),
                               [c](benchmark::State& st) {
                                 protocol_version v = V;
                                 benchmark::DoNotOptimize(v);
                                 const mc::bytes_view in(c->bytes);
                                 alloc_probe a;
                                 for (auto _ : st) {
                                   auto r = mc::decode(in, v);
                                   const P* p = r ? std::get_if<P>(&*r) : nullptr;
                                   if (MQTTCODEC_UNLIKELY(p == nullptr)) {
                                     st.SkipWithError("decode failed");
                                     break;
                                   }
                                   std::size_t n = consume<V>(*p);
                                   benchmark::DoNotOptimize(r);
                                   benchmark::DoNotOptimize(n);
                                 }
                                 a.report(st);
                                 set_rates(st, in.size());
                               });
  if constexpr (std::is_same_v<P, mc::publish>) {
    // decode_publish_head of the whole packet: the head decoded for streaming, beside the
    // decoders above on the same bytes.
    benchmark::RegisterBenchmark(
        (name + "/decode/mqttcodec_head").c_str(), [c](benchmark::State& st) {
          protocol_version v = V;
          benchmark::DoNotOptimize(v);
          const mc::bytes_view in(c->bytes);
          alloc_probe a;
          for (auto _ : st) {
            const mc::publish_head h = mc::decode_publish_head(in, v);
            if (MQTTCODEC_UNLIKELY(h.status != mc::frame_status::complete)) {
              st.SkipWithError("decode_publish_head failed");
              break;
            }
            std::size_t n = consume<V>(h.packet);
            benchmark::DoNotOptimize(h);
            benchmark::DoNotOptimize(n);
          }
          a.report(st);
          set_rates(st, in.size());
        });
  }
  benchmark::RegisterBenchmark((name + "/decode/baseline_walk").c_str(), [c](benchmark::State& st) {
    const mc::bytes_view in(c->bytes);
    alloc_probe a;
    for (auto _ : st) {
      walk_fields f;
      const std::uint8_t* end = walk<P::type, v5>(in.data(), f);
      benchmark::DoNotOptimize(f);
      benchmark::DoNotOptimize(end);
    }
    a.report(st);
    set_rates(st, in.size());
  });

  benchmark::RegisterBenchmark((name + "/encode/mqttcodec").c_str(), [c](benchmark::State& st) {
    protocol_version v = V;
    benchmark::DoNotOptimize(v);
    P p = c->fields;
    benchmark::DoNotOptimize(p);  // the fields are not compile-time constants
    std::array<std::uint8_t, 512> buf{};
    alloc_probe a;
    for (auto _ : st) {
      auto n = mc::encode(p, v, mc::mutable_bytes_view(buf.data(), buf.size()));
      benchmark::DoNotOptimize(n);
      benchmark::ClobberMemory();
    }
    a.report(st);
    set_rates(st, c->bytes.size());
  });
  benchmark::RegisterBenchmark((name + "/encode/mqttcodec_ct").c_str(), [c](benchmark::State& st) {
    P p = c->fields;
    benchmark::DoNotOptimize(p);
    std::array<std::uint8_t, 512> buf{};
    alloc_probe a;
    for (auto _ : st) {
      auto n = mc::encode<V>(p, mc::mutable_bytes_view(buf.data(), buf.size()));
      benchmark::DoNotOptimize(n);
      benchmark::ClobberMemory();
    }
    a.report(st);
    set_rates(st, c->bytes.size());
  });
  benchmark::RegisterBenchmark((name + "/encode/baseline_memcpy").c_str(),
                               [c](benchmark::State& st) {
                                 const bench::byte_vector& src = c->bytes;
                                 std::array<std::uint8_t, 512> buf{};
                                 alloc_probe a;
                                 for (auto _ : st) {
                                   std::memcpy(buf.data(), src.data(), src.size());
                                   benchmark::DoNotOptimize(buf.data());
                                   benchmark::ClobberMemory();
                                 }
                                 a.report(st);
                                 set_rates(st, src.size());
                               });
}

// ---- the fields of every case ----------------------------------------------------------------

const mc::string_pair w2_user_properties[] = {{"unit", "celsius"}, {"source", "sensor-42"}};
const mc::string_pair w4_user_properties[] = {{"client-type", "sensor-gw"},
                                              {"region", "eu-west-1"}};
const std::uint8_t auth_data[] = {1, 2, 3, 4};
const std::uint8_t suback_codes[] = {0x01, 0x00};
const std::uint8_t unsuback_codes[] = {0x00};

mc::publish w1_fields() {
  mc::publish p;
  p.topic = bench::topic;
  p.payload = mc::as_bytes(bench::payload);
  p.qos = mc::qos::at_least_once;
  p.packet_id = bench::packet_id;
  return p;
}

mc::publish w2_fields() {
  mc::publish p = w1_fields();
  p.props.message_expiry_interval = 3600;
  p.props.content_type = "application/json";
  p.props.user_properties = w2_user_properties;
  return p;
}

mc::connect w4_fields(protocol_version v) {
  mc::connect c;
  c.version = v;
  c.client_id = bench::w4_client_id;
  c.clean_start = true;
  c.keep_alive = 60;
  mc::will_message& w = c.will.emplace();
  w.topic = bench::w4_will_topic;
  w.payload = mc::as_bytes(bench::w4_will_payload);
  w.qos = mc::qos::at_least_once;
  c.username = bench::w4_username;
  c.password = mc::as_bytes(bench::w4_password);
  if (v == protocol_version::v5) {
    c.props.session_expiry_interval = 3600;
    c.props.user_properties = w4_user_properties;
    w.props.will_delay_interval = 30;
    w.props.payload_format_indicator = mc::payload_format::utf8;
  }
  return c;
}

template <class P>
P with_id(std::uint16_t id) {
  P p;
  p.packet_id = id;
  return p;
}

template <protocol_version V>
void add_version_cases(const char* prefix) {
  constexpr bool v5 = V == protocol_version::v5;
  const std::string pre = prefix;

  mc::connack connack;
  if constexpr (v5) {
    connack.props.receive_maximum = 20;
    connack.props.maximum_qos = mc::qos::at_least_once;
    connack.props.maximum_packet_size = 1048576;
    connack.props.topic_alias_maximum = 10;
  } else {
    connack.session_present = true;
  }
  add_case<mc::connack, V>(pre + "_connack", v5 ? bench::v5_connack() : bench::v311_connack(),
                           connack);

  auto puback = with_id<mc::puback>(bench::packet_id);
  if constexpr (v5) puback.reason_code = mc::reason_code::no_matching_subscribers;
  add_case<mc::puback, V>(pre + "_puback", v5 ? bench::v5_puback() : bench::v311_puback(), puback);
  add_case<mc::pubrec, V>(pre + "_pubrec", v5 ? bench::v5_pubrec() : bench::v311_pubrec(),
                          with_id<mc::pubrec>(bench::packet_id));
  add_case<mc::pubrel, V>(pre + "_pubrel", v5 ? bench::v5_pubrel() : bench::v311_pubrel(),
                          with_id<mc::pubrel>(bench::packet_id));
  add_case<mc::pubcomp, V>(pre + "_pubcomp", v5 ? bench::v5_pubcomp() : bench::v311_pubcomp(),
                           with_id<mc::pubcomp>(bench::packet_id));

  static mc::subscription subs[2];
  subs[0].topic_filter = bench::filter_a;
  subs[0].options.max_qos = mc::qos::at_least_once;
  subs[1].topic_filter = bench::filter_b;
  if constexpr (v5) {
    subs[0].options.retain_as_published = true;
    subs[1].options.retain = mc::retain_handling::do_not_send;
  }
  auto subscribe = with_id<mc::subscribe>(0x1235);
  subscribe.subscriptions = subs;
  if constexpr (v5) subscribe.props.subscription_identifier = 7;
  add_case<mc::subscribe, V>(pre + "_subscribe",
                             v5 ? bench::v5_subscribe() : bench::v311_subscribe(), subscribe);

  auto suback = with_id<mc::suback>(0x1235);
  suback.reason_codes = mc::bytes_view(suback_codes, sizeof suback_codes);
  add_case<mc::suback, V>(pre + "_suback", v5 ? bench::v5_suback() : bench::v311_suback(), suback);

  static const std::string_view filters[] = {bench::filter_a};
  auto unsubscribe = with_id<mc::unsubscribe>(0x1236);
  unsubscribe.topic_filters = filters;
  add_case<mc::unsubscribe, V>(
      pre + "_unsubscribe", v5 ? bench::v5_unsubscribe() : bench::v311_unsubscribe(), unsubscribe);

  auto unsuback = with_id<mc::unsuback>(0x1236);
  if constexpr (v5) unsuback.reason_codes = mc::bytes_view(unsuback_codes, sizeof unsuback_codes);
  add_case<mc::unsuback, V>(pre + "_unsuback", v5 ? bench::v5_unsuback() : bench::v311_unsuback(),
                            unsuback);

  add_case<mc::pingreq, V>(pre + "_pingreq", v5 ? bench::v5_pingreq() : bench::v311_pingreq(),
                           mc::pingreq{});
  add_case<mc::pingresp, V>(pre + "_pingresp", v5 ? bench::v5_pingresp() : bench::v311_pingresp(),
                            mc::pingresp{});

  mc::disconnect disconnect;
  if constexpr (v5) {
    disconnect.reason_code = mc::reason_code::server_shutting_down;
    disconnect.props.reason_string = bench::v5_disconnect_reason;
  }
  add_case<mc::disconnect, V>(pre + "_disconnect",
                              v5 ? bench::v5_disconnect() : bench::v311_disconnect(), disconnect);

  if constexpr (v5) {
    mc::auth auth;
    auth.reason_code = mc::reason_code::continue_authentication;
    auth.props.authentication_method = bench::v5_auth_method;
    auth.props.authentication_data = mc::bytes_view(auth_data, sizeof auth_data);
    add_case<mc::auth, V>(pre + "_auth", bench::v5_auth(), auth);
  }
}

// ---- the core's clock ------------------------------------------------------------------------

// 1,000 dependent additions take 1,000 cycles on any out-of-order core, so their time is the
// clock the other benchmarks ran at (Google Benchmark's "MHz" is the nominal figure of
// /proc/cpuinfo, not the boost clock). Instructions per cycle of a contender are then its
// instructions (scripts/instructions.sh) over its ns times these GHz. Registered only where
// the chain can be written in assembly, so that no compiler folds it.
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
#if defined(__x86_64__)
#define MQTTCODEC_BENCH_ADD1 "add $1, %0\n\t"
#else
#define MQTTCODEC_BENCH_ADD1 "add %0, %0, #1\n\t"
#endif
#define MQTTCODEC_BENCH_ADD10                                                             \
  MQTTCODEC_BENCH_ADD1 MQTTCODEC_BENCH_ADD1 MQTTCODEC_BENCH_ADD1 MQTTCODEC_BENCH_ADD1     \
      MQTTCODEC_BENCH_ADD1 MQTTCODEC_BENCH_ADD1 MQTTCODEC_BENCH_ADD1 MQTTCODEC_BENCH_ADD1 \
          MQTTCODEC_BENCH_ADD1 MQTTCODEC_BENCH_ADD1
void register_clock() {
  benchmark::RegisterBenchmark(
      "clock/1000_dependent_adds/baseline_chain", [](benchmark::State& st) {
        std::uint64_t x = 0;
        for (auto _ : st) {
          for (int i = 0; i < 100; ++i) {
            asm volatile(MQTTCODEC_BENCH_ADD10 : "+r"(x));
          }
        }
        benchmark::DoNotOptimize(x);
        // 1,000 cycles an iteration: 1e-6 × iterations per second of CPU time, the clock in GHz.
        st.counters["Gcycles"] = benchmark::Counter(1e-6 * static_cast<double>(st.iterations()),
                                                    benchmark::Counter::kIsRate);
      });
}
#else
void register_clock() {}
#endif

void register_all() {
  const bench::byte_vector w1 = bench::from_hex(bench::w1_hex);
  const bench::byte_vector w2 = bench::from_hex(bench::w2_hex);
  const bench::byte_vector w4 = bench::from_hex(bench::w4_hex);
  const bench::byte_vector w4_311 = bench::from_hex(bench::w4_311_hex);
  bench::require(w1.size() == 116 && w2.size() == 178 && w4.size() == 157 && w4_311.size() == 97,
                 "workload sizes as in bench-workloads.md");

  add_case<mc::publish, protocol_version::v311>("W1_v311_publish", w1, w1_fields());
  add_case<mc::connect, protocol_version::v311>("W4-311_v311_connect", w4_311,
                                                w4_fields(protocol_version::v311));
  add_version_cases<protocol_version::v311>("v311");
  add_case<mc::publish, protocol_version::v5>("W2_v5_publish", w2, w2_fields());
  add_case<mc::connect, protocol_version::v5>("W4_v5_connect", w4, w4_fields(protocol_version::v5));
  add_version_cases<protocol_version::v5>("v5");
  register_clock();
}

}  // namespace

int main(int argc, char** argv) {
  return bench::run_main(argc, argv, register_all);
}

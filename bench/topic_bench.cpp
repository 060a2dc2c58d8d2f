// Benchmarks of topic.hpp and topic_index.hpp on workloads W6 and W7 of bench-workloads.md,
// each beside a baseline in the same binary:
//   W6/match/f<i>/...      one filter against 1,000 topics: topic_matches vs a plain
//                          unvalidated single-pass matcher (and mosquitto when found)
//   W6/validate_name/...   validate_topic_name vs the UTF-8 walk alone (check_utf8)
//   W7/index_match/...     the probe topic against 100,004 filters: topic_index vs a
//                          brute-force loop over topic_matches (median of repetitions)
//   W7/index_insert|erase  building and emptying the index vs std::unordered_multimap
// At the end a table prints every contender as a ratio to its group's `baseline_*` contender.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mqttcodec/topic.hpp"
#include "mqttcodec/topic_index.hpp"

#if defined(MQTTCODEC_HAVE_MOSQUITTO)
#include <mosquitto.h>
#endif

namespace mc = mqttcodec;

namespace {

constexpr std::string_view w1_topic = "sensors/building-7/floor-3/room-42/temperature";

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "workload check failed: %s\n", what);
    std::abort();
  }
}

// ---- baseline: the plain matcher every broker starts with -----------------------------------

// Single pass, no validation, '$' rule included so it gives the same answers.
bool plain_match(std::string_view filter, std::string_view topic) {
  std::size_t f = 0;
  std::size_t t = 0;
  const std::size_t fn = filter.size();
  const std::size_t tn = topic.size();
  if (tn > 0 && topic[0] == '$' && fn > 0 && (filter[0] == '+' || filter[0] == '#')) return false;
  while (f < fn) {
    const char c = filter[f];
    if (c == '#') return true;
    if (c == '+') {
      while (t < tn && topic[t] != '/') ++t;
      ++f;
    } else if (c == '/') {
      if (t == tn) return filter.substr(f) == "/#";
      if (topic[t] != '/') return false;
      ++f;
      ++t;
    } else {
      if (t == tn || topic[t] != c) return false;
      ++f;
      ++t;
    }
  }
  return t == tn;
}

// ---- W6: 1,000 topics -----------------------------------------------------------------------

const char* const w6_filters[] = {
    "sensors/+/floor-3/#",
    "sensors/building-7/floor-3/room-42/temperature",
    "#",
    "$SYS/#",
    "+/+/+/+/humidity",
    "home/+/light/set",
};
constexpr std::size_t w6_expected[] = {118, 65, 926, 74, 111, 22};

// Category sizes are fixed quotas (7.4 % $SYS, 5 % W1, 50 % sensors, 13 % home, 14 % devices,
// 10.6 % factory) and so are the few attributes the six filters look at (15 random sensor
// topics equal to W1, 53 more on floor-3, 95 + 16 humidity readings, 22 light/set); all other
// attributes are drawn from a seeded generator, and the list is shuffled with it.
std::vector<std::string> make_w6_topics() {
  std::mt19937 rng(20240606);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* const kinds[] = {"temperature", "pressure", "co2", "illuminance"};  // + humidity
  std::vector<std::string> out;
  const char* const sys[] = {"uptime", "clients/connected", "messages/received",
                             "load/bytes/sent/1min", "version"};
  for (int i = 0; i < 74; ++i) out.push_back(std::string("$SYS/broker/") + sys[pick(0, 4)]);
  for (int i = 0; i < 50; ++i) out.emplace_back(w1_topic);
  // 500 sensor topics: 15 that happen to be W1, 53 other floor-3 ones, 432 on other floors;
  // 95 of the 485 non-W1 ones are humidity readings.
  std::vector<bool> humid(485, false);
  std::fill(humid.begin(), humid.begin() + 95, true);
  std::shuffle(humid.begin(), humid.end(), rng);
  for (int i = 0; i < 15; ++i) out.emplace_back(w1_topic);
  for (int i = 0; i < 485; ++i) {
    int floor = i < 53 ? 3 : pick(1, 8);
    if (i >= 53 && floor >= 3) ++floor;  // 1..9 without 3
    const int building = pick(1, 12);
    int room = pick(1, 60);
    const char* kind = humid[static_cast<std::size_t>(i)] ? "humidity" : kinds[pick(0, 3)];
    if (floor == 3 && building == 7 && room == 42 && std::string_view(kind) == "temperature") {
      ++room;  // only the 15 above may equal W1
    }
    out.push_back("sensors/building-" + std::to_string(building) + "/floor-" +
                  std::to_string(floor) + "/room-" + std::to_string(room) + "/" + kind);
  }
  const char* const rooms[] = {"kitchen", "living", "bedroom", "bath", "garage", "office"};
  const char* const devices[] = {"light", "heater", "blind", "plug", "fan"};
  for (int i = 0; i < 130; ++i) {
    const char* device = i < 22 ? "light" : devices[pick(0, 4)];
    const char* leaf = i < 22 ? "set" : (pick(0, 1) ? "state" : "set");
    if (i >= 22 && std::string_view(device) == "light") leaf = "state";
    out.push_back(std::string("home/") + rooms[pick(0, 5)] + "/" + device + "/" + leaf);
  }
  const char* const device_tails[] = {"status", "telemetry/battery", "telemetry/rssi",
                                      "config/set"};
  for (int i = 0; i < 140; ++i) {
    char hex[13];
    for (int k = 0; k < 12; ++k) hex[k] = "0123456789abcdef"[pick(0, 15)];
    hex[12] = 0;
    out.push_back(std::string("devices/") + hex + "/" + device_tails[pick(0, 3)]);
  }
  const char* const metrics[] = {"rpm", "temperature", "vibration", "load"};
  for (int i = 0; i < 106; ++i) {
    out.push_back("factory/line-" + std::to_string(pick(1, 6)) + "/machine-" +
                  std::to_string(pick(1, 30)) + "/spindle/" +
                  (i < 16 ? "humidity" : metrics[pick(0, 3)]));
  }
  std::shuffle(out.begin(), out.end(), rng);
  require(out.size() == 1000, "W6 has 1,000 topics");
  for (std::size_t f = 0; f < 6; ++f) {
    std::size_t n = 0;
    std::size_t plain = 0;
    for (const auto& t : out) {
      require(mc::is_valid_topic_name(t), "W6 topics are valid names");
      n += mc::topic_matches(w6_filters[f], t) ? 1u : 0u;
      plain += plain_match(w6_filters[f], t) ? 1u : 0u;
    }
    if (n != w6_expected[f] || plain != n) {
      std::fprintf(stderr, "W6 filter %zu matches %zu (plain %zu), table says %zu\n", f, n, plain,
                   w6_expected[f]);
      std::abort();
    }
  }
  return out;
}

const std::vector<std::string>& w6_topics() {
  static const std::vector<std::string> topics = make_w6_topics();
  return topics;
}

// ---- W7: 100,004 filters --------------------------------------------------------------------

// 99,997 generated filters in the workload's proportions, none of which matches the probe
// (a draw that would is drawn again), plus two generated-shape filters placed to match it,
// plus the five listed ones: 100,004 filters of which exactly 7 match the W1 topic.
std::vector<std::string> make_w7_filters() {
  std::mt19937 rng(7070707);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto num = [&](int lo, int hi) { return std::to_string(pick(lo, hi)); };
  const char* const kinds[] = {"temperature", "humidity", "pressure", "co2", "illuminance"};
  std::vector<std::string> out;
  out.reserve(100004);
  while (out.size() < 99997) {
    const int r = pick(0, 99);
    std::string f;
    if (r < 60) {
      f = "sensors/building-" + num(1, 100) + "/floor-" + num(1, 20) + "/room-" + num(1, 100) +
          "/" + kinds[pick(0, 4)];
    } else if (r < 70) {
      f = "sensors/building-" + num(1, 100) + "/+/room-" + num(1, 100) + "/" + kinds[pick(0, 4)];
    } else if (r < 78) {
      f = "sensors/building-" + num(1, 100) + "/floor-" + num(1, 20) + "/#";
    } else if (r < 85) {
      f = "sensors/+/floor-" + num(1, 20) + "/room-" + num(1, 100) + "/+";
    } else if (r < 97) {
      f = "devices/";
      for (int k = 0; k < 12; ++k) f += "0123456789abcdef"[pick(0, 15)];
      f += "/#";
    } else {
      f = "factory/line-" + num(1, 6) + "/machine-" + num(1, 30) + "/" +
          (pick(0, 1) ? "spindle/+" : "#");
    }
    if (mc::topic_matches(f, w1_topic)) continue;
    out.push_back(std::move(f));
  }
  out.emplace_back("sensors/building-7/floor-3/#");
  out.emplace_back("sensors/+/floor-3/room-42/+");
  out.emplace_back("#");
  out.emplace_back("sensors/#");
  out.emplace_back("sensors/+/floor-3/#");
  out.emplace_back(w1_topic);
  out.emplace_back("+/+/+/+/temperature");
  std::size_t n = 0;
  for (const auto& f : out) n += mc::topic_matches(f, w1_topic) ? 1u : 0u;
  require(out.size() == 100004, "W7 has 100,004 filters");
  require(n == 7, "7 W7 filters match the probe");
  return out;
}

const std::vector<std::string>& w7_filters() {
  static const std::vector<std::string> filters = make_w7_filters();
  return filters;
}

const mc::topic_index<std::uint32_t>& w7_index() {
  static const mc::topic_index<std::uint32_t> index = [] {
    mc::topic_index<std::uint32_t> idx;
    std::uint32_t i = 0;
    for (const auto& f : w7_filters()) require(idx.insert(f, i++).has_value(), "W7 insert");
    std::size_t n = 0;
    idx.match(w1_topic, [&](const std::uint32_t&) { ++n; });
    require(n == 7, "the index finds the 7 W7 matches");
    return idx;
  }();
  return index;
}

// ---- W6 benchmarks ---------------------------------------------------------------------------

template <class Match>
void run_w6_match(benchmark::State& state, std::size_t f, Match match) {
  const auto& topics = w6_topics();
  const std::string filter = w6_filters[f];
  std::size_t n = 0;
  for (auto _ : state) {
    n = 0;
    for (const auto& t : topics) n += match(filter, t) ? 1u : 0u;
    benchmark::DoNotOptimize(n);
  }
  require(n == w6_expected[f], "W6 contender agrees with the table");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 1000);
  state.counters["matches"] = static_cast<double>(n);
  state.counters["ns_per_match"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 1000,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(filter);
}

void bm_w6_mqttcodec(benchmark::State& state, std::size_t f) {
  run_w6_match(state, f, [](const std::string& fl, const std::string& t) {
    return mc::topic_matches(fl, t);
  });
}
void bm_w6_plain(benchmark::State& state, std::size_t f) {
  run_w6_match(state, f,
               [](const std::string& fl, const std::string& t) { return plain_match(fl, t); });
}
#if defined(MQTTCODEC_HAVE_MOSQUITTO)
void bm_w6_mosquitto(benchmark::State& state, std::size_t f) {
  run_w6_match(state, f, [](const std::string& fl, const std::string& t) {
    bool result = false;
    mosquitto_topic_matches_sub(fl.c_str(), t.c_str(), &result);
    return result;
  });
}
#endif

template <class Check>
void run_w6_validate(benchmark::State& state, Check check) {
  const auto& topics = w6_topics();
  std::size_t bytes = 0;
  for (const auto& t : topics) bytes += t.size();
  std::size_t ok = 0;
  for (auto _ : state) {
    ok = 0;
    for (const auto& t : topics) ok += check(t) ? 1u : 0u;
    benchmark::DoNotOptimize(ok);
  }
  require(ok == 1000, "all W6 topics validate");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

void bm_validate_mqttcodec(benchmark::State& state) {
  run_w6_validate(state,
                  [](const std::string& t) { return mc::validate_topic_name(t).has_value(); });
}
void bm_validate_utf8(benchmark::State& state) {
  run_w6_validate(state, [](const std::string& t) { return mc::is_valid_utf8(t); });
}

// ---- W7 benchmarks ---------------------------------------------------------------------------

void bm_w7_index_match(benchmark::State& state) {
  const auto& idx = w7_index();
  std::size_t n = 0;
  for (auto _ : state) {
    n = 0;
    idx.match(w1_topic, [&](const std::uint32_t& v) { n += v != 0xFFFFFFFFu ? 1u : 0u; });
    benchmark::DoNotOptimize(n);
  }
  require(n == 7, "index match count");
  state.counters["matches"] = static_cast<double>(n);
  state.counters["filters"] = static_cast<double>(w7_filters().size());
  state.counters["trie_nodes"] = static_cast<double>(idx.node_count());
}

void bm_w7_brute_force(benchmark::State& state) {
  const auto& filters = w7_filters();
  std::size_t n = 0;
  for (auto _ : state) {
    n = 0;
    for (const auto& f : filters) n += mc::topic_matches(f, w1_topic) ? 1u : 0u;
    benchmark::DoNotOptimize(n);
  }
  require(n == 7, "brute force match count");
  state.counters["matches"] = static_cast<double>(n);
}

void bm_w7_insert(benchmark::State& state) {
  const auto& filters = w7_filters();
  for (auto _ : state) {
    mc::topic_index<std::uint32_t> idx;
    std::uint32_t i = 0;
    for (const auto& f : filters) benchmark::DoNotOptimize(idx.insert(f, i++).has_value());
    benchmark::DoNotOptimize(idx.size());
    state.PauseTiming();  // destruction is not insertion
    { auto gone = std::move(idx); }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(filters.size()));
}

void bm_w7_insert_baseline(benchmark::State& state) {
  const auto& filters = w7_filters();
  for (auto _ : state) {
    std::unordered_multimap<std::string, std::uint32_t> map;
    std::uint32_t i = 0;
    for (const auto& f : filters) map.emplace(f, i++);
    benchmark::DoNotOptimize(map.size());
    state.PauseTiming();
    { auto gone = std::move(map); }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(filters.size()));
  state.SetLabel("std::unordered_multimap<std::string, T> (no matching ability)");
}

void bm_w7_erase(benchmark::State& state) {
  const auto& filters = w7_filters();
  for (auto _ : state) {
    state.PauseTiming();
    mc::topic_index<std::uint32_t> idx;
    std::uint32_t i = 0;
    for (const auto& f : filters) static_cast<void>(idx.insert(f, i++));
    state.ResumeTiming();
    i = 0;
    std::size_t removed = 0;
    for (const auto& f : filters) removed += idx.erase(f, i++);
    require(removed == filters.size() && idx.node_count() == 1, "erase empties the index");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(filters.size()));
}

void bm_w7_erase_baseline(benchmark::State& state) {
  const auto& filters = w7_filters();
  for (auto _ : state) {
    state.PauseTiming();
    std::unordered_multimap<std::string, std::uint32_t> map;
    std::uint32_t i = 0;
    for (const auto& f : filters) map.emplace(f, i++);
    state.ResumeTiming();
    i = 0;
    for (const auto& f : filters) {
      auto range = map.equal_range(f);
      for (auto it = range.first; it != range.second; ++it) {
        if (it->second == i) {
          map.erase(it);
          break;
        }
      }
      ++i;
    }
    benchmark::DoNotOptimize(map.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(filters.size()));
  state.SetLabel("std::unordered_multimap<std::string, T>");
}

// ---- ratio table -----------------------------------------------------------------------------

// Prints the usual console output, then each benchmark group's contenders as a ratio to the
// group's `baseline_*` contender (the median when repetitions were asked for).
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type == Run::RT_Aggregate && !median) continue;
      const std::string& name = r.run_name.function_name;
      auto& e = times_[name];
      if (median || !e.from_median) {
        e.ns = r.GetAdjustedRealTime() * multiplier(r.time_unit);
        e.from_median = median;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::map<std::string, std::vector<std::pair<std::string, double>>> groups;
    for (const auto& [name, e] : times_) {
      const auto slash = name.rfind('/');
      groups[name.substr(0, slash)].emplace_back(name.substr(slash + 1), e.ns);
    }
    std::printf("\n%-28s %-24s %14s %10s\n", "group", "contender", "time (ns)", "ratio");
    for (const auto& [group, contenders] : groups) {
      double base = 0;
      for (const auto& [who, ns] : contenders) {
        if (who.rfind("baseline", 0) == 0) base = ns;
      }
      for (const auto& [who, ns] : contenders) {
        std::printf("%-28s %-24s %14.1f %9.2fx\n", group.c_str(), who.c_str(), ns,
                    base > 0 ? ns / base : 0.0);
      }
    }
  }

 private:
  static double multiplier(benchmark::TimeUnit u) {
    switch (u) {
      case benchmark::kSecond: return 1e9;
      case benchmark::kMillisecond: return 1e6;
      case benchmark::kMicrosecond: return 1e3;
      default: return 1.0;
    }
  }
  struct entry {
    double ns = 0;
    bool from_median = false;
  };
  std::map<std::string, entry> times_;
};

}  // namespace

int main(int argc, char** argv) {
  // Build and check the workloads before anything is timed.
  static_cast<void>(w6_topics());
  static_cast<void>(w7_index());
  for (std::size_t f = 0; f < 6; ++f) {
    const std::string g = "W6/match/f" + std::to_string(f) + "/";
    benchmark::RegisterBenchmark((g + "mqttcodec").c_str(), bm_w6_mqttcodec, f);
    benchmark::RegisterBenchmark((g + "baseline_plain").c_str(), bm_w6_plain, f);
#if defined(MQTTCODEC_HAVE_MOSQUITTO)
    benchmark::RegisterBenchmark((g + "mosquitto").c_str(), bm_w6_mosquitto, f);
#endif
  }
  benchmark::RegisterBenchmark("W6/validate_name/mqttcodec", bm_validate_mqttcodec);
  benchmark::RegisterBenchmark("W6/validate_name/baseline_utf8_walk", bm_validate_utf8);
  benchmark::RegisterBenchmark("W7/index_match/mqttcodec", bm_w7_index_match)
      ->Repetitions(15)
      ->ReportAggregatesOnly(true);
  benchmark::RegisterBenchmark("W7/index_match/baseline_brute_force", bm_w7_brute_force)
      ->Repetitions(5)
      ->ReportAggregatesOnly(true);
  benchmark::RegisterBenchmark("W7/index_insert/mqttcodec", bm_w7_insert)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("W7/index_insert/baseline_unordered_multimap", bm_w7_insert_baseline)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("W7/index_erase/mqttcodec", bm_w7_erase)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("W7/index_erase/baseline_unordered_multimap", bm_w7_erase_baseline)
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

// Tests of mqttcodec/topic_index.hpp: against brute force topic_matches over random filter
// sets, insert / erase / duplicates / shared groups, and no allocation while matching (counted
// through the index's Allocator parameter, so this file replaces no global operator new).
#include "mqttcodec/topic_index.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "test_catch.hpp"

namespace mc = mqttcodec;
using mc::protocol_version;

namespace {

// Allocations made through any copy or rebind of counting_allocator.
std::size_t g_allocations = 0;
#if defined(__cpp_exceptions)
// Where exceptions exist, allocations also count g_countdown down, and the one that reaches 0
// throws std::bad_alloc, as an exhausted pool allocator would; 0 fails nothing.
std::size_t g_countdown = 0;
#endif

template <class T>
struct counting_allocator {
  using value_type = T;
  counting_allocator() noexcept = default;
  template <class U>
  counting_allocator(const counting_allocator<U>&) noexcept {}  // NOLINT: rebinding
  T* allocate(std::size_t n) {
    ++g_allocations;
#if defined(__cpp_exceptions)
    if (g_countdown != 0 && --g_countdown == 0) throw std::bad_alloc();
#endif
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    std::allocator<T>().deallocate(p, n);
  }
  template <class U>
  bool operator==(const counting_allocator<U>&) const noexcept {
    return true;
  }
  template <class U>
  bool operator!=(const counting_allocator<U>&) const noexcept {
    return false;
  }
};

using counted_index = mc::topic_index<int, counting_allocator<int>>;

template <class Index>
std::vector<int> match_values(const Index& idx, std::string_view topic) {
  std::vector<int> out;
  idx.match(topic, [&](const int& v) { out.push_back(v); });
  std::sort(out.begin(), out.end());
  return out;
}

// (filter, members) for every matching shared subscription, sorted.
template <class Index>
std::vector<std::pair<std::string, std::vector<int>>> match_groups(const Index& idx,
                                                                   std::string_view topic) {
  std::vector<std::pair<std::string, std::vector<int>>> out;
  idx.match_shared(topic, [&](const mc::shared_match<int>& m) {
    std::vector<int> members(m.members.begin(), m.members.end());
    std::sort(members.begin(), members.end());
    out.emplace_back(std::string(m.filter), std::move(members));
    CHECK(m.filter.substr(7, m.share_name.size()) == m.share_name);
  });
  std::sort(out.begin(), out.end());
  return out;
}

// Random filters and names over a small alphabet, so that they often match each other.
struct generator {
  std::mt19937 rng;
  explicit generator(unsigned seed) : rng(seed) {}
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  }
  std::string name() {
    static const char* const levels[] = {"a", "b", "c", "", "$x", "$SYS", "dd"};
    std::string s;
    const std::size_t depth = 1 + pick(5);
    for (std::size_t i = 0; i < depth; ++i) {
      if (i) s += '/';
      s += levels[pick(i == 0 ? 7 : 5)];  // '$' levels mostly first, where they matter
    }
    return s.empty() ? std::string("a") : s;
  }
  std::string filter() {
    static const char* const levels[] = {"a", "b", "c", "", "+", "+", "$x", "$SYS", "dd"};
    std::string s;
    const std::size_t depth = 1 + pick(5);
    for (std::size_t i = 0; i < depth; ++i) {
      if (i) s += '/';
      if (i + 1 == depth && pick(4) == 0) {
        s += '#';
      } else {
        s += levels[pick(i == 0 ? 9 : 7)];
      }
    }
    return s.empty() ? std::string("+") : s;
  }
};

}  // namespace

TEST_CASE("topic_index: MQTT-3.3.2-3 matches exactly the filters topic_matches accepts") {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    generator gen(seed);
    mc::topic_index<int> idx;
    std::vector<std::pair<std::string, int>> live;
    const std::size_t count = 1 + gen.pick(300);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string f = gen.filter();
      REQUIRE(mc::is_valid_topic_filter(f));
      REQUIRE(idx.insert(f, static_cast<int>(i)));
      live.emplace_back(f, static_cast<int>(i));
    }
    // Erase a random third, some twice, some that were never there.
    for (std::size_t i = 0; i < count / 3; ++i) {
      const std::size_t k = gen.pick(live.size());
      CHECK(idx.erase(live[k].first, live[k].second) == 1);
      CHECK(idx.erase(live[k].first, live[k].second) == 0);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
      if (live.empty()) break;
    }
    CHECK(idx.erase(gen.filter(), -1) == 0);
    CHECK(idx.size() == live.size());
    for (int probe = 0; probe < 200; ++probe) {
      const std::string t = gen.name();
      REQUIRE(mc::is_valid_topic_name(t));
      std::vector<int> want;
      for (const auto& [f, v] : live) {
        if (mc::topic_matches(f, t)) want.push_back(v);
      }
      std::sort(want.begin(), want.end());
      INFO("seed " << seed << " topic " << t);
      REQUIRE(match_values(idx, t) == want);
    }
  }
}

TEST_CASE("topic_index: erasing everything frees every node") {
  generator gen(77);
  mc::topic_index<int> idx;
  std::vector<std::string> filters;
  for (int i = 0; i < 2000; ++i) {
    filters.push_back(gen.filter());
    REQUIRE(idx.insert(filters.back(), i));
  }
  CHECK(idx.node_count() > 100);
  for (int i = 1999; i >= 0; --i) {
    CHECK(idx.erase(filters[static_cast<std::size_t>(i)], i) == 1);
  }
  CHECK(idx.empty());
  CHECK(idx.node_count() == 1);  // only the root
  // And it still works after the churn (free lists reused, edge table consistent).
  REQUIRE(idx.insert("a/+/c", 1));
  REQUIRE(idx.insert("a/b/#", 2));
  CHECK(match_values(idx, "a/b/c") == std::vector<int>{1, 2});
  CHECK(idx.node_count() == 6);
}

TEST_CASE("topic_index: invalid filters are refused with the validation error") {
  mc::topic_index<int> idx;
  const auto r = idx.insert("a/#/b", 1);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == mc::errc::invalid_topic_filter);
  CHECK(std::string(r.error().rule) == "MQTT-4.7.1-1");
  CHECK_FALSE(idx.insert("", 1));
  CHECK_FALSE(idx.insert("$share/g", 1));
  CHECK_FALSE(idx.insert("a+", 1, protocol_version::v311));
  CHECK(idx.empty());
  CHECK(idx.node_count() == 1);
  CHECK(idx.erase("a/#/b", 1) == 0);
}

TEST_CASE("topic_index: several values per filter, duplicates, and erase by value") {
  mc::topic_index<int> idx;
  REQUIRE(idx.insert("a/b", 1));
  REQUIRE(idx.insert("a/b", 2));
  REQUIRE(idx.insert("a/b", 2));
  REQUIRE(idx.insert("a/+", 3));
  CHECK(idx.size() == 4);
  CHECK(match_values(idx, "a/b") == std::vector<int>{1, 2, 2, 3});
  CHECK(idx.erase("a/b", 2) == 2);  // both copies
  CHECK(match_values(idx, "a/b") == std::vector<int>{1, 3});
  CHECK(idx.erase("a/b", 7) == 0);
  CHECK(idx.erase("a/c", 1) == 0);
  CHECK(idx.erase_if("a/+", [](const int& v) { return v > 2; }) == 1);
  CHECK(match_values(idx, "a/b") == std::vector<int>{1});
  CHECK(idx.size() == 1);
}

TEST_CASE("topic_index: MQTT-3.8.4-3 insert_or_assign replaces a client's subscription") {
  // A broker's value: the client and its options; a new SUBSCRIBE to the same filter from the
  // same client replaces its subscription, another client's stays.
  struct sub {
    int client;
    int qos;
  };
  mc::topic_index<sub> idx;
  const auto same_client = [](int c) { return [c](const sub& s) { return s.client == c; }; };
  auto added = idx.insert_or_assign("a/+", sub{1, 0}, same_client(1));
  REQUIRE(added);
  CHECK(*added);
  added = idx.insert_or_assign("a/+", sub{2, 1}, same_client(2));
  REQUIRE(added);
  CHECK(*added);
  added = idx.insert_or_assign("a/+", sub{1, 2}, same_client(1));  // replaces client 1's
  REQUIRE(added);
  CHECK_FALSE(*added);
  CHECK(idx.size() == 2);
  std::vector<std::pair<int, int>> seen;
  idx.match("a/x", [&](const sub& s) { seen.emplace_back(s.client, s.qos); });
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::pair<int, int>>{{1, 2}, {2, 1}});
  // Shared subscriptions: per group, as insert places them.
  added = idx.insert_or_assign("$share/g/a/+", sub{1, 0}, same_client(1));
  REQUIRE(added);
  CHECK(*added);
  added = idx.insert_or_assign("$share/g/a/+", sub{1, 1}, same_client(1));
  REQUIRE(added);
  CHECK_FALSE(*added);
  std::size_t members = 0;
  idx.match_shared("a/x", [&](const mc::shared_match<sub>& m) {
    members += m.members.size();
    CHECK(m.members[0].qos == 1);
  });
  CHECK(members == 1);
  CHECK(idx.size() == 3);
  // An invalid filter: its error, and nothing changed.
  const auto bad = idx.insert_or_assign("a/#/b", sub{3, 0}, same_client(3));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == mc::errc::invalid_topic_filter);
  CHECK(idx.size() == 3);
}

TEST_CASE("topic_index: MQTT-4.7.2-1 the $ rule applies at the root only") {
  mc::topic_index<int> idx;
  REQUIRE(idx.insert("#", 1));
  REQUIRE(idx.insert("+/x", 2));
  REQUIRE(idx.insert("$SYS/#", 3));
  REQUIRE(idx.insert("$SYS/+", 4));
  REQUIRE(idx.insert("a/+", 5));
  REQUIRE(idx.insert("a/#", 6));
  CHECK(match_values(idx, "$SYS/x") == std::vector<int>{3, 4});
  CHECK(match_values(idx, "$SYS") == std::vector<int>{3});
  CHECK(match_values(idx, "q/x") == std::vector<int>{1, 2});
  CHECK(match_values(idx, "a/$x") == std::vector<int>{1, 5, 6});
  CHECK(match_values(idx, "a") == std::vector<int>{1, 6});  // "a/#" includes its parent
  CHECK(match_values(idx, "a/") == std::vector<int>{1, 5, 6});
}

TEST_CASE("topic_index: MQTT-4.8.2-1/-2 shared subscriptions are reported per group") {
  mc::topic_index<int> idx;
  REQUIRE(idx.insert("$share/g1/sensors/+", 1));
  REQUIRE(idx.insert("$share/g1/sensors/+", 2));
  REQUIRE(idx.insert("$share/g2/sensors/+", 3));
  REQUIRE(idx.insert("$share/g1/sensors/#", 4));  // same name, other filter: other group
  REQUIRE(idx.insert("sensors/+", 5));
  REQUIRE(idx.insert("$share/g3/#", 6));
  CHECK(idx.size() == 6);
  // Non-shared visitors never see group members.
  CHECK(match_values(idx, "sensors/t") == std::vector<int>{5});
  using groups = std::vector<std::pair<std::string, std::vector<int>>>;
  CHECK(match_groups(idx, "sensors/t") == groups{{"$share/g1/sensors/#", {4}},
                                                 {"$share/g1/sensors/+", {1, 2}},
                                                 {"$share/g2/sensors/+", {3}},
                                                 {"$share/g3/#", {6}}});
  // The $ rule applies to the filter part of a shared subscription.
  CHECK(match_groups(idx, "$SYS/x").empty());
  // One walk for both kinds.
  std::size_t values = 0;
  std::size_t shared = 0;
  idx.match(
      "sensors/t", [&](const int&) { ++values; },
      [&](const mc::shared_match<int>& m) {
        CHECK_FALSE(m.members.empty());
        ++shared;
      });
  CHECK(values == 1);
  CHECK(shared == 4);
  // Erase is per group member; an emptied group disappears.
  CHECK(idx.erase("$share/g1/sensors/+", 1) == 1);
  CHECK(idx.erase("$share/g1/sensors/+", 1) == 0);
  CHECK(idx.erase("$share/g9/sensors/+", 2) == 0);
  CHECK(idx.erase("$share/g2/sensors/+", 3) == 1);
  CHECK(match_groups(idx, "sensors/t") ==
        groups{{"$share/g1/sensors/#", {4}}, {"$share/g1/sensors/+", {2}}, {"$share/g3/#", {6}}});
  // In 3.1.1 the same text is an ordinary filter with a literal "$share" level.
  REQUIRE(idx.insert("$share/g1/sensors/+", 7, protocol_version::v311));
  CHECK(match_values(idx, "$share/g1/sensors/x") == std::vector<int>{7});
  CHECK(match_values(idx, "sensors/t") == std::vector<int>{5});
  // And erased as one: in 5.0 the same text names the group member, which holds no 7.
  CHECK(idx.erase("$share/g1/sensors/+", 7) == 0);
  CHECK(idx.erase("$share/g1/sensors/+", 7, protocol_version::v311) == 1);
  CHECK(match_values(idx, "$share/g1/sensors/x").empty());
  CHECK(match_groups(idx, "sensors/t") ==
        groups{{"$share/g1/sensors/#", {4}}, {"$share/g1/sensors/+", {2}}, {"$share/g3/#", {6}}});
}

TEST_CASE("topic_index: deep topics and filters need no stack beyond a fixed size") {
  // 2,000 levels: far past the cached levels, exercising the backward scan on the way up.
  std::string deep_filter;
  std::string deep_topic;
  for (int i = 0; i < 2000; ++i) {
    deep_filter += i ? "/+" : "+";
    deep_topic += i ? "/l" : "l";
  }
  mc::topic_index<int> idx;
  REQUIRE(idx.insert(deep_filter, 1));
  REQUIRE(idx.insert(deep_filter + "/#", 2));
  REQUIRE(idx.insert(deep_topic, 3));
  REQUIRE(idx.insert(deep_topic + "/#", 4));
  REQUIRE(idx.insert("l/#", 5));
  CHECK(match_values(idx, deep_topic) == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(match_values(idx, deep_topic + "/x") == std::vector<int>{2, 4, 5});
  // A filter with many empty levels; "+/+/.../#" (2,000 '+') matches it too.
  REQUIRE(idx.insert(std::string(3000, '/'), 6));
  CHECK(match_values(idx, std::string(3000, '/')) == std::vector<int>{2, 6});
  CHECK(match_values(idx, std::string(1000, '/')).empty());
}

TEST_CASE("topic_index: match never allocates") {
  generator gen(5);
  counted_index idx;
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) {
    REQUIRE(idx.insert(gen.filter(), i));
    REQUIRE(idx.insert("$share/g" + std::to_string(i % 7) + "/" + gen.filter(), i));
  }
  for (int i = 0; i < 500; ++i) names.push_back(gen.name());
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += i ? "/a" : "a";
  names.push_back(deep);
  REQUIRE(g_allocations > 0);  // the allocator is really used
  const std::size_t before = g_allocations;
  std::size_t seen = 0;
  for (const auto& t : names) {
    idx.match(
        t, [&](const int&) { ++seen; },
        [&](const mc::shared_match<int>& m) { seen += m.members.size(); });
  }
  CHECK(g_allocations == before);
  CHECK(seen > 1000);
}

TEST_CASE("topic_index: copies are independent") {
  mc::topic_index<int> a;
  REQUIRE(a.insert("x/+", 1));
  mc::topic_index<int> b = a;
  REQUIRE(b.insert("x/y", 2));
  CHECK(match_values(a, "x/y") == std::vector<int>{1});
  CHECK(match_values(b, "x/y") == std::vector<int>{1, 2});
  b.clear();
  CHECK(b.empty());
  CHECK(match_values(b, "x/y").empty());
  CHECK(match_values(a, "x/y") == std::vector<int>{1});
}

TEST_CASE("topic_index: move-only values") {
  mc::topic_index<std::unique_ptr<int>> idx;
  REQUIRE(idx.insert("a/#", std::make_unique<int>(4)));
  int sum = 0;
  idx.match("a/b", [&](const std::unique_ptr<int>& p) { sum += *p; });
  CHECK(sum == 4);
  CHECK(idx.erase_if("a/#", [](const std::unique_ptr<int>& p) { return *p == 4; }) == 1);
}

TEST_CASE("topic_index: wide matches overflow the frontier and are walked depth first") {
  // Every filter over {a, +} of 1..8 levels: 256 nodes alive at depth 8 for the topic a/a/...,
  // more than the walk keeps on its stack. Some also continue 40 levels deeper, past the levels
  // the depth-first fallback caches.
  mc::topic_index<int> idx;
  std::vector<std::string> filters;
  std::vector<std::string> layer = {""};
  for (int d = 1; d <= 8; ++d) {
    std::vector<std::string> next;
    for (const auto& p : layer) {
      for (const char* l : {"a", "+"}) next.push_back(d == 1 ? std::string(l) : p + "/" + l);
    }
    filters.insert(filters.end(), next.begin(), next.end());
    layer = std::move(next);
  }
  std::string tail;
  for (int i = 0; i < 40; ++i) tail += "/x";
  for (std::size_t i = 0; i < layer.size(); i += 3) {
    filters.push_back(layer[i] + tail);
    filters.push_back(layer[i] + tail + "/#");
    filters.push_back(layer[i] + "/#");
  }
  for (std::size_t i = 0; i < filters.size(); ++i)
    REQUIRE(idx.insert(filters[i], static_cast<int>(i)));
  for (const std::string& t :
       {std::string("a/a/a/a/a/a/a/a"), std::string("a/a/a/a/a/a/a/a") + tail,
        std::string("a/b/a/a/a/a/a/a") + tail + "/y", std::string("a/a/a")}) {
    std::vector<int> want;
    for (std::size_t i = 0; i < filters.size(); ++i) {
      if (mc::topic_matches(filters[i], t)) want.push_back(static_cast<int>(i));
    }
    INFO(t);
    CHECK(want.size() > 3);
    CHECK(match_values(idx, t) == want);
  }
}

#if defined(__cpp_exceptions)  // the -fno-exceptions builds end the program on a failed allocation
namespace {
// A topic that `filter` (without a $share prefix) matches: '+' and '#' levels become "a".
std::string topic_of(std::string_view filter) {
  std::string t(filter);
  for (char& c : t) {
    if (c == '+' || c == '#') c = 'a';
  }
  return t;
}
}  // namespace

TEST_CASE("topic_index: an insertion whose allocation throws leaves the index as it was") {
  // Every allocation of every insertion fails in turn, until the insertion succeeds: new
  // literal, '+' and '#' levels, new shared groups and members of existing ones, values added
  // to existing filters, and the edge table's growth. After each failure the index must hold
  // what it held (no node left over, no '#' node without its values, no empty group), match as
  // before, and take the same insertion again.
  using index = counted_index;
  generator gen(11);
  index idx;
  std::vector<std::pair<std::string, int>> live;  // what was inserted, 5.0 filters
  auto expected = [&](const std::string& topic) {
    std::vector<int> values;
    std::map<std::string, std::vector<int>> groups;
    for (const auto& [f, v] : live) {
      if (mc::is_shared_subscription(f)) {
        if (mc::topic_matches(mc::parse_shared_subscription(f)->filter, topic)) {
          groups[f].push_back(v);
        }
      } else if (mc::topic_matches(f, topic)) {
        values.push_back(v);
      }
    }
    std::sort(values.begin(), values.end());
    std::vector<std::pair<std::string, std::vector<int>>> g(groups.begin(), groups.end());
    for (auto& entry : g) std::sort(entry.second.begin(), entry.second.end());
    return std::make_pair(values, g);
  };
  std::size_t failures = 0;
  for (int i = 0; i < 400; ++i) {
    std::string f = gen.filter();
    if (i % 3 == 0) f = "$share/g" + std::to_string(i % 4) + "/" + f;
    const std::string probe =
        topic_of(mc::is_shared_subscription(f) ? mc::parse_shared_subscription(f)->filter : f);
    INFO("insertion " << i << ": " << f);
    for (std::size_t k = 1;; ++k) {
      const std::size_t nodes = idx.node_count();
      const std::size_t size = idx.size();
      bool threw = false;
      bool inserted = false;
      g_countdown = k;
      try {  // not inside REQUIRE, which would catch the exception itself
        inserted = static_cast<bool>(idx.insert(f, i));
      } catch (const std::bad_alloc&) {
        threw = true;
      }
      g_countdown = 0;
      if (!threw) {
        REQUIRE(inserted);
        break;
      }
      ++failures;
      REQUIRE(idx.size() == size);
      REQUIRE(idx.node_count() == nodes);
      const auto want = expected(probe);
      REQUIRE(match_values(idx, probe) == want.first);
      REQUIRE(match_groups(idx, probe) == want.second);
    }
    live.emplace_back(f, i);
    const auto want = expected(probe);
    REQUIRE(match_values(idx, probe) == want.first);
    REQUIRE(match_groups(idx, probe) == want.second);
  }
  CHECK(failures > 400);  // most insertions allocate, some several times
  for (const auto& [f, v] : live) CHECK(idx.erase(f, v) == 1);
  CHECK(idx.empty());
  CHECK(idx.node_count() == 1);  // nothing the failed insertions made was left behind
}
#endif

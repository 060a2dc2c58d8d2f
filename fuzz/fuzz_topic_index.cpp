// Fuzz target for topic_index.hpp: the fuzzer builds a filter set with inserts and erases, then
// probes topics; every probe must visit exactly the values brute force topic_matches finds.
// Input: lines separated by '\n'. A line's first byte is the operation: 'i' insert the rest as
// a filter, 'e' erase it, 'r' insert_or_assign it (replacing the oldest value under it, if
// any), 't' probe it as a topic; any other byte selects a compact form in
// which each following byte picks a level from a small alphabet (so short inputs make deep,
// overlapping filters), with the low bit of the op byte choosing insert or probe.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mqttcodec/topic_index.hpp"

namespace mc = mqttcodec;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

std::string compact(std::string_view bytes) {
  static const char* const levels[] = {"a", "b", "", "+", "#", "$x", "$SYS", "cc"};
  std::string s;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i) s += '/';
    s += levels[static_cast<unsigned char>(bytes[i]) % 8];
  }
  return s;
}

struct state {
  mc::topic_index<int> index;
  std::vector<std::pair<std::string, int>> live;  // non-shared filters
  std::vector<std::pair<std::string, int>> shared;
  int next = 0;

  void insert(const std::string& f) {
    const int v = next++;
    const bool ok = index.insert(f, v).has_value();
    require(ok == mc::is_valid_topic_filter(f));
    if (!ok) return;
    (mc::is_shared_subscription(f) ? shared : live).emplace_back(f, v);
  }
  // insert_or_assign with a new value, replacing the first value the model holds under `f`.
  void replace(const std::string& f) {
    const int v = next++;
    auto& list = mc::is_shared_subscription(f) ? shared : live;
    const auto it =
        std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == f; });
    const int old = it == list.end() ? -1 : it->second;
    const auto added = index.insert_or_assign(f, v, [old](const int& e) { return e == old; });
    require(added.has_value() == mc::is_valid_topic_filter(f));
    if (!added) return;
    require(*added == (it == list.end()));
    if (it == list.end()) {
      list.emplace_back(f, v);
    } else {
      it->second = v;
    }
  }
  void erase(const std::string& f) {
    auto& list = mc::is_shared_subscription(f) ? shared : live;
    const auto it =
        std::find_if(list.begin(), list.end(), [&](const auto& e) { return e.first == f; });
    if (it == list.end()) {
      require(index.erase(f, -1) == 0);
      return;
    }
    require(index.erase(f, it->second) == 1);
    list.erase(it);
  }
  void probe(const std::string& t) {
    if (!mc::is_valid_topic_name(t)) return;
    std::vector<int> got;
    std::vector<int> got_shared;
    index.match(
        t, [&](const int& v) { got.push_back(v); },
        [&](const mc::shared_match<int>& m) {
          require(!m.members.empty());
          for (const int v : m.members) got_shared.push_back(v);
        });
    std::vector<int> want;
    for (const auto& [f, v] : live) {
      if (mc::topic_matches(f, t)) want.push_back(v);
    }
    std::vector<int> want_shared;
    for (const auto& [f, v] : shared) {
      if (mc::topic_matches(mc::parse_shared_subscription(f)->filter, t)) want_shared.push_back(v);
    }
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    std::sort(got_shared.begin(), got_shared.end());
    std::sort(want_shared.begin(), want_shared.end());
    require(got == want);
    require(got_shared == want_shared);
    require(index.size() == live.size() + shared.size());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // keeps brute force cheap
  state st;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t nl = in.find('\n', pos);
    if (nl == std::string_view::npos) nl = in.size();
    const std::string_view line = in.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    const std::string arg(line.substr(1));
    switch (line[0]) {
      case 'i': st.insert(arg); break;
      case 'e': st.erase(arg); break;
      case 'r': st.replace(arg); break;
      case 't': st.probe(arg); break;
      case 's': st.insert("$share/g" + std::to_string(arg.size() % 3) + "/" + compact(arg)); break;
      default: {
        const std::string s = compact(line.substr(1));
        if (line[0] & 1) {
          st.insert(s);
        } else {
          st.probe(s);
        }
      }
    }
  }
  // Finally probe every compact name of up to three levels against what is left.
  const char alphabet[] = {0, 1, 2, 5, 6, 7};
  for (const char a : alphabet) {
    st.probe(compact(std::string(1, a)));
    for (const char b : alphabet) {
      st.probe(compact(std::string{a, b}));
      for (const char c : alphabet) st.probe(compact(std::string{a, b, c}));
    }
  }
  return 0;
}

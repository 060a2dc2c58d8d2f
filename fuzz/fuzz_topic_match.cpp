// Fuzz target for topic.hpp. Input: byte 0 picks the protocol version (bit 0: 3.1.1 else 5.0),
// byte 1 is the filter's length (modulo what is left); the filter follows, then the topic.
// Oracles: validation never misbehaves and its answers agree with each other; for a valid
// filter and name, topic_matches agrees with a level-splitting reference matcher.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mqttcodec/topic.hpp"

namespace mc = mqttcodec;

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

std::vector<std::string_view> levels_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t slash = s.find('/', pos);
    if (slash == std::string_view::npos) {
      out.push_back(s.substr(pos));
      return out;
    }
    out.push_back(s.substr(pos, slash - pos));
    pos = slash + 1;
  }
}

// §4.7 read literally, iteratively (fuzz inputs can have thousands of levels).
bool reference_match(std::string_view filter, std::string_view topic) {
  if (!topic.empty() && topic[0] == '$' && (filter[0] == '+' || filter[0] == '#')) return false;
  const auto f = levels_of(filter);
  const auto t = levels_of(topic);
  for (std::size_t i = 0;; ++i) {
    if (i == f.size()) return i == t.size();
    if (f[i] == "#") return true;
    if (i == t.size()) return false;
    if (f[i] != "+" && f[i] != t[i]) return false;
  }
}

void check_one(std::string_view s, mc::protocol_version v) {
  const auto name = mc::validate_topic_name(s, v);
  const auto filter = mc::validate_topic_filter(s, v);
  const auto name_syntax = mc::check_topic_name_syntax(s, v);
  const auto filter_syntax = mc::check_topic_filter_syntax(s, v);
  const bool clean = !s.empty() && s.size() <= mc::max_topic_length && mc::is_valid_utf8(s);
  // Full validation = string rules + syntax rules.
  require(name.has_value() == (clean && name_syntax.has_value()));
  require(filter.has_value() == (clean && filter_syntax.has_value()));
  require(name_syntax.has_value() == (!s.empty() && !mc::has_wildcards(s)));
  for (const auto* r : {&name, &filter, &name_syntax, &filter_syntax}) {
    if (!r->has_value()) {
      require(r->error().rule != nullptr);
      require(r->error().offset <= s.size());
    }
  }
  // A valid name is a valid filter (unless it reads as a malformed 5.0 shared subscription),
  // and it matches itself.
  const bool shared = v == mc::protocol_version::v5 && mc::is_shared_subscription(s);
  if (name && !shared) {
    require(filter.has_value());
    require(mc::topic_matches(s, s));
  }
  if (shared) {
    const auto p = mc::parse_shared_subscription(s);
    require(p.has_value() == filter_syntax.has_value());
    if (p) {
      require(!p->share_name.empty() && !p->filter.empty());
      require(mc::check_topic_filter_syntax(p->filter, v).has_value() ||
              mc::is_shared_subscription(p->filter));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto v = (data[0] & 1) ? mc::protocol_version::v311 : mc::protocol_version::v5;
  const std::size_t rest = size - 2;
  const std::size_t flen = rest == 0 ? 0 : data[1] % (rest + 1);
  const std::string_view filter(reinterpret_cast<const char*>(data + 2), flen);
  const std::string_view topic(reinterpret_cast<const char*>(data + 2 + flen), rest - flen);
  check_one(filter, v);
  check_one(topic, v);
  const bool filter_ok = mc::check_topic_filter_syntax(filter, mc::protocol_version::v311) &&
                         !mc::is_shared_subscription(filter);
  const bool topic_ok = mc::check_topic_name_syntax(topic).has_value();
  if (filter_ok && topic_ok) {
    require(mc::topic_matches(filter, topic) == reference_match(filter, topic));
  } else {
    // Outside the precondition the answer is unspecified, but it must not read out of bounds.
    static_cast<void>(mc::topic_matches(filter, topic));
  }
  return 0;
}

// Tests of mqttcodec/topic.hpp: one TEST_CASE per spec statement about topic names and
// filters (3.1.1 and 5.0), error offsets, and exhaustive differential checks of validation and
// matching against obvious reference implementations written here.
#include "mqttcodec/topic.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "test_catch.hpp"

namespace mc = mqttcodec;
using mc::errc;
using mc::protocol_version;

namespace {

constexpr protocol_version v5 = protocol_version::v5;
constexpr protocol_version v311 = protocol_version::v311;

// Checks that `r` failed with `code` at `offset`, citing `rule`.
#define CHECK_TOPIC_ERROR(expr, want_code, want_offset, want_rule) \
  do {                                                             \
    const auto r_ = (expr);                                        \
    REQUIRE_FALSE(r_.has_value());                                 \
    CHECK(r_.error().code == (want_code));                         \
    CHECK(r_.error().offset == (want_offset));                     \
    REQUIRE(r_.error().rule != nullptr);                           \
    CHECK(std::string(r_.error().rule) == std::string(want_rule)); \
  } while (0)

std::vector<std::string> split_levels(std::string_view s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t slash = s.find('/', pos);
    if (slash == std::string_view::npos) {
      out.emplace_back(s.substr(pos));
      return out;
    }
    out.emplace_back(s.substr(pos, slash - pos));
    pos = slash + 1;
  }
}

// The matching rules of §4.7 read literally: split into levels, recurse.
bool ref_match_levels(const std::vector<std::string>& f, std::size_t i,
                      const std::vector<std::string>& t, std::size_t j) {
  if (i == f.size()) return j == t.size();
  if (f[i] == "#") return true;  // this level and everything below, including nothing
  if (j == t.size()) return false;
  if (f[i] == "+" || f[i] == t[j]) return ref_match_levels(f, i + 1, t, j + 1);
  return false;
}

bool ref_match(std::string_view filter, std::string_view topic) {
  if (!topic.empty() && topic[0] == '$' && !filter.empty() &&
      (filter[0] == '+' || filter[0] == '#')) {
    return false;
  }
  return ref_match_levels(split_levels(filter), 0, split_levels(topic), 0);
}

bool ref_level_ok(const std::vector<std::string>& lv, std::size_t from) {
  for (std::size_t i = from; i < lv.size(); ++i) {
    const std::string& l = lv[i];
    if (l == "+") continue;
    if (l == "#") {
      if (i + 1 != lv.size()) return false;
      continue;
    }
    if (l.find_first_of("+#") != std::string::npos) return false;
  }
  return true;
}

// Structure rules only (the strings generated here are ASCII and short).
bool ref_valid_filter(std::string_view s, protocol_version v) {
  if (s.empty()) return false;
  if (v == v5 && s.substr(0, 7) == "$share/") {
    const std::string_view rest = s.substr(7);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) return false;
    const std::string_view name = rest.substr(0, slash);
    if (name.find_first_of("+#") != std::string_view::npos) return false;
    const std::string_view f = rest.substr(slash + 1);
    if (f.empty()) return false;
    return ref_level_ok(split_levels(f), 0);
  }
  return ref_level_ok(split_levels(s), 0);
}

bool ref_valid_name(std::string_view s) {
  return !s.empty() && s.find_first_of("+#") == std::string_view::npos;
}

// All strings made of 1..max_depth levels from `alphabet`, joined by '/'.
std::vector<std::string> all_topics(const std::vector<std::string>& alphabet,
                                    std::size_t max_depth) {
  std::vector<std::string> out;
  std::vector<std::string> layer = {""};
  for (std::size_t d = 1; d <= max_depth; ++d) {
    std::vector<std::string> next;
    for (const auto& prefix : layer) {
      for (const auto& l : alphabet) next.push_back(d == 1 ? l : prefix + "/" + l);
    }
    out.insert(out.end(), next.begin(), next.end());
    layer = std::move(next);
  }
  return out;
}

}  // namespace

// ---- 3.1.1 statements ----------------------------------------------------------------------

TEST_CASE("MQTT-4.7.1-1 (3.1.1): wildcards may appear in topic filters, never in topic names") {
  CHECK(mc::validate_topic_filter("sport/+/player1/#", v311));
  CHECK_TOPIC_ERROR(mc::validate_topic_name("sport/+", v311), errc::topic_has_wildcard, 6,
                    "MQTT-4.7.1-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_name("sport/tennis/#", v311), errc::topic_has_wildcard, 13,
                    "MQTT-4.7.1-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_name("a+b", v311), errc::topic_has_wildcard, 1,
                    "MQTT-4.7.1-1");
  CHECK_TOPIC_ERROR(mc::check_topic_name_syntax("x#", v311), errc::topic_has_wildcard, 1,
                    "MQTT-4.7.1-1");
  // 3.1 has no statement ids; it gets the rules and ids of 3.1.1.
  CHECK_TOPIC_ERROR(mc::validate_topic_name("#", protocol_version::v31), errc::topic_has_wildcard,
                    0, "MQTT-4.7.1-1");
}

TEST_CASE("MQTT-4.7.1-2 (3.1.1): '#' must stand alone in the last level of a filter") {
  for (const char* ok : {"#", "sport/#", "sport/tennis/player1/#", "/#", "+/#", "a//#"}) {
    INFO(ok);
    CHECK(mc::validate_topic_filter(ok, v311));
  }
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("sport/tennis#", v311), errc::invalid_topic_filter,
                    12, "MQTT-4.7.1-2");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("sport/tennis/#/ranking", v311),
                    errc::invalid_topic_filter, 13, "MQTT-4.7.1-2");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("#/", v311), errc::invalid_topic_filter, 0,
                    "MQTT-4.7.1-2");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("##", v311), errc::invalid_topic_filter, 0,
                    "MQTT-4.7.1-2");
  CHECK_TOPIC_ERROR(mc::check_topic_filter_syntax("a/#b", v311), errc::invalid_topic_filter, 2,
                    "MQTT-4.7.1-2");
  // "sport/#" matches the parent level "sport" too.
  CHECK(mc::topic_matches("sport/#", "sport"));
  CHECK(mc::topic_matches("sport/#", "sport/"));
  CHECK(mc::topic_matches("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon"));
  CHECK_FALSE(mc::topic_matches("sport/#", "sports"));
}

TEST_CASE("MQTT-4.7.1-3 (3.1.1): '+' must occupy an entire level of a filter") {
  for (const char* ok : {"+", "+/tennis/#", "sport/+/player1", "+/+", "/+", "+/", "a/+/+/b"}) {
    INFO(ok);
    CHECK(mc::validate_topic_filter(ok, v311));
  }
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("sport+", v311), errc::invalid_topic_filter, 5,
                    "MQTT-4.7.1-3");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("+sport", v311), errc::invalid_topic_filter, 0,
                    "MQTT-4.7.1-3");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("a/++", v311), errc::invalid_topic_filter, 2,
                    "MQTT-4.7.1-3");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("a/+#", v311), errc::invalid_topic_filter, 2,
                    "MQTT-4.7.1-3");
  CHECK(mc::topic_matches("sport/tennis/+", "sport/tennis/player1"));
  CHECK_FALSE(mc::topic_matches("sport/tennis/+", "sport/tennis/player1/ranking"));
  CHECK_FALSE(mc::topic_matches("sport/+", "sport"));
  CHECK(mc::topic_matches("sport/+", "sport/"));
  CHECK(mc::topic_matches("+/+", "/finance"));
  CHECK(mc::topic_matches("/+", "/finance"));
  CHECK_FALSE(mc::topic_matches("+", "/finance"));
}

// ---- 5.0 statements ------------------------------------------------------------------------

TEST_CASE("MQTT-4.7.0-1 (5.0): wildcards may appear in topic filters, never in topic names") {
  CHECK(mc::validate_topic_filter("sport/+/player1/#", v5));
  CHECK_TOPIC_ERROR(mc::validate_topic_name("sport/+"), errc::topic_has_wildcard, 6,
                    "MQTT-4.7.0-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_name("sport/tennis/#"), errc::topic_has_wildcard, 13,
                    "MQTT-4.7.0-1");
  CHECK_TOPIC_ERROR(mc::check_topic_name_syntax("abcdefghijklmnop+"), errc::topic_has_wildcard, 16,
                    "MQTT-4.7.0-1");
  CHECK(mc::has_wildcards("a/+"));
  CHECK(mc::has_wildcards("0123456789abcdef#"));
  CHECK_FALSE(mc::has_wildcards("0123456789abcdef/$SYS"));
}

TEST_CASE("MQTT-4.7.1-1 (5.0): '#' must stand alone in the last level of a filter") {
  CHECK(mc::validate_topic_filter("#"));
  CHECK(mc::validate_topic_filter("sport/tennis/player1/#"));
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("sport/tennis#"), errc::invalid_topic_filter, 12,
                    "MQTT-4.7.1-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("sport/tennis/#/ranking"), errc::invalid_topic_filter,
                    13, "MQTT-4.7.1-1");
  CHECK(mc::topic_matches("sport/tennis/player1/#", "sport/tennis/player1"));
  CHECK(mc::topic_matches("sport/tennis/player1/#", "sport/tennis/player1/ranking"));
  CHECK(mc::topic_matches("#", "sport"));
  CHECK(mc::topic_matches("#", "/"));
}

TEST_CASE("MQTT-4.7.1-2 (5.0): '+' must occupy an entire level of a filter") {
  CHECK(mc::validate_topic_filter("+/tennis/#"));
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("sport+"), errc::invalid_topic_filter, 5,
                    "MQTT-4.7.1-2");
  CHECK_TOPIC_ERROR(mc::check_topic_filter_syntax("a/b+/c"), errc::invalid_topic_filter, 3,
                    "MQTT-4.7.1-2");
  CHECK(mc::topic_matches("sport/+/player1", "sport/tennis/player1"));
  CHECK(mc::topic_matches("+/+", "/finance"));
}

TEST_CASE("MQTT-4.7.2-1: a filter starting with a wildcard does not match a name starting with $") {
  CHECK_FALSE(mc::topic_matches("#", "$SYS/broker/uptime"));
  CHECK_FALSE(mc::topic_matches("+/monitor/Clients", "$SYS/monitor/Clients"));
  CHECK_FALSE(mc::topic_matches("+", "$"));
  CHECK(mc::topic_matches("$SYS/#", "$SYS/monitor/Clients"));
  CHECK(mc::topic_matches("$SYS/#", "$SYS"));
  CHECK(mc::topic_matches("$SYS/monitor/+", "$SYS/monitor/Clients"));
  CHECK(mc::topic_matches("$SYS/+/Clients", "$SYS/monitor/Clients"));
  // Only the first character counts: '$' further in is an ordinary character.
  CHECK(mc::topic_matches("+/$x", "a/$x"));
  CHECK(mc::topic_matches("a/+", "a/$x"));
  CHECK(mc::topic_matches("a/#", "a/$x"));
}

TEST_CASE("MQTT-4.7.3-1: topic names and topic filters are at least one character long") {
  for (const auto v : {v311, v5}) {
    CHECK_TOPIC_ERROR(mc::validate_topic_name("", v), errc::empty_topic, 0, "MQTT-4.7.3-1");
    CHECK_TOPIC_ERROR(mc::check_topic_name_syntax("", v), errc::empty_topic, 0, "MQTT-4.7.3-1");
    CHECK_TOPIC_ERROR(mc::validate_topic_filter("", v), errc::invalid_topic_filter, 0,
                      "MQTT-4.7.3-1");
    CHECK_TOPIC_ERROR(mc::check_topic_filter_syntax("", v), errc::invalid_topic_filter, 0,
                      "MQTT-4.7.3-1");
    // One character is enough, even a lone separator (two empty levels).
    CHECK(mc::validate_topic_name("/", v));
    CHECK(mc::validate_topic_filter("/", v));
    CHECK(mc::validate_topic_name(" ", v));
  }
  CHECK(mc::topic_matches("/", "/"));
  CHECK(mc::topic_matches("+/+", "/"));
  CHECK_FALSE(mc::topic_matches("+", "/"));
}

TEST_CASE("MQTT-4.7.3-2: topic names and topic filters do not contain U+0000") {
  using namespace std::string_view_literals;
  for (const auto v : {v311, v5}) {
    CHECK_TOPIC_ERROR(mc::validate_topic_name("a/\0b"sv, v), errc::utf8_null_character, 2,
                      "MQTT-4.7.3-2");
    CHECK_TOPIC_ERROR(mc::validate_topic_filter("abcdefghij/+/\0"sv, v), errc::utf8_null_character,
                      13, "MQTT-4.7.3-2");
    CHECK_TOPIC_ERROR(mc::validate_topic_name("\0"sv, v), errc::utf8_null_character, 0,
                      "MQTT-4.7.3-2");
  }
}

TEST_CASE("MQTT-4.7.3-3: topic names and topic filters encode to at most 65,535 bytes") {
  const std::string longest(65535, 'a');
  const std::string too_long(65536, 'a');
  for (const auto v : {v311, v5}) {
    CHECK(mc::validate_topic_name(longest, v));
    CHECK(mc::validate_topic_filter(longest, v));
    CHECK_TOPIC_ERROR(mc::validate_topic_name(too_long, v), errc::value_too_long, 65535,
                      "MQTT-4.7.3-3");
    CHECK_TOPIC_ERROR(mc::validate_topic_filter(too_long, v), errc::value_too_long, 65535,
                      "MQTT-4.7.3-3");
  }
  // The limit is in bytes, not characters: 21,845 three-byte characters are 65,535 bytes.
  std::string euro;
  for (int i = 0; i < 21845; ++i) euro += "\xE2\x82\xAC";
  CHECK(mc::validate_topic_name(euro));
  CHECK_TOPIC_ERROR(mc::validate_topic_name(euro + "a"), errc::value_too_long, 65535,
                    "MQTT-4.7.3-3");
}

TEST_CASE("MQTT-4.7.3-4: matching compares bytes, without normalization or case folding") {
  CHECK_FALSE(mc::topic_matches("ACCOUNTS", "Accounts"));
  CHECK_FALSE(mc::topic_matches("Accounts payable", "Accounts  payable"));
  CHECK_FALSE(mc::topic_matches("a ", "a"));
  // U+00E9 precomposed vs e + U+0301 combining acute: different bytes, different topics.
  CHECK(mc::validate_topic_name("caf\xC3\xA9"));
  CHECK(mc::validate_topic_name("cafe\xCC\x81"));
  CHECK_FALSE(mc::topic_matches("caf\xC3\xA9", "cafe\xCC\x81"));
  CHECK(mc::topic_matches("caf\xC3\xA9/+", "caf\xC3\xA9/\xF0\x9F\x98\x80"));
  CHECK_FALSE(mc::topic_matches("/a", "a"));
  CHECK_FALSE(mc::topic_matches("a/", "a"));
}

TEST_CASE("MQTT-1.5.3-3 / MQTT-1.5.4-3: a U+FEFF in a topic is part of it, never skipped") {
  CHECK(
      mc::validate_topic_name("\xEF\xBB\xBF"
                              "a"));
  CHECK_FALSE(mc::topic_matches("a",
                                "\xEF\xBB\xBF"
                                "a"));
  CHECK(mc::topic_matches("+",
                          "\xEF\xBB\xBF"
                          "a"));
}

TEST_CASE("MQTT-1.5.3-1 / MQTT-1.5.4-1: a topic is well-formed UTF-8") {
  // Offsets point at the start of the bad sequence, past a clean ASCII prefix of any length.
  CHECK_TOPIC_ERROR(mc::validate_topic_name("abc\xC0\xAF", v311), errc::invalid_utf8, 3,
                    "MQTT-1.5.3-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_name("sensors/x/\xED\xA0\x80", v5), errc::invalid_utf8, 10,
                    "MQTT-1.5.4-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("0123456789abcdef/\xFF/#", v5), errc::invalid_utf8,
                    17, "MQTT-1.5.4-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_name("\xE2\x82", v5), errc::invalid_utf8, 0, "MQTT-1.5.4-1");
  // A UTF-8 error wins over a wildcard that comes before it: the packet is malformed.
  CHECK_TOPIC_ERROR(mc::validate_topic_name("a+\xFF", v5), errc::invalid_utf8, 2, "MQTT-1.5.4-1");
  // The syntax-only checks leave UTF-8 to the caller.
  CHECK(mc::check_topic_name_syntax("\xFF"));
  CHECK(mc::check_topic_filter_syntax("\xFF/+"));
}

TEST_CASE("MQTT-3.3.2-2: the topic name of a PUBLISH contains no wildcard characters") {
  // The decoder calls check_topic_name_syntax after its own UTF-8 check.
  for (const auto v : {v311, v5}) {
    CHECK(mc::check_topic_name_syntax("sensors/building-7/floor-3/room-42/temperature", v));
    CHECK_FALSE(mc::check_topic_name_syntax("sensors/building-7/floor-3/room-42/+", v));
    CHECK_FALSE(mc::check_topic_name_syntax("sensors/building-7/floor-3/room-42/#", v));
  }
}

TEST_CASE("MQTT-3.3.2-3: a name is delivered only to subscriptions whose filter it matches") {
  struct row {
    const char* filter;
    const char* topic;
    bool match;
  };
  const row rows[] = {
      {"sport/tennis/player1/#", "sport/tennis/player1", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
      {"sport/#", "sport", true},
      {"sport/tennis/+", "sport/tennis/player1", true},
      {"sport/tennis/+", "sport/tennis/player1/ranking", false},
      {"sport/+", "sport", false},
      {"sport/+", "sport/", true},
      {"+/+", "/finance", true},
      {"/+", "/finance", true},
      {"+", "/finance", false},
      {"a//b", "a//b", true},
      {"a/+/b", "a//b", true},
      {"a/#", "a//b", true},
      {"a/b", "a/b/", false},
      {"a/b/", "a/b/", true},
      {"a/b/+", "a/b/", true},
      {"a/b/#", "a/b/", true},
      {"+/+/+", "a/b", false},
      {"a/b", "a/bc", false},
      {"a/bc", "a/b", false},
  };
  for (const row& r : rows) {
    INFO(r.filter << " vs " << r.topic);
    CHECK(mc::topic_matches(r.filter, r.topic) == r.match);
    CHECK(ref_match(r.filter, r.topic) == r.match);
  }
}

TEST_CASE("MQTT-4.8.2-1: a shared subscription starts with $share/ and has a non-empty ShareName") {
  const auto p = mc::parse_shared_subscription("$share/consumer1/sport/tennis/+");
  REQUIRE(p);
  CHECK(p->share_name == "consumer1");
  CHECK(p->filter == "sport/tennis/+");
  CHECK(mc::is_shared_subscription("$share/g/x"));
  // Case-sensitive, and the separator is part of the prefix.
  CHECK_FALSE(mc::is_shared_subscription("$SHARE/g/x"));
  CHECK_FALSE(mc::is_shared_subscription("$share"));
  // A constant expression too, the prefix cut without std::string_view::substr.
  STATIC_REQUIRE(mc::is_shared_subscription("$share/g/x"));
  STATIC_REQUIRE_FALSE(mc::is_shared_subscription("$shar"));
  CHECK_FALSE(mc::is_shared_subscription("$sharex/g/x"));
  CHECK(mc::validate_topic_filter("$SHARE/g/x"));  // an ordinary filter
  CHECK(mc::validate_topic_filter("$share"));      // an ordinary one-level filter
  CHECK_TOPIC_ERROR(mc::parse_shared_subscription("sport/tennis"), errc::invalid_topic_filter, 0,
                    "MQTT-4.8.2-1");
  CHECK_TOPIC_ERROR(mc::parse_shared_subscription("$share//sport"), errc::invalid_topic_filter, 7,
                    "MQTT-4.8.2-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("$share/"), errc::invalid_topic_filter, 7,
                    "MQTT-4.8.2-1");
  CHECK_TOPIC_ERROR(mc::check_topic_filter_syntax("$share//#"), errc::invalid_topic_filter, 7,
                    "MQTT-4.8.2-1");
  // In 3.1.1 there are no shared subscriptions: the same strings are ordinary filters.
  CHECK(mc::validate_topic_filter("$share//sport", v311));
  CHECK(mc::validate_topic_filter("$share/", v311));
}

TEST_CASE("MQTT-4.8.2-2: a ShareName has no '/', '+', '#' and is followed by '/' and a filter") {
  CHECK_TOPIC_ERROR(mc::parse_shared_subscription("$share/a+b/x"), errc::invalid_topic_filter, 8,
                    "MQTT-4.8.2-2");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("$share/#/x"), errc::invalid_topic_filter, 7,
                    "MQTT-4.8.2-2");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("$share/+"), errc::invalid_topic_filter, 7,
                    "MQTT-4.8.2-2");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("$share/group"), errc::invalid_topic_filter, 12,
                    "MQTT-4.8.2-2");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("$share/group/"), errc::invalid_topic_filter, 13,
                    "MQTT-4.8.2-2");
  // The filter after the name follows the ordinary rules, with offsets into the whole string.
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("$share/g/a#"), errc::invalid_topic_filter, 10,
                    "MQTT-4.7.1-1");
  CHECK_TOPIC_ERROR(mc::validate_topic_filter("$share/g/a+"), errc::invalid_topic_filter, 10,
                    "MQTT-4.7.1-2");
  // '/' cannot be inside a ShareName: the first '/' ends it and the rest is the filter.
  const auto p = mc::parse_shared_subscription("$share/g/h/i");
  REQUIRE(p);
  CHECK(p->share_name == "g");
  CHECK(p->filter == "h/i");
  for (const char* ok : {"$share/g/#", "$share/g/+", "$share/g//", "$share/g/$SYS/#",
                         "$share/\xC3\xA9quipe/a", "$share/g/$share/h/x"}) {
    INFO(ok);
    CHECK(mc::validate_topic_filter(ok));
  }
  // The shared filter is matched by its filter part; '$' rule applies to that part.
  const auto q = mc::parse_shared_subscription("$share/g/#");
  REQUIRE(q);
  CHECK(mc::topic_matches(q->filter, "a/b"));
  CHECK_FALSE(mc::topic_matches(q->filter, "$SYS/x"));
}

// ---- API details ---------------------------------------------------------------------------

TEST_CASE("topic validation: unknown protocol version is refused") {
  const auto bad = static_cast<protocol_version>(9);
  CHECK(mc::validate_topic_name("a", bad).error().code == errc::invalid_version);
  CHECK(mc::validate_topic_filter("a", bad).error().code == errc::invalid_version);
  CHECK(mc::check_topic_name_syntax("a", bad).error().code == errc::invalid_version);
  CHECK(mc::check_topic_filter_syntax("a", bad).error().code == errc::invalid_version);
}

TEST_CASE("topic validation: errors carry the 5.0 reason code a server answers with") {
  // 0x90 and 0x8F are for names and filters correctly formed but not accepted (Table 2-6).
  CHECK(mc::validate_topic_name("a/#").error().reason() == mc::reason_code::protocol_error);
  CHECK(mc::validate_topic_filter("a#").error().reason() == mc::reason_code::protocol_error);
}

TEST_CASE("topic validation: wildcard scan finds the first wildcard at every position") {
  // Exercises the word and vector scans (8 and 16 bytes, the three-vector form up to 48 bytes
  // and the loop beyond) at every alignment and position.
  for (std::size_t len = 1; len <= 80; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (const char w : {'+', '#'}) {
        std::string s(len, 'x');
        s[at] = w;
        INFO(len << " " << at << " " << w);
        CHECK(mc::has_wildcards(s));
        const auto r = mc::validate_topic_name(s);
        REQUIRE_FALSE(r);
        CHECK(r.error().offset == at);
        const auto c = mc::check_topic_name_syntax(s);
        REQUIRE_FALSE(c);
        CHECK(c.error().offset == at);
      }
      // A U+0000 or a non-ASCII byte anywhere leaves the fast path, and is found where it is.
      for (const char c : {'\0', '\x80'}) {
        std::string s(len, 'x');
        s[at] = c;
        INFO(len << " " << at << " byte " << static_cast<int>(static_cast<unsigned char>(c)));
        const auto r = mc::validate_topic_name(s);
        REQUIRE_FALSE(r);
        CHECK(r.error().offset == at);
      }
      // Bytes one bit away from a wildcard must not be taken for one.
      std::string near(len, 'x');
      near[at] = static_cast<char>(at % 2 ? 0x2A : 0x22);
      CHECK_FALSE(mc::has_wildcards(near));
      CHECK(mc::validate_topic_name(near));
    }
  }
}

TEST_CASE("topic validation: exhaustive differential against a level-splitting reference") {
  const std::vector<std::string> alphabet = {"a", "+", "#", "", "a+", "#b", "$share", "$x"};
  const auto all = all_topics(alphabet, 4);
  std::size_t valid_filters = 0;
  for (const auto& s : all) {
    for (const auto v : {v311, v5}) {
      INFO(s << " v" << static_cast<int>(v));
      const bool want_filter = ref_valid_filter(s, v);
      CHECK(mc::validate_topic_filter(s, v).has_value() == want_filter);
      CHECK(mc::check_topic_filter_syntax(s, v).has_value() == want_filter);
      CHECK(mc::is_valid_topic_filter(s, v) == want_filter);
      const bool want_name = ref_valid_name(s);
      CHECK(mc::validate_topic_name(s, v).has_value() == want_name);
      CHECK(mc::check_topic_name_syntax(s, v).has_value() == want_name);
      CHECK(mc::has_wildcards(s) == (s.find_first_of("+#") != std::string::npos));
      valid_filters += want_filter ? 1 : 0;
    }
  }
  CHECK(valid_filters > 100);
}

TEST_CASE("MQTT-4.7.1-1/-2, MQTT-4.7.2-1: topic_matches equals the reference on every pair") {
  // Every filter and name of up to four levels over an alphabet with '$', empty levels and
  // both wildcards: all combinations of the rules at every position.
  const std::vector<std::string> alphabet = {"a", "b", "$x", "", "+", "#"};
  const auto all = all_topics(alphabet, 4);
  std::vector<std::string> filters;
  std::vector<std::string> names;
  for (const auto& s : all) {
    if (mc::is_valid_topic_filter(s)) filters.push_back(s);
    if (mc::is_valid_topic_name(s)) names.push_back(s);
  }
  REQUIRE(filters.size() > 500);
  REQUIRE(names.size() > 300);
  std::size_t pairs = 0;
  std::size_t matches = 0;
  std::size_t mismatches = 0;
  for (const auto& f : filters) {
    for (const auto& t : names) {
      const bool got = mc::topic_matches(f, t);
      const bool want = ref_match(f, t);
      if (got != want) {
        ++mismatches;
        if (mismatches < 10) FAIL_CHECK(f << " vs " << t << ": got " << got);
      }
      matches += got ? 1 : 0;
      ++pairs;
    }
  }
  CHECK(mismatches == 0);
  CHECK(pairs > 100000);
  CHECK(matches > 1000);
}

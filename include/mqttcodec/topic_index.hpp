// mqttcodec: topic_index, which matches one topic name against many topic filters. The one
// part of the library that allocates (on insert and erase, never on match).
#ifndef MQTTCODEC_TOPIC_INDEX_HPP
#define MQTTCODEC_TOPIC_INDEX_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mqttcodec/config.hpp"
#include "mqttcodec/result.hpp"
#include "mqttcodec/topic.hpp"
#include "mqttcodec/types.hpp"

MQTTCODEC_NAMESPACE_BEGIN

namespace detail {

// Final mixer of MurmurHash3: every input bit reaches every output bit.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

// Hash of one topic level. Short keys are read with at most three loads (the wyhash trick:
// overlapping reads of the first and last bytes), so typical 5..15-byte levels cost no loop and
// no variable-length memcpy call.
inline std::uint64_t hash_level(const char* p, std::size_t n) noexcept {
  std::uint64_t a;
  std::uint64_t b;
  if (n >= 8) {
    std::uint64_t h = 0x243f6a8885a308d3ull ^ n;
    std::size_t i = 0;
    for (; i + 8 < n; i += 8) h = (h ^ load64(p + i)) * 0x9e3779b97f4a7c15ull;
    a = h;
    b = load64(p + n - 8);
  } else if (n >= 4) {
    a = load32(p);
    b = load32(p + n - 4);
  } else if (n > 0) {
    a = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
        static_cast<unsigned char>(p[n - 1]);
    b = 0;
  } else {
    a = 0;
    b = 0;
  }
  return mix64(a ^ mix64(b ^ (n * 0x9e3779b97f4a7c15ull)));
}

// Byte equality of two short strings without a library call: levels are mostly a few bytes
// long, where a memcmp call costs more than the comparison.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (load64(a + i) != load64(b + i)) return false;
    }
    return load64(a + n - 8) == load64(b + n - 8);
  }
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Index of the first '/' in [p + from, p + n), or n; eight bytes at a time.
inline std::size_t find_separator(const char* p, std::size_t from, std::size_t n) noexcept {
  std::size_t i = from;
  while (i + 8 <= n && !has_zero_byte(load64(p + i) ^ 0x2F2F2F2F2F2F2F2Full)) i += 8;
  while (i < n && p[i] != '/') ++i;
  return i;
}

// A node's salt: what its index contributes to the keys of its children's edges. An odd
// multiplier makes distinct indices differ in the low bits that pick a table slot.
constexpr std::uint64_t node_salt(std::uint32_t index) noexcept {
  return (static_cast<std::uint64_t>(index) + 1) * 0x9e3779b97f4a7c15ull;
}

// Key of the edge (parent, level). The level's hash is already mixed and is computed once per
// topic level; the parent's salt is stored in the parent node, loaded with its other fields,
// so no multiply sits on the critical path of a lookup.
constexpr std::uint64_t edge_hash(std::uint64_t parent_salt, std::uint64_t level_hash) noexcept {
  return level_hash ^ parent_salt;
}

}  // namespace detail

/// Contiguous read-only values, as handed to a visitor (a std::span stand-in for C++17).
template <class T>
class value_range {
 public:
  /// An empty range.
  constexpr value_range() noexcept = default;
  /// The `size` values at `data`.
  constexpr value_range(const T* data, std::size_t size) noexcept : data_(data), size_(size) {}
  /// The first value, for range-for.
  [[nodiscard]] constexpr const T* begin() const noexcept { return data_; }
  /// One past the last value.
  [[nodiscard]] constexpr const T* end() const noexcept { return data_ + size_; }
  /// The first value.
  [[nodiscard]] constexpr const T* data() const noexcept { return data_; }
  /// The number of values.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  /// Whether size() is 0.
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  /// Value `i`, which must be below size() (not checked).
  [[nodiscard]] constexpr const T& operator[](std::size_t i) const noexcept { return data_[i]; }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// One shared subscription that matched (5.0 §4.8.2): the message goes to ONE of `members`,
/// which the broker picks (round robin, least loaded, ...). A shared subscription is identified
/// by its whole filter `$share/{share_name}/{...}`: the same ShareName with two different
/// filters is two subscriptions, and both may match one topic.
template <class T>
struct shared_match {
  std::string_view share_name;  ///< the ShareName
  std::string_view filter;      ///< the whole filter as subscribed, `$share/...`; a stable key
  value_range<T> members;       ///< the values inserted under this filter, never empty
};

/// Many topic filters, each with one or more values of type T, matched against one topic name
/// at a time (3.1.1 and 5.0 §4.7, shared subscriptions 5.0 §4.8.2).
///
/// Structure: a trie with one node per distinct filter prefix (so memory grows with the number
/// of distinct levels, not with the number of filters times their length). Each node keeps its
/// level text (short levels sit inside the string's small buffer), its parent, and direct
/// indices of its '+' and '#' children; literal children are found through ONE open-addressing
/// hash table keyed by (parent, level) for the whole index, so a node with one child costs a
/// table slot (8 bytes) instead of a per-node map. Nodes live in one vector (an arena addressed
/// by 32-bit indices, with a free list), so the structure is compact and copyable.
///
/// Matching walks the trie one topic level at a time: the nodes alive at a level (at most 64,
/// in two fixed arrays on the stack) all look up the same level text, so it is hashed once and
/// their lookups can overlap; a node without literal children skips the lookup. A node beyond
/// those 64 is walked depth first on its own, without recursion (a node's parent index and
/// whether it is its parent's '+' child say where to resume). So match uses a fixed amount of
/// stack whatever the topic or the filters, never allocates, and may run concurrently with
/// other matches (it is const and touches no shared scratch).
///
/// `$`-topics: a filter starting with '+' or '#' does not match a topic starting with '$'
/// (MQTT-4.7.2-1). Values are visited in no particular order. Insert and erase allocate through
/// `Allocator` (rebound for internal types). T must be move-constructible; erase,
/// erase_if and insert_or_assign also move-assign it (the values of a filter are kept in a
/// vector), and erase compares with ==. Not `bool`: std::vector<bool> keeps no array for
/// match to hand out; wrap it in a struct.
template <class T, class Allocator = std::allocator<T>>
class topic_index {
  static_assert(!std::is_same_v<T, bool>,
                "topic_index<bool>: std::vector<bool> stores bits, match needs an array of T; "
                "use a struct or an enum with one bool's meaning");
  using alloc_traits = std::allocator_traits<Allocator>;
  template <class U>
  using alloc_of = typename alloc_traits::template rebind_alloc<U>;
  template <class U>
  using vector_of = std::vector<U, alloc_of<U>>;
  using string_type = std::basic_string<char, std::char_traits<char>, alloc_of<char>>;

 public:
  using value_type = T;              ///< what each filter maps to
  using allocator_type = Allocator;  ///< allocates the index's nodes and strings

  /// An empty index.
  topic_index() : topic_index(Allocator()) {}
  /// An empty index allocating through `alloc`.
  explicit topic_index(const Allocator& alloc)
      : alloc_(alloc),
        nodes_(alloc_of<node>(alloc)),
        free_nodes_(alloc_of<std::uint32_t>(alloc)),
        payloads_(alloc_of<payload>(alloc)),
        free_payloads_(alloc_of<std::uint32_t>(alloc)),
        table_(alloc_of<slot>(alloc)) {
    clear();
  }

  /// Adds `value` under `filter`. The filter is validated first (validate_topic_filter for
  /// `version`); an invalid filter leaves the index unchanged and returns its error. In 5.0 a
  /// `$share/{name}/{f}` filter is stored as a member of the shared subscription (name, f);
  /// in 3.1.1 it is an ordinary filter. The same (filter, value) may be added twice; it is then
  /// visited twice.
  result<void> insert(std::string_view filter, T value,
                      protocol_version version = protocol_version::v5) {
    const auto added = insert_or_assign(filter, std::move(value), never_same{}, version);
    if (!added) return added.error();
    return {};
  }

  /// Adds `value` under `filter` as insert() does, unless an entry under the same filter
  /// satisfies `same(entry)`: that entry is then replaced by `value`. This is a broker's
  /// SUBSCRIBE with a filter its client already subscribed to, which replaces the subscription
  /// ([MQTT-3.8.4-3] in 3.1.1 and 5.0); `same` compares the client. Returns true when it added
  /// an entry, false when it replaced one; an invalid filter leaves the index unchanged and
  /// returns its error. One walk of the filter either way.
  template <class Same>
  result<bool> insert_or_assign(std::string_view filter, T value, Same same,
                                protocol_version version = protocol_version::v5) {
    auto valid = validate_topic_filter(filter, version);
    if (!valid) return valid.error();
    const shared_subscription parts = split_filter(filter, version);
    rollback undo{*this};
    const std::uint32_t n = make_path(parts.filter, undo.reached);
    if (nodes_[n].payload == npos) nodes_[n].payload = new_payload();
    payload& pl = payloads_[nodes_[n].payload];
    auto place = [&](auto& entries) {
      // insert() adds without looking: many clients on one filter stay O(1) each.
      if constexpr (!std::is_same_v<Same, never_same>) {
        for (T& e : entries) {
          if (same(static_cast<const T&>(e))) {
            e = std::move(value);
            undo.done = true;
            return false;
          }
        }
      }
      entries.push_back(std::move(value));
      ++size_;
      undo.done = true;
      return true;
    };
    if (parts.share_name.data() == nullptr) return place(pl.values);
    group* g = find_group(pl, parts.share_name);
    if (g == nullptr) {
      pl.groups.emplace_back(alloc_);
      g = &pl.groups.back();
      g->share_name.assign(parts.share_name.data(), parts.share_name.size());
      g->filter.assign(filter.data(), filter.size());
    }
    return place(g->members);
  }

  /// Removes every entry equal to `value` under `filter` (the same text and version that
  /// inserted it) and returns how many were removed (0 when the filter is unknown or invalid).
  /// Nodes and shared groups left empty are freed.
  std::size_t erase(std::string_view filter, const T& value,
                    protocol_version version = protocol_version::v5) {
    return erase_if(
        filter, [&value](const T& v) { return v == value; }, version);
  }

  /// Removes every entry under `filter` for which `pred(entry)` is true; returns the count.
  template <class Pred>
  std::size_t erase_if(std::string_view filter, Pred pred,
                       protocol_version version = protocol_version::v5) {
    if (!validate_topic_filter(filter, version)) return 0;
    const shared_subscription parts = split_filter(filter, version);
    const std::uint32_t n = find_path(parts.filter);
    if (n == npos || nodes_[n].payload == npos) return 0;
    payload& pl = payloads_[nodes_[n].payload];
    std::size_t removed = 0;
    if (parts.share_name.data() == nullptr) {
      removed = remove_matching(pl.values, pred);
    } else if (group* g = find_group(pl, parts.share_name)) {
      removed = remove_matching(g->members, pred);
      if (g->members.empty()) {
        // Order of groups is not observable; swap-and-pop keeps erase O(groups).
        if (g != &pl.groups.back()) std::swap(*g, pl.groups.back());
        pl.groups.pop_back();
      }
    }
    size_ -= removed;
    if (pl.values.empty() && pl.groups.empty()) {
      free_payload(nodes_[n].payload);
      nodes_[n].payload = npos;
      prune(n);
    }
    return removed;
  }

  /// Calls `on_value(const T&)` for each value of each non-shared filter that matches `topic`.
  /// Shared subscriptions are skipped: see the three-argument form. Precondition: `topic` is a
  /// valid topic name (an empty one matches nothing). Never allocates.
  template <class OnValue>
  void match(std::string_view topic, OnValue&& on_value) const {
    walk(topic, on_value, [](const shared_match<T>&) {});
  }

  /// Calls `on_value(const T&)` for each value of each matching non-shared filter, and
  /// `on_shared(const shared_match<T>&)` once for each matching shared subscription, whose
  /// members the broker picks one from (5.0 §4.8.2). One walk serves both. Never allocates.
  template <class OnValue, class OnShared>
  void match(std::string_view topic, OnValue&& on_value, OnShared&& on_shared) const {
    walk(topic, on_value, on_shared);
  }

  /// Calls `on_shared(const shared_match<T>&)` once for each matching shared subscription.
  template <class OnShared>
  void match_shared(std::string_view topic, OnShared&& on_shared) const {
    walk(
        topic, [](const T&) {}, on_shared);
  }

  /// Number of stored entries (values of ordinary filters plus members of shared ones).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// True when nothing is stored.
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// Number of live trie nodes including the root: the distinct filter prefixes.
  [[nodiscard]] std::size_t node_count() const noexcept {
    return nodes_.size() - free_nodes_.size();
  }
  /// The allocator the index was built with.
  [[nodiscard]] allocator_type get_allocator() const noexcept { return alloc_; }

  /// Removes everything; keeps the allocator.
  void clear() {
    nodes_.clear();
    free_nodes_.clear();
    payloads_.clear();
    free_payloads_.clear();
    table_.assign(initial_capacity, slot{});
    edges_ = 0;
    size_ = 0;
    nodes_.emplace_back(alloc_);
    nodes_[root].kind = kind_root;
    nodes_[root].salt = detail::node_salt(root);
  }

 private:
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;
  static constexpr std::uint32_t root = 0;
  static constexpr std::size_t initial_capacity = 16;  // power of two
  static constexpr std::size_t cached_levels = 32;
  // The `same` of insert(): nothing is replaced, and nothing is compared.
  struct never_same {
    bool operator()(const T&) const noexcept { return false; }
  };
  static constexpr std::size_t frontier_capacity = 64;

  enum : std::uint8_t { kind_free, kind_root, kind_literal, kind_plus, kind_hash };

  struct group {
    explicit group(const Allocator& a) : share_name(a), filter(a), members(a) {}
    string_type share_name;
    string_type filter;
    vector_of<T> members;
  };
  struct payload {
    explicit payload(const Allocator& a) : values(a), groups(a) {}
    vector_of<T> values;
    vector_of<group> groups;
  };
  // 64 bytes, one cache line: a visit touches one line per node.
  struct alignas(64) node {
    explicit node(const Allocator& a) : level(a) {}
    std::uint64_t salt = 0;              // node_salt(own index)
    std::uint32_t parent = npos;         //
    std::uint32_t plus = npos;           // the '+' child
    std::uint32_t multi = npos;          // the '#' child
    std::uint32_t payload = npos;        // index into payloads_, if any filter ends here
    std::uint32_t literal_children = 0;  // so match skips lookups and erase knows a leaf
    std::uint8_t kind = kind_free;       //
    string_type level;                   // literal level text; empty for '+', '#', root
  };
  struct slot {
    std::uint32_t child = npos;  // npos: empty
    std::uint32_t tag = 0;       // high half of the edge hash, to reject most probes early
  };

  // Undoes what an insertion added before an allocation threw (a std::bad_alloc, or a pool
  // allocator's own exception), so that the index stays whole: no node without a payload or
  // a child, no '#' node without a payload (walks read it unchecked), no shared group without
  // members, no counter out of step. `reached` is the deepest node the insertion reached. Nothing
  // it calls allocates: the free lists have room for every node and payload (new_node,
  // new_payload).
  struct rollback {
    explicit rollback(topic_index& index) noexcept : self(index) {}
    rollback(const rollback&) = delete;
    rollback& operator=(const rollback&) = delete;
    ~rollback() {
      if (done) return;
      const std::uint32_t pi = self.nodes_[reached].payload;
      if (pi != npos) {
        payload& pl = self.payloads_[pi];
        // Only a group this insertion created can be empty.
        if (!pl.groups.empty() && pl.groups.back().members.empty()) pl.groups.pop_back();
        if (pl.values.empty() && pl.groups.empty()) {
          self.free_payload(pi);
          self.nodes_[reached].payload = npos;
        }
      }
      self.prune(reached);
    }
    topic_index& self;
    std::uint32_t reached = root;
    bool done = false;
  };

  // ---- matching ----------------------------------------------------------------------

  template <class OnValue, class OnShared>
  void emit(std::uint32_t payload_index, OnValue& on_value, OnShared& on_shared) const {
    const payload& pl = payloads_[payload_index];
    for (const T& v : pl.values) on_value(v);
    for (const group& g : pl.groups) {
      on_shared(shared_match<T>{std::string_view(g.share_name.data(), g.share_name.size()),
                                std::string_view(g.filter.data(), g.filter.size()),
                                value_range<T>(g.members.data(), g.members.size())});
    }
  }

  // Level-synchronous walk: all nodes alive at depth d look up the same topic level, so its
  // end and hash are computed once, and their lookups are independent of each other, which lets
  // the processor overlap them (a depth-first walk chains every lookup on the one before).
  // The frontier lives on the stack; a node that does not fit is walked depth first on its own
  // by walk_subtree, so any topic and any filter set work in fixed stack space.
  template <class OnValue, class OnShared>
  void walk(std::string_view topic, OnValue&& on_value, OnShared&& on_shared) const {
    MQTTCODEC_ASSERT(topic.empty() || is_valid_topic_name(topic));
    const std::size_t size = topic.size();
    if (size == 0) return;
    const char* const text = topic.data();
    // A topic starting with '$' is not matched by the root's '+' and '#' (MQTT-4.7.2-1).
    const bool dollar = text[0] == '$';
    std::uint32_t frontier[2][frontier_capacity];
    std::uint32_t* cur = frontier[0];
    std::uint32_t* next = frontier[1];
    std::size_t cur_size = 1;
    cur[0] = root;
    std::size_t pos = 0;  // start of level `depth`; size + 1 once the topic is used up
    for (std::size_t depth = 0;; ++depth) {
      const bool at_root = depth == 0;
      if (pos > size) {
        // Every level consumed: nodes here end matching filters, and so do their '#'
        // children ("a/#" matches "a").
        for (std::size_t k = 0; k < cur_size; ++k) {
          const node& nd = nodes_[cur[k]];
          if (nd.payload != npos) emit(nd.payload, on_value, on_shared);
          if (nd.multi != npos) emit(nodes_[nd.multi].payload, on_value, on_shared);
        }
        return;
      }
      const std::size_t level_end = detail::find_separator(text, pos, size);
      const std::string_view level(text + pos, level_end - pos);
      const std::uint64_t level_hash = detail::hash_level(level.data(), level.size());
      std::size_t next_size = 0;
      auto push = [&](std::uint32_t c) {
        if (MQTTCODEC_LIKELY(next_size < frontier_capacity)) {
          next[next_size++] = c;
        } else {
          walk_subtree(c, depth + 1, level_end + 1, text, size, on_value, on_shared);
        }
      };
      for (std::size_t k = 0; k < cur_size; ++k) {
        const node& nd = nodes_[cur[k]];
        if (nd.multi != npos && !(at_root && dollar)) {
          emit(nodes_[nd.multi].payload, on_value, on_shared);
        }
        if (nd.literal_children != 0) {
          const std::uint32_t c = find_child(cur[k], level_hash, level);
          if (c != npos) push(c);
        }
        if (nd.plus != npos && !(at_root && dollar)) push(nd.plus);
      }
      if (next_size == 0) return;
      std::swap(cur, next);
      cur_size = next_size;
      pos = level_end + 1;
    }
  }

  // Depth-first walk of the subtree under `start` (at `start_depth`, whose next topic level
  // begins at `start_pos`), without recursion and without a stack: a node's parent index and
  // whether it is its parent's '+' child say where to resume. The start of each topic level is
  // cached for the first levels below start and found again by a backward scan beyond.
  template <class OnValue, class OnShared>
  void walk_subtree(std::uint32_t start, std::size_t start_depth, std::size_t start_pos,
                    const char* text, std::size_t size, OnValue& on_value,
                    OnShared& on_shared) const {
    const bool dollar = text[0] == '$';
    std::size_t starts[cached_levels];
    std::uint64_t hashes[cached_levels];
    std::size_t ends[cached_levels];
    std::size_t known = 0;  // levels start_depth .. start_depth + known - 1 are cached

    std::uint32_t n = start;
    std::size_t depth = start_depth;
    std::size_t pos = start_pos;
    for (;;) {
      // Enter node n, which has consumed levels 0 .. depth-1.
      const node& nd = nodes_[n];
      if (nd.multi != npos && !(depth == 0 && dollar)) {
        emit(nodes_[nd.multi].payload, on_value, on_shared);
      }
      std::uint32_t next = npos;
      std::size_t level_end = 0;
      const std::size_t rel = depth - start_depth;
      if (pos > size) {
        if (nd.payload != npos) emit(nd.payload, on_value, on_shared);
      } else if (nd.literal_children != 0 || nd.plus != npos) {
        std::uint64_t level_hash;
        if (rel < known) {
          level_end = ends[rel];
          level_hash = hashes[rel];
        } else {
          level_end = detail::find_separator(text, pos, size);
          level_hash = detail::hash_level(text + pos, level_end - pos);
          if (rel == known && rel < cached_levels) {
            starts[rel] = pos;
            ends[rel] = level_end;
            hashes[rel] = level_hash;
            ++known;
          }
        }
        if (nd.literal_children != 0) {
          next = find_child(n, level_hash, std::string_view(text + pos, level_end - pos));
        }
        if (next == npos && !(depth == 0 && dollar)) next = nd.plus;
      }
      if (next != npos) {
        n = next;
        ++depth;
        pos = level_end + 1;
        continue;
      }
      // Backtrack: the next place to go is the '+' sibling of the nearest literal ancestor
      // (or of n itself) that has one, without leaving the subtree.
      for (;;) {
        if (n == start) return;
        const std::uint32_t parent = nodes_[n].parent;
        const node& pn = nodes_[parent];
        if (pn.plus != n && pn.plus != npos && !(depth == 1 && dollar)) {
          n = pn.plus;  // same depth, same topic level
          break;
        }
        n = parent;
        --depth;
        if (depth - start_depth < known) {
          pos = starts[depth - start_depth];
        } else {
          // Level `depth` ends just before `pos` (at a '/' or the end); find its start.
          std::size_t s = pos - 1;
          while (s > 0 && text[s - 1] != '/') --s;
          pos = s;
        }
      }
    }
  }

  std::uint32_t find_child(std::uint32_t parent, std::uint64_t level_hash,
                           std::string_view level) const noexcept {
    const std::uint64_t h = detail::edge_hash(nodes_[parent].salt, level_hash);
    const std::size_t mask = table_.size() - 1;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      const slot& s = table_[i];
      if (s.child == npos) return npos;
      if (s.tag == tag) {
        const node& c = nodes_[s.child];
        if (c.parent == parent && c.level.size() == level.size() &&
            detail::same_bytes(c.level.data(), level.data(), level.size())) {
          return s.child;
        }
      }
    }
  }

  // ---- building ----------------------------------------------------------------------

  // The share name (null data for an ordinary filter) and the levels of a valid filter:
  // `$share/` filters are shared subscriptions in 5.0 only.
  static shared_subscription split_filter(std::string_view filter, protocol_version version) {
    if (version == protocol_version::v5 && is_shared_subscription(filter)) {
      return *parse_shared_subscription(filter);
    }
    return {std::string_view{}, filter};
  }

  // Calls f(level, is_last) for each level of a syntactically valid filter.
  template <class F>
  static void for_each_level(std::string_view filter, F&& f) {
    std::size_t pos = 0;
    for (;;) {
      const std::size_t slash = filter.find('/', pos);
      if (slash == std::string_view::npos) {
        f(detail::slice(filter, pos));
        return;
      }
      f(detail::slice(filter, pos, slash - pos));
      pos = slash + 1;
    }
  }

  // The node of `filter`, created with its missing ancestors; `reached` follows the deepest
  // node so far, for the rollback should an allocation throw half way.
  std::uint32_t make_path(std::string_view filter, std::uint32_t& reached) {
    std::uint32_t n = root;
    for_each_level(filter, [&](std::string_view level) {
      if (level == "+") {
        if (nodes_[n].plus == npos) {
          const std::uint32_t c = new_node(n, kind_plus);
          nodes_[n].plus = c;
        }
        n = nodes_[n].plus;
      } else if (level == "#") {
        if (nodes_[n].multi == npos) {
          const std::uint32_t c = new_node(n, kind_hash);
          nodes_[n].multi = c;
        }
        n = nodes_[n].multi;
      } else {
        const std::uint64_t lh = detail::hash_level(level.data(), level.size());
        std::uint32_t c = find_child(n, lh, level);
        if (c == npos) {
          // Everything that allocates comes first, then the links that cannot fail.
          string_type text(level.data(), level.size(), alloc_);
          if ((edges_ + 1) * 2 > table_.size()) grow();  // at most half full
          c = new_node(n, kind_free);
          nodes_[c].level = std::move(text);  // the same allocator: no allocation
          ++nodes_[n].literal_children;
          place(c);
          ++edges_;
          nodes_[c].kind = kind_literal;
        }
        n = c;
      }
      reached = n;
    });
    return n;
  }

  std::uint32_t find_path(std::string_view filter) const {
    std::uint32_t n = root;
    for_each_level(filter, [&](std::string_view level) {
      if (n == npos) return;
      if (level == "+") {
        n = nodes_[n].plus;
      } else if (level == "#") {
        n = nodes_[n].multi;
      } else {
        n = find_child(n, detail::hash_level(level.data(), level.size()), level);
      }
    });
    return n;
  }

  std::uint32_t new_node(std::uint32_t parent, std::uint8_t kind) {
    std::uint32_t i;
    if (!free_nodes_.empty()) {
      i = free_nodes_.back();
      free_nodes_.pop_back();
    } else {
      keep_room(free_nodes_, nodes_.size());  // every node but the root, this one included
      i = static_cast<std::uint32_t>(nodes_.size());
      nodes_.emplace_back(alloc_);
    }
    node& nd = nodes_[i];
    nd.salt = detail::node_salt(i);
    nd.parent = parent;
    nd.kind = kind;
    return i;
  }

  // Frees empty nodes from n upwards: a node with no payload and no children serves nothing.
  void prune(std::uint32_t n) {
    while (n != root) {
      node& nd = nodes_[n];
      if (nd.payload != npos || nd.plus != npos || nd.multi != npos || nd.literal_children != 0) {
        return;
      }
      const std::uint32_t parent = nd.parent;
      node& pn = nodes_[parent];
      if (nd.kind == kind_plus) {
        pn.plus = npos;
      } else if (nd.kind == kind_hash) {
        pn.multi = npos;
      } else {
        erase_edge(n);
        --pn.literal_children;
      }
      nd.level.clear();
      nd.level.shrink_to_fit();
      nd.parent = npos;
      nd.kind = kind_free;
      free_nodes_.push_back(n);
      n = parent;
    }
  }

  std::uint32_t new_payload() {
    if (!free_payloads_.empty()) {
      const std::uint32_t i = free_payloads_.back();
      free_payloads_.pop_back();
      return i;
    }
    keep_room(free_payloads_, payloads_.size() + 1);  // every payload, this one included
    payloads_.emplace_back(alloc_);
    return static_cast<std::uint32_t>(payloads_.size() - 1);
  }

  // Gives a free list room for `count` entries before an index that may be freed is handed
  // out, so that freeing never allocates: prune and free_payload run in rollback, a
  // destructor. The room doubles, so the reservations cost O(1) amortized.
  static void keep_room(vector_of<std::uint32_t>& free_list, std::size_t count) {
    if (free_list.capacity() < count) free_list.reserve(2 * count);
  }

  void free_payload(std::uint32_t i) {
    payloads_[i].values.shrink_to_fit();
    payloads_[i].groups.shrink_to_fit();
    free_payloads_.push_back(i);
  }

  static group* find_group(payload& pl, std::string_view share_name) noexcept {
    for (group& g : pl.groups) {
      if (std::string_view(g.share_name.data(), g.share_name.size()) == share_name) return &g;
    }
    return nullptr;
  }

  template <class Pred>
  static std::size_t remove_matching(vector_of<T>& values, Pred& pred) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!pred(static_cast<const T&>(values[i]))) {
        if (kept != i) values[kept] = std::move(values[i]);
        ++kept;
      }
    }
    const std::size_t removed = values.size() - kept;
    while (values.size() > kept) values.pop_back();
    return removed;
  }

  // ---- the edge table: open addressing, linear probing, at most half full --------------

  // The table key of a literal node, recomputed (not stored) to keep nodes one line long.
  std::uint64_t key_of(std::uint32_t child) const noexcept {
    const node& c = nodes_[child];
    return detail::edge_hash(nodes_[c.parent].salt,
                             detail::hash_level(c.level.data(), c.level.size()));
  }

  // Rehashes the edges already in the table into a table twice the size. The node being added
  // is not yet marked literal, so it is placed once, by make_path.
  void grow() {
    // Into a new vector, then swapped in: assign() may free the old table before allocating
    // the new one (libc++ does), and a failed allocation would leave no table at all.
    vector_of<slot> bigger(table_.size() * 2, slot{}, table_.get_allocator());
    table_.swap(bigger);
    for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].kind == kind_literal) place(i);
    }
  }

  void place(std::uint32_t child) {
    const std::uint64_t h = key_of(child);
    const std::size_t mask = table_.size() - 1;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (table_[i].child != npos) i = (i + 1) & mask;
    table_[i] = slot{child, static_cast<std::uint32_t>(h >> 32)};
  }

  // Backward-shift deletion keeps probe sequences unbroken without tombstones.
  void erase_edge(std::uint32_t child) {
    const std::size_t mask = table_.size() - 1;
    std::size_t i = static_cast<std::size_t>(key_of(child)) & mask;
    while (table_[i].child != child) i = (i + 1) & mask;
    for (std::size_t j = (i + 1) & mask; table_[j].child != npos; j = (j + 1) & mask) {
      const std::size_t home = static_cast<std::size_t>(key_of(table_[j].child)) & mask;
      // Move the entry at j into the hole at i unless its home lies cyclically in (i, j].
      if (((j - home) & mask) >= ((j - i) & mask)) {
        table_[i] = table_[j];
        i = j;
      }
    }
    table_[i] = slot{};
    --edges_;
  }

  Allocator alloc_;
  vector_of<node> nodes_;
  vector_of<std::uint32_t> free_nodes_;
  vector_of<payload> payloads_;
  vector_of<std::uint32_t> free_payloads_;
  vector_of<slot> table_;
  std::size_t edges_ = 0;
  std::size_t size_ = 0;
};

MQTTCODEC_NAMESPACE_END

#endif

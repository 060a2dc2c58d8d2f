// mqttcodec: the one read-only list type behind every repeated field (User Properties,
// PUBLISH Subscription Identifiers, SUBSCRIBE subscriptions, UNSUBSCRIBE topic filters).
#ifndef MQTTCODEC_DETAIL_LAZY_LIST_HPP
#define MQTTCODEC_DETAIL_LAZY_LIST_HPP

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <type_traits>
#include <utility>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"

MQTTCODEC_NAMESPACE_BEGIN
namespace detail {

/// A list that is either the caller's array of values (to encode) or validated wire bytes
/// walked on demand (after decode). It never owns and never allocates. `Element` says how to
/// walk the bytes, which start at the first element:
///   using value_type = …;
///   static const std::uint8_t* next(const std::uint8_t* at, const std::uint8_t* end);
///   static value_type parse(const std::uint8_t* at);
///   static constexpr bool encoded_form;  // can decoded bytes be marked as their encoding?
/// where `next` returns the position of the element after the one at `at`, or `end`. An
/// Element with encoded_form also has
///   static bool is_element(const std::uint8_t* p);  // does an element start at p?
///   static const std::uint8_t* end_of(const std::uint8_t* at);  // the end of the one at `at`
template <class Element>
class lazy_list {
 public:
  using value_type = typename Element::value_type;

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = typename Element::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = value_type;

    iterator() noexcept = default;
    MQTTCODEC_HOT_INLINE value_type operator*() const noexcept {
      return end_ != nullptr ? Element::parse(bytes()) : *static_cast<const value_type*>(pos_);
    }
    MQTTCODEC_HOT_INLINE iterator& operator++() noexcept {
      if (end_ != nullptr) {
        pos_ = Element::next(bytes(), end_);
      } else {
        pos_ = static_cast<const value_type*>(pos_) + 1;
      }
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    // Iterators of one list share their backing, so the position alone tells them apart.
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.pos_ == b.pos_;
    }
    friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

   private:
    friend class lazy_list;
    const std::uint8_t* bytes() const noexcept { return static_cast<const std::uint8_t*>(pos_); }

    // One position for either backing, so that a loop compares one pointer: an element of the
    // caller's array, or a byte of the decoded list, which is walked until `end_`. A null
    // `end_` marks the array (decoded bytes that end at null hold no element to read).
    const void* pos_ = nullptr;
    const std::uint8_t* end_ = nullptr;
  };

  /// A walk of the list that a loop drives with one call per element, `while (c.next(v))`,
  /// where a range-for makes three (compare, read, advance) and computes end() apart from
  /// begin(): less code in builds for size, the same work.
  class cursor {
   public:
    explicit cursor(const lazy_list& l) noexcept : it_(l.begin()), stop_(l.end().pos_) {}
    /// Sets `out` to the next value; false, `out` untouched, after the last.
    bool next(value_type& out) noexcept {
      if (it_.pos_ == stop_) return false;
      out = *it_;
      ++it_;
      return true;
    }

   private:
    iterator it_;
    const void* stop_;
  };

  constexpr lazy_list() noexcept = default;
  /// A list over `n` caller values (for encoding). The array must outlive the list.
  constexpr lazy_list(const value_type* values, std::size_t n) noexcept : ptr_(values), n_(n) {}
  /// A list over any contiguous container of values (std::array, std::vector, C array).
  template <
      class R,
      class = std::enable_if_t<std::is_same_v<
          std::remove_cv_t<std::remove_reference_t<decltype(*std::data(std::declval<const R&>()))>>,
          value_type>>>
  constexpr lazy_list(const R& values) noexcept  // NOLINT: implicit, like a span
      : ptr_(std::data(values)), n_(std::size(values)) {}

  /// A list over validated bytes as produced by decode, starting at the list's first element
  /// (so non-empty bytes hold at least one). Not for caller bytes: they are not re-validated.
  /// `encoded`: each element's bytes are exactly what an encoder writes for it (checked as
  /// the encoder checks it, in its shortest form), so an encoder may copy them instead of
  /// checking and writing each element again (encoded_bytes).
  static lazy_list from_wire(bytes_view bytes, bool encoded = false) noexcept {
    lazy_list l;
    l.ptr_ = bytes.data();
    // Never on empty bytes, so that empty() need not shift encoded_flag out: every list's
    // empty() is then the same shift, and a packet's lists are tested together.
    const bool mark = Element::encoded_form && encoded && !bytes.empty();
    l.n_ = bytes.size() | wire_flag | (mark ? encoded_flag : 0);
    return l;
  }

  [[nodiscard]] MQTTCODEC_HOT_INLINE iterator begin() const noexcept {
    iterator it;
    if (from_wire()) {
      it.end_ = wire_end();
      it.pos_ = wire_begin();
    } else {
      it.pos_ = array();
    }
    return it;
  }
  [[nodiscard]] MQTTCODEC_HOT_INLINE iterator end() const noexcept {
    iterator it;
    if (from_wire()) {
      it.end_ = wire_end();
      it.pos_ = it.end_;
    } else {
      it.pos_ = array() + n_;
    }
    return it;
  }
  /// Number of values (a walk of the bytes for decoded lists).
  [[nodiscard]] std::size_t size() const noexcept {
    if (!from_wire()) return n_;
    std::size_t n = 0;
    for (auto it = begin(); it != end(); ++it) ++n;
    return n;
  }
  /// Settled by the count alone: decoded bytes start at their first element.
  [[nodiscard]] MQTTCODEC_HOT_INLINE bool empty() const noexcept {
    // The count with wire_flag shifted out: a shift is shorter code than masking with a
    // 64-bit constant (69 B less in a 3.1.1 program, which tests every list it encodes).
    return (n_ << 1) == 0;
  }
  /// For a list made by from_wire(bytes, true) whose elements lie back to back (no other
  /// property between them, as a sender usually writes them): its bytes, which are its
  /// encoding. Empty for any other list.
  [[nodiscard]] MQTTCODEC_HOT_INLINE bytes_view encoded_bytes() const noexcept {
    if constexpr (Element::encoded_form) {
      if ((n_ & encoded_flag) != 0) {
        const std::uint8_t* const end = wire_end();
        const std::uint8_t* at = wire_begin();
        while (at != end && Element::is_element(at)) at = Element::end_of(at);
        if (at == end) return bytes_view(wire_begin(), count());
      }
    }
    return {};
  }

  /// Element-wise equality, whichever way each side is backed.
  friend bool operator==(const lazy_list& a, const lazy_list& b) noexcept {
    auto i = a.begin(), j = b.begin();
    const auto ie = a.end(), je = b.end();
    for (; i != ie && j != je; ++i, ++j) {
      if (!(*i == *j)) return false;
    }
    return i == ie && j == je;
  }
  friend bool operator!=(const lazy_list& a, const lazy_list& b) noexcept { return !(a == b); }

 private:
  const value_type* array() const noexcept { return static_cast<const value_type*>(ptr_); }
  const std::uint8_t* wire_begin() const noexcept { return static_cast<const std::uint8_t*>(ptr_); }
  const std::uint8_t* wire_end() const noexcept { return wire_begin() + count(); }
  bool from_wire() const noexcept { return (n_ & wire_flag) != 0; }
  std::size_t count() const noexcept {
    // One flag is one bit cleared; two flags are shifted out and back, shorter code than a
    // mask, which is a 64-bit constant.
    if constexpr (flag_bits == 1) return n_ & ~wire_flag;
    return (n_ << flag_bits) >> flag_bits;
  }

  // The top bit of n_ marks decoded bytes, and for an Element with an encoded form the next
  // one marks decoded bytes that are their own encoding; no array or packet comes near those
  // sizes. The other lists keep one flag, and the shorter code it takes to remove.
  static constexpr std::size_t wire_flag = ~(~std::size_t{0} >> 1);
  static constexpr std::size_t encoded_flag = wire_flag >> 1;
  static constexpr unsigned flag_bits = Element::encoded_form ? 2 : 1;

  // One pointer and one size for either backing (16 bytes): the caller's array and its count,
  // or the validated bytes and their length with wire_flag (and perhaps encoded_flag) set. Every
  // decoded packet struct holds several lists, and a smaller struct is cheaper to initialize and
  // copy.
  const void* ptr_ = nullptr;
  std::size_t n_ = 0;
};

}  // namespace detail
MQTTCODEC_NAMESPACE_END

#endif

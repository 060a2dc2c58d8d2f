// mqttcodec: output sinks. One encode routine serves them all: it validates the packet,
// computes its exact size, asks the sink for that much contiguous space once, and writes.
//
// A sink is any type with
//   std::uint8_t* prepare(std::size_t n);  // n writable bytes, or nullptr when it cannot hold them
// and optionally
//   void payload(bytes_view p);            // keep the PUBLISH payload by reference instead
//                                          // (then prepare() is asked for the header bytes only)
// or, for counting without writing,
//   void count(std::size_t n);
#ifndef MQTTCODEC_SINK_HPP
#define MQTTCODEC_SINK_HPP

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "mqttcodec/bytes.hpp"
#include "mqttcodec/config.hpp"

MQTTCODEC_NAMESPACE_BEGIN

/// Counts the bytes that would be written; writes nothing.
struct size_sink {
  std::size_t size = 0;  ///< total bytes counted so far; SIZE_MAX once the total does not fit
  /// Adds n, saturating: where size_t has 32 bits, 16 packets near the 256 MiB maximum pass
  /// 4 GiB, and a wrapped total would size a buffer too small for them.
  void count(std::size_t n) noexcept { size = n > SIZE_MAX - size ? SIZE_MAX : size + n; }
};

/// Writes into a fixed caller buffer, packet after packet; refuses what does not fit.
class span_sink {
 public:
  /// Writes from the start of `buffer`, which must outlive the sink.
  explicit span_sink(mutable_bytes_view buffer) noexcept : buf_(buffer) {}
  /// The encoder's request for the next `n` bytes of one packet: where to write them, or null
  /// when they do not fit (the encoder then fails with `buffer_too_small`, writing nothing).
  std::uint8_t* prepare(std::size_t n) noexcept {
    if (n > buf_.size() - used_) return nullptr;
    std::uint8_t* p = buf_.data() + used_;
    used_ += n;
    return p;
  }
  /// Bytes written so far.
  [[nodiscard]] std::size_t size() const noexcept { return used_; }
  /// The bytes written so far.
  [[nodiscard]] bytes_view written() const noexcept { return {buf_.data(), used_}; }
  /// Starts again at the beginning of the buffer.
  void clear() noexcept { used_ = 0; }

 private:
  mutable_bytes_view buf_;
  std::size_t used_ = 0;
};

/// Appends to a growable byte container (`std::vector<std::uint8_t>`, `std::string`, …) that
/// has `size()`, `resize()` and contiguous `data()`. The container's allocator is the only one
/// that runs, and only because the caller chose a growable container.
template <class Container>
class container_sink {
  static_assert(sizeof(*std::declval<Container&>().data()) == 1,
                "container_sink needs a container of 1-byte elements");

 public:
  /// Appends to `c`, which must outlive the sink.
  explicit container_sink(Container& c) noexcept : c_(&c) {}
  /// Grows the container by `n` bytes and returns where they start.
  std::uint8_t* prepare(std::size_t n) {
    const std::size_t old = c_->size();
    c_->resize(old + n);
    return reinterpret_cast<std::uint8_t*>(c_->data()) + old;
  }

 private:
  Container* c_;
};

/// Scatter/gather output of one packet: header bytes go to a caller buffer, the PUBLISH
/// payload stays where it is and is handed back as a view, ready for `writev` with
/// `{header(), payload()}`. Packets without a payload leave payload() empty.
class gather_sink {
 public:
  /// Header bytes go to `header_buffer` (a packet's header is at most its size less the
  /// payload; 5.0 headers with long properties need more than a few bytes).
  explicit gather_sink(mutable_bytes_view header_buffer) noexcept : buf_(header_buffer) {}
  /// The encoder's request for a packet's bytes before its payload; null when they do not fit.
  /// Each packet starts the buffer again.
  std::uint8_t* prepare(std::size_t n) noexcept {
    if (n > buf_.size()) return nullptr;
    header_size_ = n;
    payload_ = {};
    return buf_.data();
  }
  /// The encoder hands over the PUBLISH payload here instead of copying it.
  void payload(bytes_view p) noexcept { payload_ = p; }
  /// The fixed and variable header (everything before the payload).
  [[nodiscard]] bytes_view header() const noexcept { return {buf_.data(), header_size_}; }
  /// The payload, a view of the caller's payload bytes.
  [[nodiscard]] bytes_view payload() const noexcept { return payload_; }
  /// header().size() + payload().size().
  [[nodiscard]] std::size_t size() const noexcept { return header_size_ + payload_.size(); }

 private:
  mutable_bytes_view buf_;
  std::size_t header_size_ = 0;
  bytes_view payload_;
};

namespace detail {
template <class S, class = void>
struct has_prepare : std::false_type {};
template <class S>
struct has_prepare<S, std::void_t<decltype(std::declval<S&>().prepare(std::size_t{}))>>
    : std::is_same<decltype(std::declval<S&>().prepare(std::size_t{})), std::uint8_t*> {};

template <class S, class = void>
struct has_payload : std::false_type {};
template <class S>
struct has_payload<S, std::void_t<decltype(std::declval<S&>().payload(bytes_view{}))>>
    : std::true_type {};

template <class S, class = void>
struct has_count : std::false_type {};
template <class S>
struct has_count<S, std::void_t<decltype(std::declval<S&>().count(std::size_t{}))>>
    : std::true_type {};
}  // namespace detail

/// What the encoder needs to know about a sink type.
template <class S>
struct sink_traits {
  /// Only counts bytes (size_sink).
  static constexpr bool counts_only = detail::has_count<S>::value;
  /// Keeps the payload by reference (gather_sink).
  static constexpr bool gathers_payload = detail::has_payload<S>::value;
  /// The encoder accepts S: it has `count(std::size_t)`, or `std::uint8_t* prepare(std::size_t
  /// n)` returning `n` writable bytes or null when they do not fit.
  static constexpr bool is_sink = counts_only || detail::has_prepare<S>::value;
};

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: non-owning byte views.
//
// Every decoded packet refers into the caller's buffer through these views; they live exactly
// as long as that buffer. They are built from any contiguous range of 1-byte elements, so
// `std::vector<char>`, `std::string`, `std::array<std::byte, N>` and `unsigned char[]` all work;
// a `const char` array does not, since a string literal's size counts its NUL
// (`as_bytes("text")` is the way to view text).
#ifndef MQTTCODEC_BYTES_HPP
#define MQTTCODEC_BYTES_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string_view>
#include <type_traits>
#include <utility>

#include "mqttcodec/config.hpp"

MQTTCODEC_NAMESPACE_BEGIN

namespace detail {

template <class R, class = void>
struct contiguous_bytes : std::false_type {};

// A range qualifies when std::data / std::size apply and its elements are one byte wide.
template <class R>
struct contiguous_bytes<R, std::void_t<decltype(std::data(std::declval<R&>())),
                                       decltype(std::size(std::declval<R&>()))>>
    : std::bool_constant<sizeof(*std::data(std::declval<R&>())) == 1 &&
                         std::is_trivially_copyable_v<
                             std::remove_pointer_t<decltype(std::data(std::declval<R&>()))>>> {};

template <class R>
inline constexpr bool is_contiguous_bytes_v = contiguous_bytes<R>::value;

}  // namespace detail

/// A read-only view of contiguous bytes (pointer and length). Never owns.
class bytes_view {
 public:
  using value_type = std::uint8_t;             ///< Each element is one byte.
  using const_iterator = const std::uint8_t*;  ///< A pointer into the viewed bytes.
  using iterator = const_iterator;             ///< Read-only, like const_iterator.

  /// An empty view.
  constexpr bytes_view() noexcept = default;
  /// The `size` bytes at `data`, which must stay alive while the view is used.
  constexpr bytes_view(const std::uint8_t* data, std::size_t size) noexcept
      : data_(data), size_(size) {}
  /// The `size` bytes at `data`, of any object type.
  bytes_view(const void* data, std::size_t size) noexcept
      : data_(static_cast<const std::uint8_t*>(data)), size_(size) {}
  /// From any contiguous range of 1-byte elements (`std::string`, `std::vector<std::byte>`, …).
  template <class R, class = std::enable_if_t<detail::is_contiguous_bytes_v<const R> &&
                                              !std::is_same_v<std::decay_t<R>, bytes_view>>>
  bytes_view(const R& range) noexcept  // NOLINT: implicit by design, like std::span
      : data_(reinterpret_cast<const std::uint8_t*>(std::data(range))), size_(std::size(range)) {}
  /// Not from a `const char` array such as a string literal: its size counts the terminating
  /// NUL, so `c.password = "secret"` would send 7 bytes. Write `as_bytes("secret")`, or
  /// `bytes_view(array, size)` for a constant array of binary data (or a `char` buffer seen
  /// through a const reference).
  template <std::size_t N>
  bytes_view(const char (&)[N]) = delete;
#ifdef __cpp_char8_t
  /// Nor from a `u8"…"` literal, for the same reason.
  template <std::size_t N>
  bytes_view(const char8_t (&)[N]) = delete;
#endif
  /// A writable `char` array is a buffer: all its N bytes.
  template <std::size_t N>
  bytes_view(char (&buffer)[N]) noexcept  // NOLINT: implicit by design
      : bytes_view(reinterpret_cast<const std::uint8_t*>(buffer), N) {}

  /// The first byte; null for a default-constructed view.
  [[nodiscard]] constexpr const std::uint8_t* data() const noexcept {
    return data_;
  }
  /// The number of bytes.
  [[nodiscard]] constexpr std::size_t size() const noexcept {
    return size_;
  }
  /// Whether size() is 0.
  [[nodiscard]] constexpr bool empty() const noexcept {
    return size_ == 0;
  }
  /// The first byte, for range-for.
  [[nodiscard]] constexpr const std::uint8_t* begin() const noexcept {
    return data_;
  }
  /// One past the last byte.
  [[nodiscard]] constexpr const std::uint8_t* end() const noexcept {
    return data_ + size_;
  }
  /// Byte `i`, which must be below size() (not checked).
  [[nodiscard]] constexpr std::uint8_t operator[](std::size_t i) const noexcept {
    MQTTCODEC_ASSERT(i < size_);
    return data_[i];
  }
  /// The bytes from `offset` to the end; `offset` must not exceed size().
  [[nodiscard]] constexpr bytes_view subview(std::size_t offset) const noexcept {
    MQTTCODEC_ASSERT(offset <= size_);
    return {data_ + offset, size_ - offset};
  }
  /// `count` bytes from `offset`; the range must lie inside the view.
  [[nodiscard]] constexpr bytes_view subview(std::size_t offset, std::size_t count) const noexcept {
    MQTTCODEC_ASSERT(offset <= size_ && count <= size_ - offset);
    return {data_ + offset, count};
  }
  /// The same bytes seen as characters, e.g. for printing a UTF-8 payload.
  [[nodiscard]] std::string_view as_chars() const noexcept {
    return {reinterpret_cast<const char*>(data_), size_};
  }

  /// Byte-wise equality (contents, not identity).
  friend bool operator==(bytes_view a, bytes_view b) noexcept {
    return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data_, b.data_, a.size_) == 0);
  }
  /// Byte-wise inequality.
  friend bool operator!=(bytes_view a, bytes_view b) noexcept {
    return !(a == b);
  }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

/// A writable view of contiguous bytes, the target of bounded encoding. Never owns.
class mutable_bytes_view {
 public:
  /// An empty view.
  constexpr mutable_bytes_view() noexcept = default;
  /// The `size` bytes at `data`, which must stay alive while the view is used.
  constexpr mutable_bytes_view(std::uint8_t* data, std::size_t size) noexcept
      : data_(data), size_(size) {}
  /// The `size` bytes at `data`, of any object type.
  mutable_bytes_view(void* data, std::size_t size) noexcept
      : data_(static_cast<std::uint8_t*>(data)), size_(size) {}
  /// From any mutable contiguous range of 1-byte elements.
  template <class R,
            class = std::enable_if_t<
                detail::is_contiguous_bytes_v<R> &&
                !std::is_const_v<std::remove_pointer_t<decltype(std::data(std::declval<R&>()))>> &&
                !std::is_same_v<std::decay_t<R>, mutable_bytes_view>>>
  mutable_bytes_view(R& range) noexcept  // NOLINT: implicit by design
      : data_(reinterpret_cast<std::uint8_t*>(std::data(range))), size_(std::size(range)) {}

  /// The first byte; null for a default-constructed view.
  [[nodiscard]] constexpr std::uint8_t* data() const noexcept { return data_; }
  /// The number of bytes.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  /// Whether size() is 0.
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  /// The first byte, for range-for.
  [[nodiscard]] constexpr std::uint8_t* begin() const noexcept { return data_; }
  /// One past the last byte.
  [[nodiscard]] constexpr std::uint8_t* end() const noexcept { return data_ + size_; }
  /// Byte `i`, which must be below size() (not checked).
  [[nodiscard]] constexpr std::uint8_t& operator[](std::size_t i) const noexcept {
    MQTTCODEC_ASSERT(i < size_);
    return data_[i];
  }
  /// The same bytes, read-only.
  constexpr operator bytes_view() const noexcept { return {data_, size_}; }  // NOLINT

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

/// Views the characters of a string as bytes.
inline bytes_view as_bytes(std::string_view s) noexcept {
  return {s.data(), s.size()};
}

MQTTCODEC_NAMESPACE_END

#endif

// mqttcodec: result<T>, the one channel through which every fallible call answers.
#ifndef MQTTCODEC_RESULT_HPP
#define MQTTCODEC_RESULT_HPP

#include <new>
#include <type_traits>
#include <utility>

#include "mqttcodec/config.hpp"
#include "mqttcodec/error.hpp"

MQTTCODEC_NAMESPACE_BEGIN

namespace detail {
// Tag of result's default-initializing constructor.
struct default_init_t {
  explicit default_init_t() = default;
};
}  // namespace detail

/// Holds either a value of type T or an `error`, like std::expected<T, error>. It never throws:
/// reading the value of an error result is a precondition violation, so test it first
/// (`if (!r) …`). Marked [[nodiscard]] so a failure cannot be ignored by accident.
template <class T>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result<T> holds values, not references");

 public:
  using value_type = T;  ///< the type of the value held on success

  /// A success holding `value`.
  result(const T& value) noexcept(std::is_nothrow_copy_constructible_v<T>)  // NOLINT
      : ok_(true) {
    ::new (static_cast<void*>(&value_)) T(value);
  }
  /// A success holding `value`, moved in.
  result(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT
      : ok_(true) {
    ::new (static_cast<void*>(&value_)) T(std::move(value));
  }
  /// A failure holding `e`.
  result(const mqttcodec::error& e) noexcept : error_(e), ok_(false) {}  // NOLINT
  /// A success whose value is constructed in place from `args`.
  template <class... A>
  explicit result(std::in_place_t, A&&... args) noexcept(std::is_nothrow_constructible_v<T, A...>)
      : ok_(true) {
    ::new (static_cast<void*>(&value_)) T(std::forward<A>(args)...);
  }

  /// For the library's decoders: a success whose value is default-initialized, not
  /// value-initialized. For a struct whose members all have initializers (the packet structs)
  /// this skips the zero-fill of the whole object, padding and unengaged optionals included,
  /// that `T()` costs before its constructor runs. Members without an initializer would be
  /// left indeterminate.
  explicit result(detail::default_init_t) noexcept(std::is_nothrow_default_constructible_v<T>)
      : ok_(true) {
    ::new (static_cast<void*>(&value_)) T;
  }

  /// Copies the value or the error.
  result(const result& other) noexcept(std::is_nothrow_copy_constructible_v<T>) : ok_(false) {
    take(other);
  }
  /// Moves the value, or copies the error.
  result(result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(false) {
    take(std::move(other));
  }
  /// Copies `other`. Should T's copy constructor throw, *this holds a default `error`.
  result& operator=(const result& other) noexcept(std::is_nothrow_copy_constructible_v<T>) {
    if (this != &other) {
      set_error(mqttcodec::error{});
      take(other);
    }
    return *this;
  }
  /// Moves the value, or copies the error. Should T's move constructor throw, *this holds a
  /// default `error`.
  result& operator=(result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) {
      set_error(mqttcodec::error{});
      take(std::move(other));
    }
    return *this;
  }
  ~result() {
    if (ok_) value_.~T();
  }

  /// True when a value is held.
  [[nodiscard]] constexpr bool has_value() const noexcept { return ok_; }
  /// has_value().
  constexpr explicit operator bool() const noexcept { return ok_; }

  /// The value; precondition: has_value().
  [[nodiscard]] T& value() & noexcept {
    MQTTCODEC_ASSERT(ok_);
    return value_;
  }
  /// The value; precondition: has_value().
  [[nodiscard]] const T& value() const& noexcept {
    MQTTCODEC_ASSERT(ok_);
    return value_;
  }
  /// The value, to move from; precondition: has_value().
  [[nodiscard]] T&& value() && noexcept {
    MQTTCODEC_ASSERT(ok_);
    return std::move(value_);
  }
  /// value().
  T& operator*() & noexcept { return value(); }
  /// value().
  const T& operator*() const& noexcept { return value(); }
  /// value(), to move from.
  T&& operator*() && noexcept { return std::move(*this).value(); }
  /// The value's members; precondition: has_value().
  T* operator->() noexcept { return &value(); }
  /// The value's members; precondition: has_value().
  const T* operator->() const noexcept { return &value(); }

  /// Replaces whatever is held with the error `e` (lets a function build its value in place
  /// and still return one object on every path).
  void set_error(const mqttcodec::error& e) noexcept {
    if (ok_) value_.~T();
    error_ = e;
    ok_ = false;
  }

  /// The error; precondition: !has_value().
  [[nodiscard]] const mqttcodec::error& error() const noexcept {
    MQTTCODEC_ASSERT(!ok_);
    return error_;
  }

 private:
  // Copies or moves what `other` holds into *this, which holds no value (ok_ false): a value
  // counts as held only once it is constructed, so a copy or move that throws leaves an error
  // result behind, not a dead value that would be destroyed again.
  template <class R>
  void take(R&& other) {
    if (other.ok_) {
      ::new (static_cast<void*>(&value_)) T(std::forward<R>(other).value_);
      ok_ = true;
    } else {
      error_ = other.error_;
    }
  }

  union {
    T value_;
    mqttcodec::error error_;
  };
  bool ok_;
};

/// The error-or-nothing result of an operation without a value.
template <>
class [[nodiscard]] result<void> {
 public:
  /// A success.
  constexpr result() noexcept = default;
  /// A failure holding `e`.
  constexpr result(const mqttcodec::error& e) noexcept : error_(e), ok_(false) {}  // NOLINT
  /// True on success.
  [[nodiscard]] constexpr bool has_value() const noexcept { return ok_; }
  /// has_value().
  constexpr explicit operator bool() const noexcept { return ok_; }
  /// The error; precondition: !has_value().
  [[nodiscard]] constexpr const mqttcodec::error& error() const noexcept {
    MQTTCODEC_ASSERT(!ok_);
    return error_;
  }

 private:
  mqttcodec::error error_{};
  bool ok_ = true;
};

MQTTCODEC_NAMESPACE_END

#endif

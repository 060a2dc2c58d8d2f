// A minimal JSON writer for the examples: builds one JSON text in a std::string, with commas
// placed automatically. Strings are escaped per RFC 8259; bytes that are not well-formed UTF-8
// become U+FFFD so the output is always valid UTF-8 JSON, whatever it is handed.
#ifndef MQTTCODEC_EXAMPLES_JSON_WRITER_HPP
#define MQTTCODEC_EXAMPLES_JSON_WRITER_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace json {

class writer {
 public:
  /// The text written so far.
  [[nodiscard]] const std::string& str() const noexcept { return out_; }
  /// Starts a new text, keeping the allocated capacity.
  void clear() {
    out_.clear();
    first_.clear();
  }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /// Writes an object member's name; the next value written is its value.
  void key(std::string_view k) {
    separate();
    append_string(k);
    out_ += ':';
    after_key_ = true;
  }

  void value(std::string_view s) {
    separate();
    append_string(s);
  }
  void value(const char* s) { value(std::string_view(s)); }
  void value(bool b) {
    separate();
    out_ += b ? "true" : "false";
  }
  /// Any unsigned integer (std::uint8_t too: a number, not a character).
  template <class T, class = std::enable_if_t<std::is_unsigned_v<T> && !std::is_same_v<T, bool>>>
  void value(T n) {
    separate();
    out_ += std::to_string(static_cast<unsigned long long>(n));
  }
  void null() {
    separate();
    out_ += "null";
  }
  /// Bytes as a string of lower-case hex digits.
  void hex(const std::uint8_t* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    separate();
    out_ += '"';
    for (std::size_t i = 0; i < size; ++i) {
      out_ += digits[data[i] >> 4];
      out_ += digits[data[i] & 0x0F];
    }
    out_ += '"';
  }

  // key + value in one call.
  template <class T>
  void member(std::string_view k, const T& v) {
    key(k);
    value(v);
  }
  void member_hex(std::string_view k, const std::uint8_t* data, std::size_t size) {
    key(k);
    hex(data, size);
  }
  void member_null(std::string_view k) {
    key(k);
    null();
  }

 private:
  void open(char c) {
    separate();
    out_ += c;
    first_.push_back(true);
  }
  void close(char c) {
    out_ += c;
    first_.pop_back();
  }
  // A comma before every element but the first of its container; none after a key.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (first_.back()) {
      first_.back() = false;
    } else {
      out_ += ',';
    }
  }

  // Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates,
  // nothing above U+10FFFF), or 0 if it is not one.
  static std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned c = b(0);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return 0;
    }
    if (i + n > s.size()) return 0;
    if (b(1) < lo || b(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k) {
      if (b(k) < 0x80 || b(k) > 0xBF) return 0;
    }
    return n;
  }

  void append_string(std::string_view s) {
    static constexpr char digits[] = "0123456789abcdef";
    out_ += '"';
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += static_cast<char>(c);
        ++i;
      } else if (c < 0x20 || c == 0x7F) {
        // Controls, DEL included, as escapes: a terminal shows the line as it is.
        out_ += "\\u00";
        out_ += digits[c >> 4];
        out_ += digits[c & 0x0F];
        ++i;
      } else if (c < 0x80) {
        out_ += static_cast<char>(c);
        ++i;
      } else if (const std::size_t n = utf8_sequence(s, i); n != 0) {
        // U+2028 and U+2029 are valid in JSON but end a line in JavaScript source and in
        // some line-based tools: escaped, so one packet stays one line to every reader.
        const auto last = static_cast<unsigned char>(s[i + n - 1]);
        if (c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 && (last & 0xFEu) == 0xA8) {
          out_ += last == 0xA8 ? "\\u2028" : "\\u2029";
        } else {
          out_.append(s.data() + i, n);
        }
        i += n;
      } else {
        out_ += "\\ufffd";
        ++i;
      }
    }
    out_ += '"';
  }

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace json

#endif

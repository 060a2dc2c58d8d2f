// POSIX socket helpers shared by the examples (client, proxy): TCP connect and listen with
// timeouts, sending a list of buffers with writev, and a receive buffer that frames packets
// across partial reads. Nothing here knows MQTT except recv_buffer::next_packet, which is the
// loop every MQTT reader over a byte stream needs.
#ifndef MQTTCODEC_EXAMPLES_POSIX_SOCKET_HPP
#define MQTTCODEC_EXAMPLES_POSIX_SOCKET_HPP

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <mqttcodec/frame.hpp>

namespace example {

/// Splits "host:port" at its last colon; false when either part is empty.
inline bool split_host_port(std::string_view s, std::string& host, std::string& port) {
  const std::size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  host = std::string(s.substr(0, colon));
  port = std::string(s.substr(colon + 1));
  return true;
}

/// Makes SIGINT and SIGTERM call `handler`, which should only set a flag the event loop
/// checks, and a write to a closed socket fail with EPIPE instead of ending the process.
inline void handle_stop_signals(void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

/// Where a --log option writes: stdout for "-", else `path` opened for writing; null, with
/// the reason on stderr, when it cannot be opened. close_log closes it.
inline FILE* open_log(const char* path) {
  FILE* f = std::strcmp(path, "-") == 0 ? stdout : std::fopen(path, "w");
  if (f == nullptr) std::perror(path);
  return f;
}
inline void close_log(FILE* f) {
  if (f != nullptr && f != stdout) std::fclose(f);
}

/// Milliseconds on a clock that never jumps.
inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Milliseconds left until `deadline` (a now_ms() value; negative means none), clamped for
/// poll(): -1 waits forever.
inline int poll_timeout(std::int64_t deadline) {
  if (deadline < 0) return -1;
  const std::int64_t left = deadline - now_ms();
  if (left <= 0) return 0;
  return left > 60'000 ? 60'000 : static_cast<int>(left);
}

inline bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL, 0);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// Resolves host:port for TCP and calls `open(address)` on each address in turn until one
// returns a socket; returns it, or -1 with `err` set by getaddrinfo or by the last try.
template <class Open>
int open_first_address(const std::string& host, const std::string& port, int flags,
                       std::string& err, Open open) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  addrinfo* list = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0) {
    err = std::string("getaddrinfo: ") + ::gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (const addrinfo* a = list; a != nullptr && fd < 0; a = a->ai_next) fd = open(*a);
  ::freeaddrinfo(list);
  return fd;
}

// Closes `fd` and returns -1 with `err` = what, strerror(code).
inline int fail_socket(int fd, const char* what, int code, std::string& err) {
  err = std::string(what) + ": " + std::strerror(code);
  if (fd >= 0) ::close(fd);
  return -1;
}

/// Connects to host:port within `timeout_ms`. Returns a non-blocking socket, or -1 with
/// `err` set.
inline int tcp_connect(const std::string& host, const std::string& port, int timeout_ms,
                       std::string& err) {
  const int fd = open_first_address(host, port, 0, err, [&](const addrinfo& a) {
    const int s = ::socket(a.ai_family, a.ai_socktype, a.ai_protocol);
    if (s < 0) return fail_socket(s, "socket", errno, err);
    set_nonblocking(s);
    if (::connect(s, a.ai_addr, a.ai_addrlen) != 0 && errno != EINPROGRESS) {
      return fail_socket(s, "connect", errno, err);
    }
    pollfd p{s, POLLOUT, 0};
    int so_error = 0;
    socklen_t len = sizeof so_error;
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready == 0) return fail_socket(s, "connect", ETIMEDOUT, err);
    if (ready < 0 || ::getsockopt(s, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) {
      return fail_socket(s, "connect", errno, err);
    }
    if (so_error != 0) return fail_socket(s, "connect", so_error, err);
    return s;
  });
  if (fd >= 0) {
    // MQTT packets are small and latency matters more than segment count.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

/// A non-blocking listening socket on host:port, or -1 with `err` set.
inline int tcp_listen(const std::string& host, const std::string& port, std::string& err) {
  return open_first_address(host, port, AI_PASSIVE, err, [&](const addrinfo& a) {
    const int s = ::socket(a.ai_family, a.ai_socktype, a.ai_protocol);
    if (s < 0) return fail_socket(s, "socket", errno, err);
    const int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(s, a.ai_addr, a.ai_addrlen) != 0 || ::listen(s, 64) != 0) {
      return fail_socket(s, "bind/listen", errno, err);
    }
    set_nonblocking(s);
    return s;
  });
}

/// Writes every byte of `iov[0..n)` to the non-blocking socket `fd`, waiting with poll() until
/// `deadline` (now_ms() based; negative waits forever). False on error or timeout.
inline bool send_all(int fd, iovec* iov, int n, std::int64_t deadline, std::string& err) {
  while (n > 0) {
    const ssize_t w = ::writev(fd, iov, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        err = std::string("send: ") + std::strerror(errno);
        return false;
      }
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, poll_timeout(deadline)) == 0) {
        err = "send: timed out";
        return false;
      }
      continue;
    }
    // Advance past what was written; writev may stop anywhere, even inside a buffer.
    auto left = static_cast<std::size_t>(w);
    while (n > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --n;
    }
    if (n > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

/// Bytes received from a stream and not yet consumed. Packets are framed in place with
/// mqttcodec::next_frame; when the free tail runs short the unread bytes move to the front
/// (compaction), and the storage grows only to hold one packet larger than it, never beyond
/// `max_size`.
class recv_buffer {
 public:
  explicit recv_buffer(std::size_t initial = std::size_t{64} * 1024,
                       std::size_t max_size = mqttcodec::max_packet_size)
      : buf_(initial), max_(max_size) {}

  /// The received, unconsumed bytes.
  [[nodiscard]] mqttcodec::bytes_view data() const noexcept {
    return {buf_.data() + begin_, end_ - begin_};
  }
  [[nodiscard]] bool empty() const noexcept { return begin_ == end_; }
  /// Drops the first `n` bytes of data().
  void consume(std::size_t n) noexcept {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }

  /// One read() from `fd` into the free tail, making room for at least `want` more bytes
  /// first. Returns the byte count, 0 on orderly close, -1 on error (errno set; EAGAIN when a
  /// non-blocking socket has nothing).
  ssize_t read_from(int fd, std::size_t want) {
    if (!reserve(want)) {
      errno = EMSGSIZE;
      return -1;
    }
    ssize_t r;
    do {
      r = ::read(fd, buf_.data() + end_, buf_.size() - end_);
    } while (r < 0 && errno == EINTR);
    if (r > 0) end_ += static_cast<std::size_t>(r);
    return r;
  }

  /// Frames the packet at the front: complete (its bytes stay valid until the next
  /// read_from), need_more (with `size` bytes still missing) or invalid.
  [[nodiscard]] mqttcodec::frame next_packet(const mqttcodec::frame_options& opt) const noexcept {
    return mqttcodec::next_frame(data(), opt);
  }

 private:
  bool reserve(std::size_t want) {
    if (want == 0) want = 1;
    if (buf_.size() - end_ >= want) return true;
    const std::size_t used = end_ - begin_;
    if (begin_ != 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, used);
      begin_ = 0;
      end_ = used;
    }
    if (buf_.size() - end_ >= want) return true;
    if (used + want > max_) return false;
    // Doubling keeps a large packet arriving in small reads from costing one resize each.
    std::size_t grown = buf_.size() * 2;
    if (grown > max_) grown = max_;
    buf_.resize(grown > used + want ? grown : used + want);
    return true;
  }

  std::vector<std::uint8_t> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t max_;
};

}  // namespace example

#endif

#pragma once
// A client that streams a request of any size at the server over a plain
// socket while reading whatever the server answers, as a hostile peer
// would; for transport tests. Bounded in time: gives up after `limit`.

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <fstream>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>

namespace test_support {

struct flood_result {
  std::string answer;   // every byte the server sent
  std::size_t sent = 0; // bytes the server took before it stopped reading
};

inline flood_result flood(unsigned short port, const std::string& head, char filler, std::size_t total,
                          std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  flood_result out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(limit.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((limit.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  std::thread reader([&] {
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.answer.append(buf, static_cast<std::size_t>(n));
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto send_all = [&](const char* data, std::size_t size) {
    while (size > 0 && std::chrono::steady_clock::now() < deadline) {
      const auto n = ::send(fd, data, size, MSG_NOSIGNAL);
      if (n <= 0) return false;
      out.sent += static_cast<std::size_t>(n);
      data += n;
      size -= static_cast<std::size_t>(n);
    }
    return size == 0;
  };
  const std::string block(64 * 1024, filler);
  bool open = send_all(head.data(), head.size());
  for (std::size_t left = total; open && left > 0;) {
    const auto n = std::min(left, block.size());
    open = send_all(block.data(), n);
    left -= n;
  }
  ::shutdown(fd, SHUT_WR);
  reader.join();
  ::close(fd);
  return out;
}

// "HTTP/1.1 431 ..." -> 431; 0 when nothing parseable came back.
inline int status_of(const std::string& answer) {
  if (answer.size() < 12 || answer.compare(0, 5, "HTTP/") != 0) return 0;
  return std::stoi(answer.substr(9, 3));
}

// This process's resident memory in KiB (VmRSS of /proc/self/status).
inline long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

} // namespace test_support

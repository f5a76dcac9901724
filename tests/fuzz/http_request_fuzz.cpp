// Bytes from a client -> the request reader, fed the way a session feeds
// it: through a read buffer no larger than the framing limit, in pieces
// whose sizes the input chooses. Checks the limits hold for every framing.

#include "bot/net/request_reader.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // First byte: the read size (1..256 bytes a read), as a socket might split it.
  const std::size_t step = static_cast<std::size_t>(data[0]) + 1;
  ++data;
  --size;

  bot::http::limits lim;
  lim.framing_limit = 1024; // small, so inputs reach it
  lim.body_limit = 4096;
  boost::beast::flat_buffer buffer(lim.framing_limit);
  std::size_t offered = 0;
  // Requests one after another on the connection, as keep-alive reads them.
  for (int requests = 0; requests < 8; ++requests) {
    bot::http::request_reader reader(lim);
    for (;;) {
      if (buffer.size() > 0) {
        const auto d = buffer.data();
        const auto used = reader.feed(std::string_view(static_cast<const char*>(d.data()), d.size()));
        require(used <= d.size());
        buffer.consume(used);
      }
      require(reader.rejection() || reader.framing_bytes() <= lim.framing_limit);
      if (!reader.wants_more()) break;
      const auto room = buffer.max_size() - buffer.size();
      require(room > 0); // the reader refuses before the buffer is full
      const auto n = std::min({step, room, size - offered});
      if (n == 0) return 0; // the client stopped sending
      auto into = buffer.prepare(n);
      std::memcpy(into.data(), data + offered, n);
      buffer.commit(n);
      offered += n;
    }
    if (reader.rejection()) return 0;
    auto req = reader.release();
    require(req.body().size() <= lim.body_limit);
  }
  return 0;
}

// The request reader alone, fed bytes the way a socket delivers them:
// every framing of a request is held to the same limits.

#include "bot/net/request_reader.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {

using reader_limits = bot::http::limits;
using bot::http::request_reader;
namespace bhttp = boost::beast::http;

// A reader fed `bytes` in pieces of `step`, keeping what it leaves unused
// as a session's buffer would, until it wants no more.
struct fed {
  request_reader reader;
  std::size_t used = 0;

  fed(const std::string& bytes, std::size_t step, reader_limits lim = {}) : reader(lim) {
    std::string pending;
    std::size_t offered = 0;
    while (reader.wants_more() && offered < bytes.size()) {
      pending += bytes.substr(offered, step);
      offered += std::min(step, bytes.size() - offered);
      const auto n = reader.feed(pending);
      used += n;
      pending.erase(0, n);
    }
  }
};

std::string chunked(const std::string& chunks) {
  return "POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
}

} // namespace

TEST_CASE("a request is read the same whether it arrives whole or a byte at a time") {
  const std::string wire = chunked("5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
  for (std::size_t step : {wire.size(), std::size_t{1}, std::size_t{7}}) {
    INFO(step);
    fed f(wire, step);
    REQUIRE(f.reader.done());
    CHECK(f.used == wire.size());
    auto req = f.reader.release();
    CHECK(req.body() == "hello world");
    CHECK(req.target() == "/in");
  }
}

TEST_CASE("bytes after a complete request are left for the next one") {
  const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  request_reader reader{reader_limits{}};
  CHECK(reader.feed(first + second) == first.size());
  REQUIRE(reader.done());
  CHECK(reader.release().target() == "/a");
}

TEST_CASE("a chunk extension that never ends is refused with 431 once the framing limit is reached") {
  const std::string wire = chunked("1;ext=" + std::string(64 * 1024, 'e'));
  fed f(wire, 4096);
  REQUIRE(f.reader.rejection());
  CHECK(*f.reader.rejection() == bhttp::status::request_header_fields_too_large);
  CHECK_FALSE(f.reader.wants_more());
}

TEST_CASE("a trailer that never ends is refused with 431") {
  const std::string wire = chunked("2\r\nok\r\n0\r\nX-Pad: " + std::string(64 * 1024, 't'));
  fed f(wire, 4096);
  REQUIRE(f.reader.rejection());
  CHECK(*f.reader.rejection() == bhttp::status::request_header_fields_too_large);
}

TEST_CASE("many short chunk extensions count together against the framing limit") {
  // Each line is well under the limit; together they are over it.
  std::string chunks;
  for (int i = 0; i < 200; ++i)
    chunks += "1;e=" + std::string(100, 'x') + "\r\nz\r\n";
  chunks += "0\r\n\r\n";
  fed f(chunked(chunks), 1024);
  REQUIRE(f.reader.rejection());
  CHECK(*f.reader.rejection() == bhttp::status::request_header_fields_too_large);
  // Refused at the first line past the limit, not after reading them all.
  CHECK(f.used < 18 * 1024);
}

TEST_CASE("framing just under the limit is accepted, headers and chunk lines together") {
  reader_limits lim;
  lim.framing_limit = 1024;
  const std::string head = "POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n";
  const std::string tail = "\r\n1\r\nz\r\n0\r\n\r\n";
  // Pad a header so the whole framing (all but the one body byte) is exactly the limit.
  const auto fixed = head.size() + tail.size() + std::string("X-Pad: \r\n").size() - 1;
  const std::string exact = head + "X-Pad: " + std::string(lim.framing_limit - fixed, 'p') + "\r\n" + tail;
  fed ok(exact, 100, lim);
  REQUIRE(ok.reader.done());
  CHECK(ok.reader.framing_bytes() == lim.framing_limit);

  const std::string over = head + "X-Pad: " + std::string(lim.framing_limit - fixed + 1, 'p') + "\r\n" + tail;
  fed refused(over, 100, lim);
  REQUIRE(refused.reader.rejection());
  CHECK(*refused.reader.rejection() == bhttp::status::request_header_fields_too_large);
}

TEST_CASE("a chunked body over the body limit is refused with 413 before it is read") {
  fed f(chunked("100001\r\n"), 64);
  REQUIRE(f.reader.rejection());
  CHECK(*f.reader.rejection() == bhttp::status::payload_too_large);
}

TEST_CASE("a declared body over the limit is refused with 413 from the header alone") {
  fed f("POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n", 64);
  REQUIRE(f.reader.rejection());
  CHECK(*f.reader.rejection() == bhttp::status::payload_too_large);
}

TEST_CASE("malformed framing is refused with 400") {
  for (const std::string& wire :
       {std::string("NOT HTTP\r\n\r\n"), chunked("zz\r\n"), chunked("1;=\r\nz\r\n"),
        std::string("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")}) {
    INFO(wire);
    fed f(wire, 5);
    REQUIRE(f.reader.rejection());
    CHECK(*f.reader.rejection() == bhttp::status::bad_request);
  }
}

TEST_CASE("the reader reports when a client waits to be told to continue") {
  request_reader reader{reader_limits{}};
  reader.feed("POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  CHECK(reader.header_done());
  CHECK(reader.expects_continue());
  CHECK_FALSE(reader.done());
  reader.feed("abc");
  REQUIRE(reader.done());
  CHECK(reader.release().body() == "abc");
}

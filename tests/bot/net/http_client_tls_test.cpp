#include "bot/net/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <mutex>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <thread>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// A TLS server on 127.0.0.1 with a fresh self-signed certificate for
// "localhost" (trusted by nobody); it records the SNI name it is sent.
class untrusted_tls_server {
public:
  untrusted_tls_server()
      : ctx_(asio::ssl::context::tls_server), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    REQUIRE((key && cert));
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    auto* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
    REQUIRE(SSL_CTX_use_certificate(ctx_.native_handle(), cert.get()) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey(ctx_.native_handle(), key.get()) == 1);
    SSL_CTX_set_tlsext_servername_callback(ctx_.native_handle(), &untrusted_tls_server::on_server_name);
    SSL_CTX_set_tlsext_servername_arg(ctx_.native_handle(), this);
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      asio::ssl::stream<tcp::socket> stream(std::move(socket), ctx_);
      stream.handshake(asio::ssl::stream_base::server, ec); // the client gives up: untrusted
    });
  }
  ~untrusted_tls_server() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::string server_name() const {
    std::lock_guard lock(mutex_);
    return server_name_;
  }

private:
  static int on_server_name(SSL* ssl, int*, void* arg) {
    auto* self = static_cast<untrusted_tls_server*>(arg);
    const char* n = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    std::lock_guard lock(self->mutex_);
    self->server_name_ = n ? n : "";
    return SSL_TLSEXT_ERR_OK;
  }

  asio::io_context io_;
  asio::ssl::context ctx_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::string server_name_;
};

} // namespace

TEST_CASE("https to a server with an untrusted certificate fails, after sending SNI") {
  untrusted_tls_server server;
  asio::io_context io;
  bot::http_client client(io);
  bot::outbound_request req;
  req.url = "https://localhost:" + std::to_string(server.port()) + "/api/chat.postMessage";
  req.headers.emplace_back("Authorization", "Bearer xoxb-secret");
  req.body = "{}";
  req.timeout = 5s;
  auto fut = asio::co_spawn(io, client.send(req), asio::use_future);
  io.run_for(10s);
  auto res = fut.get();
  CHECK_FALSE(res.transport_ok);
  CHECK(res.error.find("TLS handshake") != std::string::npos);
  CHECK(res.error.find("xoxb") == std::string::npos);
  CHECK(server.server_name() == "localhost");
}

#include "bench/support/slack.hpp"

#include "support/slack_signing.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace bench {

const slack_workspace bench_workspace{"bench", "TBENCH", "CBENCH", "ABENCH", "bench-signing-secret"};

json::object linked_firm(const bot::firm_spec& spec, std::string_view user_format,
                         std::vector<linked_member>* members) {
  auto doc = json::parse(bot::generate_snapshot(spec)).as_object();
  int n = 0;
  for (auto& m : doc["members"].as_array()) {
    auto& member = m.as_object();
    const std::string user_id = fmt::format(fmt::runtime(user_format), ++n);
    member["slack_user_id"] = user_id;
    if (members)
      members->push_back(
          {std::string(member["id"].as_string()), user_id, member["role"].as_string() == "admin"});
  }
  return doc;
}

std::string signed_post(const slack_workspace& w, unsigned short port, std::string_view path,
                        const std::string& body) {
  auto wire =
      fmt::format("POST {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: Slackbot 1.0\r\n", path, port);
  for (const auto& [name, value] : test_support::slack_headers(w.signing_secret, body))
    wire += fmt::format("{}: {}\r\n", name, value);
  return wire + fmt::format("Content-Length: {}\r\n\r\n{}", body.size(), body);
}

std::string command_request(const slack_workspace& w, unsigned short port, const std::string& user_id,
                            const std::string& text, int n, const std::string& response_url) {
  return signed_post(w, port, "/slack/commands",
                     test_support::form_body({{"token", w.name},
                                              {"team_id", w.team_id},
                                              {"team_domain", w.name},
                                              {"channel_id", w.channel_id},
                                              {"channel_name", "general"},
                                              {"user_id", user_id},
                                              {"user_name", w.name},
                                              {"command", "/pleo"},
                                              {"text", text},
                                              {"api_app_id", w.app_id},
                                              {"is_enterprise_install", "false"},
                                              {"response_url", response_url},
                                              {"trigger_id", fmt::format("{}.{}", w.name, n)}}));
}

} // namespace bench

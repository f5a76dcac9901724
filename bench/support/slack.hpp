#pragma once
// Slack's side of a benchmark: the generated firm with its members linked
// to Slack users, and signed requests as Slack sends them, ready to write
// to a socket.

#include "bot/cli/demo_firm.hpp"

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

namespace json = boost::json;

// The workspace the requests come from.
struct slack_workspace {
  std::string name; // token, team domain, user name and trigger id prefix: "bench"
  std::string team_id;
  std::string channel_id;
  std::string app_id;
  std::string signing_secret;
};

// The workspace of the load benchmarks.
extern const slack_workspace bench_workspace;

struct linked_member {
  std::string id;      // the member's id in the snapshot
  std::string user_id; // the Slack user linked to it
  bool admin = false;
};

// The firm `spec` describes, every member linked up front (so that no
// users.info call is needed) to the Slack user `user_format` names with
// the member's number, from 1 ("UB{:05}"). The members go to `members`
// when given.
boost::json::object linked_firm(const bot::firm_spec& spec, std::string_view user_format,
                                std::vector<linked_member>* members);

// A POST of a form `body` to `path`, signed as Slack signs it.
std::string signed_post(const slack_workspace& w, unsigned short port, std::string_view path,
                        const std::string& body);
// The slash command /pleo `text` from `user_id`, the n-th of the run.
std::string command_request(const slack_workspace& w, unsigned short port, const std::string& user_id,
                            const std::string& text, int n, const std::string& response_url);

} // namespace bench

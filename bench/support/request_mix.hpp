#pragma once
// The /pleo commands a firm's people send, as prepared requests.

#include "bench/support/http.hpp"
#include "bench/support/slack.hpp"

#include <functional>
#include <string>
#include <vector>

namespace bench {

// The whole request for the command `text` from `user_id`, the n-th of the run.
using command_signer = std::function<std::string(const std::string& user_id, const std::string& text, int n)>;

// The old set: four kinds, each from every member; the kind names the
// member's role ("search broad (admin)").
std::vector<prepared_request> repeated_requests(const command_signer& sign,
                                                const std::vector<linked_member>& users);

// At least `distinct` different (member, text) requests the way a firm
// sends them: 70 % searches for fragments of the clients' `names`, broad
// and narrow, the rest lists over every tab, filter and sort; 30 % from
// admins. Shuffled, and the same on every run.
std::vector<prepared_request> mixed_requests(const command_signer& sign,
                                             const std::vector<linked_member>& users,
                                             const std::vector<std::string>& names, int distinct);

} // namespace bench

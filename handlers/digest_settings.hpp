#pragma once
// Digest subscriptions from chat: `digest NAME freq`, `digest channel freq`,
// `digests`, and the frequency select (actions::digest_set).

#include "handlers/context.hpp"
#include "handlers/request.hpp"

#include <string_view>

namespace handlers {

reply set_client_digest(context& ctx, const caller& who, std::string_view name,
                        std::string_view frequency_word);
reply set_channel_digest(context& ctx, const caller& who, std::string_view frequency_word);
reply list_digests(context& ctx, const caller& who);
reply on_digest_select(context& ctx, const caller& who, const action& act);
// The frequency control shown on a client card (initial = current subscription).
select digest_control(context& ctx, const catalogue& t, const store::member& viewer,
                      std::string_view client_id);

} // namespace handlers

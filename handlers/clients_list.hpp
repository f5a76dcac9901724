#pragma once
// The Clients page as a chat message: role-aware tabs with counts, 10
// clients a page, sort, the missing-receipts filter, search, and a
// per-client overflow menu. The page's state travels in each control's
// value (actions::clients_page) so a press needs no stored session.

#include "handlers/context.hpp"
#include "handlers/request.hpp"
#include "store/types.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace handlers {

inline constexpr int clients_page_size = 10;

struct list_state {
  // nullopt: every client the caller may see (search and `missing`):
  // admins the whole firm, bookkeepers their onboarding and active clients.
  std::optional<store::tab> tab = store::tab::mine;
  bool missing_only = false;
  bool descending = false;
  bool most_missing_first = false;
  std::string search;
  int page = 0; // 0-based

  bool operator==(const list_state&) const = default;
};

// Compact, versioned: "L1|<tab>|<flags>|<page>|<search>".
std::string encode_list_state(const list_state& s);
// nullopt for anything encode_list_state could not have produced.
std::optional<list_state> decode_list_state(std::string_view value);

// `clients [TAB] [missing] [desc]` (tab nullopt: the caller's default tab).
reply clients_command(context& ctx, const caller& who, std::optional<store::tab> tab, bool missing_only,
                      bool descending);
// `search TEXT` and `missing`.
reply search_command(context& ctx, const caller& who, std::string_view text);
reply missing_command(context& ctx, const caller& who);
// A list control pressed: the list for that state, replacing the message.
reply clients_page_action(context& ctx, const caller& who, const list_state& state);

// One client as a list row: status, balance, missing receipts, ready for
// export, and its menu (Go to client, View details, Notify the bookkeepers).
section client_row(context& ctx, const catalogue& t, const store::member& viewer, const store::client& c);

// The list as a view in the catalogue's language (the caller must be
// linked). `notice` is shown first.
view clients_view(context& ctx, const catalogue& t, const store::member& viewer, list_state state,
                  const std::string& notice = {});

} // namespace handlers

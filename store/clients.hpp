#pragma once
// Clients as a viewer may see them: every query applies the portal's role
// rules (admins: the whole firm; bookkeepers: only clients assigned to them,
// onboarding or active). Sorting is Danish alphabetical (... Z, Æ, Ø, Å).

#include "store/database.hpp"
#include "store/types.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace store {

enum class name_match_kind { exact, prefix, substring, ambiguous, none };

struct name_match {
  name_match_kind kind = name_match_kind::none;
  std::vector<client> candidates; // one when resolved; several when ambiguous (at most 25)
};

// Lists, counts, names and cards are answered from the partner's in-memory
// read model (store/read_model) at the data's current generation; SQL only
// builds that model. The assignment lookups read SQL directly.
class clients {
public:
  explicit clients(database& db) : db_(db) {}

  // Tab rules as in DESIGN.md; a bookkeeper asking for invites/all gets an empty page.
  // With query.every_visible: every client the viewer may see, in one ordered page.
  client_page list(const member& viewer, const list_query& query);
  tab_counts counts(const member& viewer);

  // The client if the viewer may see it (any tab), else nullopt.
  std::optional<client> visible(const member& viewer, std::string_view client_id);
  // Case-insensitive: exact, then unique prefix, then unique substring.
  name_match resolve_name(const member& viewer, std::string_view name);
  // Every visible client's name, for "did you mean" suggestions.
  std::vector<std::string> visible_names(const member& viewer);

  std::vector<member> bookkeepers(std::string_view client_id);
  // The same for a client the viewer may see (empty otherwise), from memory when it can.
  std::vector<member> bookkeepers(const member& viewer, std::string_view client_id);
  bool is_assigned(std::string_view client_id, std::string_view member_id);

private:
  database& db_;
};

} // namespace store

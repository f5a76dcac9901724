#pragma once
// A small firm on a real in-memory store, shaped to pin the role rules:
// two partners, admins with and without assignments, bookkeepers with and
// without onboarding clients, a client only one bookkeeper may see.

#include "bot/cli/platform_list.hpp"
#include "handlers/context.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/request.hpp"
#include "handlers/view.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "support/firm_files.hpp"
#include "support/view_text.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

namespace test_support {

inline const std::string small_firm_snapshot = test_support::firm_file("small_firm");

// A second firm in the same database: no invites, nothing in onboarding.
inline const std::string other_firm_snapshot = test_support::firm_file("other_firm");

struct small_firm {
  store::database db{":memory:"};
  handlers::settings settings;
  handlers::context ctx{db, settings};

  small_firm() {
    load(small_firm_snapshot);
    load(other_firm_snapshot);
  }
  explicit small_firm(const std::string& snapshot) { load(snapshot); }

  void load(const std::string& snapshot) {
    auto r = bot::import_snapshot(db, snapshot, "2026-11-27T09:00:00Z");
    if (!r.ok) throw std::runtime_error("snapshot: " + r.error);
    last_partner_id = r.partner_id;
  }

  store::member member(const std::string& partner_id, const std::string& id) {
    auto m = store::directory{db}.member_by_id(partner_id, id);
    REQUIRE(m);
    return *m;
  }

  // A linked caller on Slack.
  handlers::caller as(const std::string& member_id, const std::string& partner_id = "p-1") {
    handlers::caller c;
    c.partner = *store::directory{db}.partner_by_id(partner_id);
    c.member = member(partner_id, member_id);
    c.chat = {"slack",          *store::directory{db}.workspace_of(partner_id, "slack"),
              "U-" + member_id, c.member->email,
              "C-general",      ""};
    return c;
  }

  handlers::caller unlinked(const std::string& user_id, const std::string& profile_email,
                            const std::string& partner_id = "p-1") {
    handlers::caller c;
    c.partner = *store::directory{db}.partner_by_id(partner_id);
    c.chat = {"slack",     *store::directory{db}.workspace_of(partner_id, "slack"),
              user_id,     profile_email,
              "C-general", ""};
    return c;
  }

  // The message a command answers with (it must answer with one).
  handlers::view command_view(const handlers::caller& who, std::string_view text) {
    auto r = handlers::on_command(ctx, who, text);
    REQUIRE(r.message);
    return *r.message;
  }

  std::string last_partner_id;
};

// The buttons of every action row, in order.
inline std::vector<handlers::button> buttons_of(const handlers::view& v) {
  std::vector<handlers::button> out;
  for (const auto& b : v.blocks)
    if (const auto* row = std::get_if<handlers::action_row>(&b))
      for (const auto& c : row->controls)
        if (const auto* bt = std::get_if<handlers::button>(&c)) out.push_back(*bt);
  return out;
}

inline std::optional<handlers::button> button_labelled(const handlers::view& v, const std::string& prefix) {
  for (const auto& b : buttons_of(v))
    if (b.label.rfind(prefix, 0) == 0) return b;
  return std::nullopt;
}

// The client rows (sections with an overflow menu).
inline std::vector<handlers::section> client_rows(const handlers::view& v) {
  std::vector<handlers::section> out;
  for (const auto& b : v.blocks)
    if (const auto* s = std::get_if<handlers::section>(&b))
      if (std::holds_alternative<handlers::menu>(s->side)) out.push_back(*s);
  return out;
}

} // namespace test_support

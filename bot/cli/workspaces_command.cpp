#include "bot/cli/workspaces_command.hpp"

#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "store/installations.hpp"
#include "text/log_escape.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ostream.h>

namespace bot {

namespace {

bool known_platform(const std::string& name) {
  const auto& all = snapshot_platforms();
  return std::any_of(all.begin(), all.end(), [&](const auto& p) { return p.platform == name; });
}

} // namespace

int workspaces_list(const bot::config& cfg, std::ostream& out, std::ostream& err) {
  try {
    store::database db(cfg.db_path);
    const auto all = store::installations(db).list();
    if (all.empty()) {
      fmt::print(out, "no workspaces: import a snapshot or install the app\n");
      return 0;
    }
    fmt::print(out, "{:<8} {:<14} {:<14} {:<24} {}\n", "PLATFORM", "WORKSPACE", "FIRM", "NAME", "INSTALL");
    for (const auto& w : all) {
      const auto id = w.workspace_id.empty() ? w.enterprise_id + " (organisation)" : w.workspace_id;
      fmt::print(out, "{:<8} {:<14} {:<14} {:<24} {}\n", w.platform, text::escape_for_log(id, 60),
                 w.partner_id.empty() ? "-" : text::escape_for_log(w.partner_id, 60),
                 text::escape_for_log(w.workspace_name.empty() ? w.partner_name : w.workspace_name, 60),
                 w.state.empty() ? "not installed" : w.state);
    }
    return 0;
  } catch (const std::exception& e) {
    fmt::print(err, "partnerbot: {}: {}\n", cfg.db_path, e.what());
    return 1;
  }
}

int workspaces_bind(const bot::config& cfg, const std::string& partner_id, const std::string& platform,
                    const std::string& workspace_id, std::ostream& out, std::ostream& err) {
  if (!known_platform(platform)) {
    fmt::print(err, "partnerbot: \"{}\" is not a platform (slack or teams)\n",
               text::escape_for_log(platform, 40));
    return 2;
  }
  if (workspace_id.empty() || std::any_of(workspace_id.begin(), workspace_id.end(),
                                          [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
    fmt::print(err, "partnerbot: \"{}\" is not a workspace id\n", text::escape_for_log(workspace_id, 60));
    return 2;
  }
  try {
    store::database db(cfg.db_path);
    // An operator's explicit bind moves the firm off any earlier workspace of that platform.
    const auto r = store::installations(db).bind(platform, workspace_id, partner_id, true);
    switch (r) {
    case store::bind_result::bound:
      fmt::print(out, "bound {} workspace {} to firm {}\n", platform, workspace_id, partner_id);
      return 0;
    case store::bind_result::already_bound:
      fmt::print(out, "{} workspace {} already belongs to firm {}\n", platform, workspace_id, partner_id);
      return 0;
    default:
      fmt::print(err, "partnerbot: cannot bind {} workspace {} to firm {}: {}\n", platform,
                 text::escape_for_log(workspace_id, 60), text::escape_for_log(partner_id, 60),
                 store::to_string(r));
      return 1;
    }
  } catch (const std::exception& e) {
    fmt::print(err, "partnerbot: {}: {}\n", cfg.db_path, e.what());
    return 1;
  }
}

} // namespace bot

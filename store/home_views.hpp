#pragma once
// Home views: the chat users who have opened their home on a platform that
// has one (a home tab), with a digest of what they were last shown
// and when. A home is republished only to them, when what it shows has
// changed, and at most once a minute (the caller's policy; see
// bot/home_refresher.hpp). generation() moves on with every change to what
// a home can show: client data, subscriptions, reply languages and links,
// from this process or any other.
// Same threading rule as database: one thread at a time.

#include "store/database.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace store {

struct home_viewer {
  std::string platform;
  std::string workspace_id;
  std::string user_id;
  std::string enterprise_id;     // the workspace's organisation, when it has one
  std::int64_t opened_ms = 0;    // last opened (unix ms)
  std::string published_hash;    // digest of the view last published
  std::int64_t published_ms = 0; // when the last publish was tried (unix ms)
};

class home_views {
public:
  explicit home_views(database& db) : db_(db) {}

  // The user opened their home and was shown the view with `hash`.
  void opened(const home_viewer& v);
  // A publish was tried at `now_ms`; with an empty hash (it failed) the
  // digest shown before stays, so the change is tried again later.
  void published(std::string_view platform, std::string_view workspace_id, std::string_view user_id,
                 std::string_view hash, std::int64_t now_ms);
  // Everyone who has opened their home on `platform`.
  std::vector<home_viewer> viewers(std::string_view platform);
  // Moves on with every change to what a home shows.
  std::int64_t generation();

private:
  database& db_;
};

} // namespace store

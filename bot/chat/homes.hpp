#pragma once
// Homes: a surface where a platform shows a user their home (Slack's Home
// tab), and the registry that keeps opened homes up to date (implemented by
// bot/jobs/home_refresher). A platform registers its surface at start and
// tells the registry when a user opens their home; the registry republishes
// it when what it shows changes. Single-threaded: use from the io_context's
// thread.

#include "handlers/view.hpp"
#include "store/home_views.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>

namespace bot {

// Where a platform shows a user their home.
class home_surface {
public:
  virtual ~home_surface() = default;
  // True when the platform took it.
  virtual boost::asio::awaitable<bool> publish(const store::home_viewer& to, const handlers::view& home) = 0;
};

class home_registry {
public:
  virtual ~home_registry() = default;
  // `surface` must outlive the registry's use of it.
  virtual void add_surface(std::string platform, home_surface& surface) = 0;
  // `to` opened their home and was shown `home` just now.
  virtual boost::asio::awaitable<void> opened(store::home_viewer to, const handlers::view& home) = 0;
};

} // namespace bot

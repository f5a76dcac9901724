#pragma once
// The one path every chat request takes once its platform adapter has
// verified and parsed it, whatever the platform (and `partnerbot ask`):
//
//   - resolve the caller: workspace -> partner, chat user -> member, linking
//     an unlinked user by the e-mail on their chat profile;
//   - learn the chat locale of a member (the caller, and those a submission
//     writes to) on a platform whose requests do not carry it, when it is
//     unknown or a day old: waited for, within part of the deadline, only
//     when unknown; otherwise read behind the answer;
//   - answer through the handlers, reusing the rendered answer of a
//     read-only client command while the client data is unchanged;
//   - within the platform's deadline: past it, the request is told the
//     answer is on its way and the real answer follows through the outbox
//     (never a wrong answer such as "you are not linked");
//   - on failure, a short apology with a reference, and a log line;
//   - every message that does not go back in the HTTP response goes through
//     the outbox.
//
// Store and handler work runs on the store thread; the rest on the
// io_context's thread, from which `answer` must be called.

#include "bot/chat/answer_cache.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/net/background.hpp"
#include "handlers/context.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/request.hpp"
#include "store/languages.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace bot {

// What a platform tells about one of its users beyond the request itself.
struct chat_profile {
  bool answered = false; // the platform answered (a transport failure: false)
  std::string email;     // empty: unknown or hidden
  std::string locale;    // e.g. "da-DK"; empty: unknown
};

// The part of answering that differs per platform. Implemented by each adapter.
class chat_platform {
public:
  virtual ~chat_platform() = default;
  // The platform's name as stored in workspaces, chat identities and outbox rows.
  virtual std::string_view name() const = 0;
  // The user's profile; may be slow and may fail (empty fields). Called on
  // the io_context's thread; the service caches what it returns.
  virtual boost::asio::awaitable<chat_profile> profile(const handlers::chat_user& user) = 0;
  // Whether a user's locale comes only from profile(), never with a request
  // (Slack). The service then reads it when it is unknown or a day old, for
  // the one asking and for those written to. False: no lookup needed.
  virtual bool asks_for_locales() const { return false; }
  // The HTTP body that carries `message` as the immediate answer to a
  // command. Called on the store thread: must not touch shared state.
  virtual std::string render_answer(const handlers::view& message) const = 0;
};

struct chat_request {
  std::string request_id; // for the log and the apology's reference
  handlers::chat_user from;
  // Typed text, a pressed control, or a submitted form.
  std::variant<std::string, handlers::action, handlers::submission> what;
  // Where the platform takes a later answer to this request (an outbox
  // recipient of kind reply / replace; opaque here). Empty: none, and a
  // later answer goes to the user privately in the conversation, or by DM.
  std::string reply_address;
  // Control presses: the answer message always goes through the outbox
  // (the platform's acknowledgement carries no message).
  bool answer_by_message = false;
};

struct chat_answer {
  // The language the answer is written in (for the words a platform adds).
  handlers::language language = handlers::language::en;
  enum class status {
    answered,      // `reply` holds the answer
    not_connected, // the workspace belongs to no partner; `reply` says so
    on_its_way,    // past the deadline; `reply` says so, the answer follows
  };
  status state = status::answered;
  handlers::reply reply;
  // The platform's rendering of the answer, when it was reused or made for
  // reuse (render_answer); empty otherwise.
  std::shared_ptr<const std::string> rendered;
  // With `rendered`, the view it renders, shared with the answer cache and
  // not copied (reply.message is then empty).
  std::shared_ptr<const handlers::view> reused_message;

  // The answer's view wherever it is held, or nullptr.
  const handlers::view* message() const { return reply.message ? &*reply.message : reused_message.get(); }
  // The view to send as a message of its own (a copy when it is shared).
  std::optional<handlers::view> take_message() {
    if (reply.message) return std::exchange(reply.message, std::nullopt);
    if (reused_message) return *reused_message;
    return std::nullopt;
  }
};

struct chat_requests_options {
  std::chrono::minutes profile_ttl{10}; // a chat profile is looked up again after this
  std::size_t max_profiles = 10000;
  std::size_t answer_cache_bytes = 4 * 1024 * 1024;
  // A locale lookup that failed is not tried again for this long.
  std::chrono::seconds failed_locale_retry{60};
  // Locale lookups in flight at once (each one a users.info call).
  std::size_t locale_lookups_at_once = 8;
};

class chat_requests {
public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;

  using options = chat_requests_options;

  chat_requests(
      boost::asio::io_context& io, store_thread& store, background& follow_ups,
      const handlers::settings& settings, std::function<void()> outbox_wakeup,
      clock_fn clock = [] { return std::chrono::system_clock::now(); }, options opts = options{});

  // Answers `request`, or says within `deadline` that the answer is on its way.
  boost::asio::awaitable<chat_answer> answer(chat_platform& platform, chat_request request,
                                             std::chrono::milliseconds deadline);

  // Answers without a deadline (the command line). An empty platform name in
  // `request.from` resolves the caller by `from.profile_email` alone.
  boost::asio::awaitable<chat_answer> answer_now(chat_platform& platform, chat_request request);

  // Reads the locales of `due` from `platform` (when it asks_for_locales)
  // and stores them. Waits at most `wait`: a lookup still going on then is
  // stored when it comes, so a slow platform delays no one beyond it. One
  // lookup per member at a time; a failed one waits failed_locale_retry.
  boost::asio::awaitable<void> read_locales(chat_platform& platform, std::vector<store::locale_due> due,
                                            std::chrono::milliseconds wait);
  // The step before a digest pass: the locales of everyone it writes to on
  // `platform` that are unknown or a day old, read within `wait`.
  boost::asio::awaitable<void> read_digest_locales(chat_platform& platform, std::chrono::milliseconds wait);

private:
  // One member's locale asked of the platform and stored.
  boost::asio::awaitable<void> look_up_locale(chat_platform& platform, store::locale_due due);
  boost::asio::awaitable<chat_answer> work(chat_platform& platform, const chat_request& request,
                                           std::chrono::milliseconds locale_wait);
  // The handler work for a resolved caller; runs on the store thread.
  // `read_locale`: the caller's locale as the platform just told it.
  chat_answer answer_on_store(store::database& db, chat_platform& platform, const chat_request& request,
                              handlers::caller who, bool link_first,
                              const std::optional<handlers::command_text>& command,
                              const std::optional<std::string>& read_locale = std::nullopt);
  boost::asio::awaitable<chat_profile> profile_of(chat_platform& platform, const handlers::chat_user& user);
  // Enqueues `message` for the requester (kind reply/replace, or private/DM).
  boost::asio::awaitable<void> send_later(chat_platform& platform, const chat_request& request,
                                          handlers::view message, bool replace);

  boost::asio::io_context& io_;
  store_thread& store_;
  background& follow_ups_;
  const handlers::settings& settings_;
  std::function<void()> outbox_wakeup_;
  clock_fn clock_;
  options options_;
  answer_cache answers_; // store thread only

  struct cached_profile {
    chat_profile profile;
    std::chrono::system_clock::time_point fetched;
  };
  std::unordered_map<std::string, cached_profile> profiles_; // io thread only
  // Locale lookups in flight (member ids) and failed ones (member id -> when); io thread only.
  std::unordered_set<std::string> locale_lookups_;
  std::unordered_map<std::string, std::chrono::system_clock::time_point> failed_locales_;
};

} // namespace bot

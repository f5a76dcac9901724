#pragma once
// What the store keeps about a member's language: their own choice
// (`language da|en|auto`) and the chat locale last seen for them, so that
// digests and reminders, written when they are not asking, use it too; and
// when that locale was last read from a platform that has to be asked for it
// (most chat requests do not carry one), so that it is read again when old.
// Codes are plain text ("da", "en"; a locale as the chat app sends it);
// times are ISO 8601 UTC text, which sorts as time does.

#include "store/database.hpp"
#include "store/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace store {

struct language_setting {
  std::string choice;    // "da", "en", or empty: follow the locale
  std::string locale;    // e.g. "da-DK"; empty when never seen
  std::string locale_at; // when the locale was last read from the platform; empty: never
};

// A member whose chat locale is to be read from the platform, where to ask.
struct locale_due {
  chat_identity identity;
  std::string locale; // the one stored, maybe old; empty: unknown
};

class member_languages {
public:
  explicit member_languages(database& db) : db_(db) {}

  language_setting of(std::string_view member_id);
  // `choice` "da" or "en", or empty for "follow the locale"; anything else throws.
  void set_choice(std::string_view member_id, std::string_view choice);
  void set_locale(std::string_view member_id, std::string_view locale);
  // The platform was asked at `at`: `locale` is stored with that time; an
  // empty one (the platform did not say) keeps the locale stored before.
  void set_read_locale(std::string_view member_id, std::string_view locale, std::string_view at);

  // The member's identity on `platform`, when they follow their locale (no
  // choice of their own) and it was never read or was read before `read_before`.
  std::vector<locale_due> due(std::string_view platform, const std::vector<std::string>& member_ids,
                              std::string_view read_before);
  // The same for everyone a digest is written to on `platform`: members with
  // a subscription made there, and the admins who subscribed a channel there.
  std::vector<locale_due> due_for_digests(std::string_view platform, std::string_view read_before);

private:
  database& db_;
};

} // namespace store

#pragma once
// What the store keeps about a member's language: their own choice
// (`language da|en|auto`) and the chat locale last seen for them, so that
// digests and reminders, written when they are not asking, use it too.
// Codes are plain text ("da", "en"; a locale as the chat app sends it).

#include "store/database.hpp"

#include <string>
#include <string_view>

namespace store {

struct language_setting {
  std::string choice; // "da", "en", or empty: follow the locale
  std::string locale; // e.g. "da-DK"; empty when never seen
};

class member_languages {
public:
  explicit member_languages(database& db) : db_(db) {}

  language_setting of(std::string_view member_id);
  // `choice` "da" or "en", or empty for "follow the locale"; anything else throws.
  void set_choice(std::string_view member_id, std::string_view choice);
  void set_locale(std::string_view member_id, std::string_view locale);

private:
  database& db_;
};

} // namespace store

#include "bot/answer_cache.hpp"

namespace bot {

const std::string* answer_cache::find(const std::string& key, std::int64_t generation) const {
  if (generation != generation_) return nullptr;
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void answer_cache::put(std::string key, std::int64_t generation, std::string body) {
  const auto added = key.size() + body.size();
  if (added > max_bytes_) return;
  // A new generation makes every entry stale; a full cache starts over
  // (simpler than ageing entries, and refills from the store's own cache).
  if (generation != generation_ || bytes_ + added > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
    generation_ = generation;
  }
  auto [it, inserted] = entries_.try_emplace(std::move(key));
  if (!inserted) bytes_ -= it->first.size() + it->second.size();
  it->second = std::move(body);
  bytes_ += it->first.size() + it->second.size();
}

std::string answer_cache::key_of(std::string_view partner_id, std::string_view member_id,
                                 std::string_view role, std::string_view language, std::string_view text) {
  std::string key;
  key.reserve(partner_id.size() + member_id.size() + role.size() + language.size() + text.size() + 4);
  // Ids, roles and language codes never hold a newline; the text comes last.
  key.append(partner_id).append("\n").append(member_id).append("\n").append(role).append("\n");
  key.append(language).append("\n").append(text);
  return key;
}

} // namespace bot

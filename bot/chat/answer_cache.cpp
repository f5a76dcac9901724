#include "bot/chat/answer_cache.hpp"

namespace bot {

namespace {

// The body dominates; the view holds about the same text again.
std::size_t cost_of(const std::string& key, const reusable_answer& a) {
  return key.size() + 2 * a.body.size();
}

} // namespace

std::shared_ptr<const reusable_answer> answer_cache::find(const std::string& key,
                                                          std::int64_t generation) const {
  if (generation != generation_) return nullptr;
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second;
}

void answer_cache::put(std::string key, std::int64_t generation,
                       std::shared_ptr<const reusable_answer> answer) {
  const auto added = cost_of(key, *answer);
  if (added > max_bytes_) return;
  // A new generation makes every entry stale; a full cache starts over
  // (simpler than ageing entries, and refills from the store's own cache).
  if (generation != generation_ || bytes_ + added > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
    generation_ = generation;
  }
  auto [it, inserted] = entries_.try_emplace(std::move(key));
  if (!inserted) bytes_ -= cost_of(it->first, *it->second);
  it->second = std::move(answer);
  bytes_ += cost_of(it->first, *it->second);
}

std::string answer_cache::key_of(std::string_view platform, std::string_view partner_id,
                                 std::string_view member_id, std::string_view role, std::string_view language,
                                 std::string_view text) {
  std::string key;
  key.reserve(platform.size() + partner_id.size() + member_id.size() + role.size() + language.size() +
              text.size() + 5);
  // Names, ids, roles and language codes never hold a newline; the text comes last.
  key.append(platform).append("\n").append(partner_id).append("\n").append(member_id).append("\n");
  key.append(role).append("\n").append(language).append("\n").append(text);
  return key;
}

} // namespace bot

#pragma once
// Rendered answers (HTTP bodies) to commands that read only client lists,
// reused while the client data's generation is unchanged: a hit skips the
// handler, the platform rendering and the serialisation, which are most of
// a request's cost. Keyed by who asks, the language they are answered in and
// what they typed. Bounded in bytes;
// one thread, like the store connection it follows.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace bot {

class answer_cache {
public:
  explicit answer_cache(std::size_t max_bytes = 4 * 1024 * 1024) : max_bytes_(max_bytes) {}

  // The body stored for `key` at this generation, or nullptr.
  const std::string* find(const std::string& key, std::int64_t generation) const;
  void put(std::string key, std::int64_t generation, std::string body);

  static std::string key_of(std::string_view partner_id, std::string_view member_id, std::string_view role,
                            std::string_view language, std::string_view text);

private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::int64_t generation_ = -1;
  std::unordered_map<std::string, std::string> entries_;
};

} // namespace bot

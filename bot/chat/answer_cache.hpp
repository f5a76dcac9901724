#pragma once
// Rendered answers to commands that read only client lists, reused while
// the client data's generation is unchanged: a hit skips the handler, the
// platform rendering and the serialisation, which are most of a request's
// cost. Keyed by platform, who asks, the language they are answered in and
// what they typed. The neutral view is kept beside the body, so an answer
// that comes too late for the HTTP response can still be sent as a message.
// Bounded in bytes; one thread.

#include "handlers/view.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace bot {

struct reusable_answer {
  handlers::view message;
  std::string body; // the platform's rendering of `message`
};

class answer_cache {
public:
  explicit answer_cache(std::size_t max_bytes = 4 * 1024 * 1024) : max_bytes_(max_bytes) {}

  // The answer stored for `key` at this generation, or nullptr.
  std::shared_ptr<const reusable_answer> find(const std::string& key, std::int64_t generation) const;
  void put(std::string key, std::int64_t generation, std::shared_ptr<const reusable_answer> answer);

  static std::string key_of(std::string_view platform, std::string_view partner_id,
                            std::string_view member_id, std::string_view role, std::string_view language,
                            std::string_view text);

private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::int64_t generation_ = -1;
  std::unordered_map<std::string, std::shared_ptr<const reusable_answer>> entries_;
};

} // namespace bot

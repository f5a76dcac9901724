#include "store/read_model.hpp"

#include "store/database.hpp"
#include "store/memo.hpp"
#include "store/rows.hpp"
#include "text/danish.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <divsufsort.h>
#include <future>
#include <limits>
#include <stdexcept>

namespace store {
namespace {

// Every client of the partner in Danish name order, with both folded names.
constexpr const char* sql_model_clients =
    "SELECT " STORE_CLIENT_COLUMNS ", c.name_fold, c.name_ascii FROM clients c "
    "LEFT JOIN client_metrics m ON m.client_id = c.id WHERE c.partner_id = ?1 ORDER BY c.sort_key, c.pk";
constexpr const char* sql_model_client_count = "SELECT count(*) FROM clients WHERE partner_id = ?1";
// Every assignment of the partner's clients, in no order: a firm has far
// fewer members than assignments, so they are put in (name, id) order in
// memory (byte order, as both engines compare these columns) instead of
// sorting every assignment in SQL.
constexpr const char* sql_model_assignments = "SELECT a.client_id, a.member_id FROM assignments a "
                                              "JOIN clients c ON c.id = a.client_id WHERE c.partner_id = ?1";
constexpr const char* sql_model_member =
    "SELECT id, partner_id, name, email, role FROM members WHERE id = ?1";

constexpr int max_candidates = 25;
constexpr std::uint32_t folds_case = 1, folds_ascii = 2; // which folding a text byte belongs to
// Ranks share a word with two bits of folding flags.
constexpr std::size_t max_clients = std::size_t{1} << 30;
// From this many clients the search index is built on a thread of its own.
constexpr std::size_t parallel_from = 20'000;

using ranks = std::vector<std::uint32_t>;
using bits = std::vector<std::uint64_t>;

std::size_t words_for(std::size_t n) {
  return (n + 63) / 64;
}
void set_bit(bits& b, std::uint32_t r) {
  b[r >> 6] |= std::uint64_t{1} << (r & 63);
}
bool test_bit(const bits& b, std::uint32_t r) {
  return (b[r >> 6] >> (r & 63)) & 1;
}

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return s;
}

// The search as store::clients reads it: a plain-ASCII term is compared with
// the ASCII-folded names, any other with the case-folded ones.
struct term {
  std::string text; // folded; empty: no search
  bool ascii = true;
};

term prepare(std::string_view raw) {
  term t;
  raw = trim(raw);
  if (raw.empty()) return t;
  t.ascii = text::is_ascii(raw);
  t.text = t.ascii ? text::fold_ascii(raw) : text::fold_case(raw);
  return t;
}

// Which clients a question ranges over, before search and filters.
enum class scope { none, firm, invites, onboarding, member_active, member_onboarding, member_visible };

scope scope_of(const member& viewer, const list_query& q) {
  const bool admin = viewer.role == role::admin;
  if (q.every_visible) return admin ? scope::firm : scope::member_visible;
  switch (q.tab) {
  case tab::invites:
    return admin ? scope::invites : scope::none;
  case tab::onboarding:
    return admin ? scope::onboarding : scope::member_onboarding;
  case tab::mine:
    return scope::member_active;
  case tab::all:
    return admin ? scope::firm : scope::none;
  }
  return scope::none;
}

bool mask_has(std::uint32_t owner, bool ascii) {
  return (owner & (ascii ? folds_ascii : folds_case)) != 0;
}

// Scratch bit sets for one thread's searches: no allocation per request.
bits& scratch_bits(std::size_t words) {
  thread_local bits b;
  b.assign(words, 0);
  return b;
}

template <class T> std::size_t vector_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
std::size_t string_bytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

} // namespace

// Marks the ranks whose folded name contains the term.
class read_model::matcher {
public:
  explicit matcher(const read_model& m) : m_(m) {}

  // Sets a bit per matching rank in `out` (sized for every rank, zeroed).
  void mark(const term& t, bits& out) const {
    const auto& text = m_.text_;
    const std::string_view needle = t.text;
    auto prefix_of = [&](std::int32_t pos) {
      const auto at = static_cast<std::size_t>(pos);
      return std::string_view(text).substr(at, std::min(needle.size(), text.size() - at));
    };
    const auto lo =
        std::lower_bound(m_.suffixes_.begin(), m_.suffixes_.end(), needle,
                         [&](std::int32_t pos, std::string_view n) { return prefix_of(pos) < n; });
    const auto hi =
        std::upper_bound(lo, m_.suffixes_.end(), needle,
                         [&](std::string_view n, std::int32_t pos) { return n < prefix_of(pos); });
    for (auto it = lo; it != hi; ++it) {
      const auto owner = m_.owner_[static_cast<std::size_t>(*it)];
      if (mask_has(owner, t.ascii)) set_bit(out, owner >> 2);
    }
  }

  // The rank's folded name in the folding the term asks for.
  std::string_view name(std::uint32_t rank, bool ascii) const {
    const auto at = (ascii ? m_.ascii_at_ : m_.fold_at_)[rank];
    const auto end = m_.text_.find('\0', at);
    return std::string_view(m_.text_).substr(at, end - at);
  }

private:
  const read_model& m_;
};

std::shared_ptr<const read_model> read_model::build(database& db, std::string_view partner_id) {
  read_snapshot snapshot(db);
  std::shared_ptr<read_model> m(new read_model);
  m->partner_id_ = std::string(partner_id);
  m->generation_ = stored_client_generation(db);

  std::vector<std::string> folded, ascii;
  {
    // Sized once: a 100,000-client firm's vectors are not copied while they grow.
    sql::query count(db, sql_model_client_count);
    count.bind(1, partner_id);
    if (count.step()) {
      const auto expected = static_cast<std::size_t>(std::max<std::int64_t>(count.int64(0), 0));
      m->clients_.reserve(expected);
      folded.reserve(expected);
      ascii.reserve(expected);
    }
  }
  {
    sql::query q(db, sql_model_clients);
    q.bind(1, partner_id);
    while (q.step()) {
      m->clients_.push_back(sql::read_client(q));
      folded.push_back(q.text(9));
      ascii.push_back(q.text(10));
    }
  }
  const auto n = m->clients_.size();
  if (n >= max_clients) throw std::length_error("too many clients for a read model");
  const auto words = words_for(n);

  // The search index needs only the names: a large firm's is built on a
  // second thread while this one reads the assignments and indexes the rest.
  auto index_names = [&m, &folded, &ascii, n] {
    // Search text: each name's foldings, NUL-separated (a name's own NULs are
    // blanked: no term can span two names).
    m->fold_at_.resize(n);
    m->ascii_at_.resize(n);
    std::size_t total = 0;
    for (std::size_t r = 0; r < n; ++r)
      total += folded[r].size() + 1 + (folded[r] == ascii[r] ? 0 : ascii[r].size() + 1);
    if (total >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
      throw std::length_error("client names too long for a read model");
    // Sized once and written in place: no per-name growth checks.
    m->text_.resize(total);
    m->owner_.resize(total);
    std::size_t end = 0;
    auto append = [&](const std::string& s, std::uint32_t rank, std::uint32_t folds) {
      const auto at = static_cast<std::uint32_t>(end);
      auto* out = m->text_.data() + end;
      for (char ch : s)
        *out++ = ch == '\0' ? ' ' : ch;
      *out = '\0';
      std::fill_n(m->owner_.begin() + static_cast<std::ptrdiff_t>(end), s.size() + 1, rank << 2 | folds);
      end += s.size() + 1;
      return at;
    };
    for (std::uint32_t r = 0; r < n; ++r) {
      if (folded[r] == ascii[r]) {
        m->fold_at_[r] = m->ascii_at_[r] = append(folded[r], r, folds_case | folds_ascii);
      } else {
        m->fold_at_[r] = append(folded[r], r, folds_case);
        m->ascii_at_[r] = append(ascii[r], r, folds_ascii);
      }
    }
    m->suffixes_.resize(m->text_.size());
    if (!m->text_.empty() && divsufsort(reinterpret_cast<const sauchar_t*>(m->text_.data()),
                                        m->suffixes_.data(), static_cast<saidx_t>(m->text_.size())) != 0)
      throw std::runtime_error("suffix array construction failed");
  };
  std::future<void> names_indexed;
  if (n >= parallel_from)
    names_indexed = std::async(std::launch::async, index_names);
  else
    index_names();

  m->rank_of_id_.reserve(n);
  m->invite_bits_.assign(words, 0);
  m->onboarding_bits_.assign(words, 0);
  m->missing_bits_.assign(words, 0);
  for (std::uint32_t r = 0; r < n; ++r) {
    const auto& c = m->clients_[r];
    m->rank_of_id_.emplace(c.id, r);
    if (c.status == client_status::invite) {
      m->invites_.push_back(r);
      set_bit(m->invite_bits_, r);
    } else if (c.status == client_status::onboarding) {
      m->onboarding_.push_back(r);
      set_bit(m->onboarding_bits_, r);
    }
    if (c.missing_receipts > 0) set_bit(m->missing_bits_, r);
  }
  m->most_missing_.resize(n);
  for (std::uint32_t r = 0; r < n; ++r)
    m->most_missing_[r] = r;
  std::stable_sort(m->most_missing_.begin(), m->most_missing_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return m->clients_[a].missing_receipts > m->clients_[b].missing_receipts;
  });

  // Assignments: members in (name, id) order, so each client's list comes out sorted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs; // (rank, member index)
  {
    std::unordered_map<std::string, std::uint32_t> seen; // member id -> index in first-seen order
    std::vector<std::pair<std::uint32_t, std::uint32_t>> found;
    sql::query q(db, sql_model_assignments);
    q.bind(1, partner_id);
    while (q.step()) {
      const auto client_it = m->rank_of_id_.find(q.text(0));
      if (client_it == m->rank_of_id_.end()) continue;
      const auto [it, added] = seen.try_emplace(q.text(1), static_cast<std::uint32_t>(seen.size()));
      found.emplace_back(client_it->second, it->second);
    }
    std::vector<member> members(seen.size());
    std::vector<bool> known(seen.size(), false);
    for (const auto& [id, index] : seen) {
      sql::query mq(db, sql_model_member);
      mq.bind(1, id);
      if (!mq.step()) continue; // no such member: the join left such rows out too
      members[index] = sql::read_member(mq);
      known[index] = true;
    }
    std::vector<std::uint32_t> order;
    for (std::uint32_t i = 0; i < members.size(); ++i)
      if (known[i]) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const auto& x = members[a];
      const auto& y = members[b];
      return x.name != y.name ? x.name < y.name : x.id < y.id;
    });
    constexpr auto none = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> position(members.size(), none);
    for (std::uint32_t at = 0; at < order.size(); ++at) {
      position[order[at]] = at;
      m->member_index_.emplace(members[order[at]].id, at);
      m->members_.push_back(std::move(members[order[at]]));
    }
    m->member_lists_.resize(m->members_.size());
    // By member in (name, id) order, each member's pairs in the order read.
    std::vector<std::uint32_t> start(m->members_.size() + 1, 0);
    for (const auto& [rank, who] : found)
      if (position[who] != none) ++start[position[who] + 1];
    for (std::size_t i = 0; i < m->members_.size(); ++i)
      start[i + 1] += start[i];
    pairs.resize(start.back());
    for (const auto& [rank, who] : found)
      if (position[who] != none) pairs[start[position[who]]++] = {rank, position[who]};
  }
  m->bookkeeper_start_.assign(n + 1, 0);
  for (const auto& [rank, who] : pairs)
    ++m->bookkeeper_start_[rank + 1];
  for (std::size_t r = 0; r < n; ++r)
    m->bookkeeper_start_[r + 1] += m->bookkeeper_start_[r];
  m->bookkeeper_members_.resize(pairs.size());
  {
    auto next = m->bookkeeper_start_;
    for (const auto& [rank, who] : pairs)
      m->bookkeeper_members_[next[rank]++] = who;
  }
  for (const auto& [rank, who] : pairs) {
    auto& lists = m->member_lists_[who];
    const auto status = m->clients_[rank].status;
    if (status == client_status::active) lists.active.push_back(rank);
    if (status == client_status::onboarding) lists.onboarding.push_back(rank);
  }
  for (auto& lists : m->member_lists_) {
    std::sort(lists.active.begin(), lists.active.end());
    std::sort(lists.onboarding.begin(), lists.onboarding.end());
    lists.visible.resize(lists.active.size() + lists.onboarding.size());
    std::merge(lists.active.begin(), lists.active.end(), lists.onboarding.begin(), lists.onboarding.end(),
               lists.visible.begin());
  }

  if (names_indexed.valid()) names_indexed.get();
  m->bytes_ = m->measure();
  return m;
}

std::size_t read_model::measure() const {
  std::size_t b = sizeof(read_model) + vector_bytes(clients_);
  for (const auto& c : clients_)
    b += string_bytes(c.id) + string_bytes(c.partner_id) + string_bytes(c.name) +
         string_bytes(c.wallet_balance.currency) + string_bytes(c.synced_at);
  // Hash nodes: the value, the next pointer and the cached hash; plus buckets.
  b += rank_of_id_.size() * (sizeof(std::string_view) + 4 + 2 * sizeof(void*)) +
       rank_of_id_.bucket_count() * sizeof(void*);
  b += member_index_.size() * (sizeof(std::string) + 4 + 2 * sizeof(void*)) +
       member_index_.bucket_count() * sizeof(void*);
  for (const auto& [id, index] : member_index_)
    b += string_bytes(id);
  b += vector_bytes(invites_) + vector_bytes(onboarding_) + vector_bytes(most_missing_);
  b += vector_bytes(invite_bits_) + vector_bytes(onboarding_bits_) + vector_bytes(missing_bits_);
  b += vector_bytes(member_lists_);
  for (const auto& l : member_lists_)
    b += vector_bytes(l.active) + vector_bytes(l.onboarding) + vector_bytes(l.visible);
  b += vector_bytes(members_);
  for (const auto& m : members_)
    b += string_bytes(m.id) + string_bytes(m.partner_id) + string_bytes(m.name) + string_bytes(m.email);
  b += vector_bytes(bookkeeper_start_) + vector_bytes(bookkeeper_members_);
  b += text_.capacity() + vector_bytes(suffixes_) + vector_bytes(owner_) + vector_bytes(fold_at_) +
       vector_bytes(ascii_at_);
  return b;
}

const read_model::member_lists* read_model::lists_of(std::string_view member_id) const {
  const auto it = member_index_.find(member_id);
  return it == member_index_.end() ? nullptr : &member_lists_[it->second];
}

client_page read_model::list(const member& viewer, const list_query& query) const {
  client_page page;
  const auto sc = scope_of(viewer, query);
  if (sc == scope::none) return page;
  const auto n = clients_.size();
  const auto t = prepare(query.search);

  const bits* match = nullptr;
  if (!t.text.empty()) {
    auto& b = scratch_bits(words_for(n));
    matcher(*this).mark(t, b);
    match = &b;
  }
  const bits* missing = query.missing_only ? &missing_bits_ : nullptr;
  const bool by_missing = query.most_missing_first;
  const bool descending = query.descending && !by_missing;
  const auto first = static_cast<std::size_t>(std::max(query.offset, 0));
  const auto wanted = query.limit > 0 ? first + static_cast<std::size_t>(query.limit) : 0;

  ranks chosen; // the page's ranks, in page order
  chosen.reserve(query.limit > 0 ? static_cast<std::size_t>(std::min(query.limit, 100)) : 0);
  auto take = [&](std::size_t index, std::uint32_t rank) {
    if (index >= first && index < wanted) chosen.push_back(rank);
  };

  if (sc == scope::firm || sc == scope::invites || sc == scope::onboarding) {
    const bits* status = sc == scope::invites      ? &invite_bits_
                         : sc == scope::onboarding ? &onboarding_bits_
                                                   : nullptr;
    const auto words = words_for(n);
    auto word = [&](std::size_t w) {
      std::uint64_t x = status ? (*status)[w] : ~std::uint64_t{0};
      if (match) x &= (*match)[w];
      if (missing) x &= (*missing)[w];
      if (!status && w + 1 == words && n % 64) x &= (std::uint64_t{1} << (n % 64)) - 1;
      return x;
    };
    std::size_t total = 0;
    for (std::size_t w = 0; w < words; ++w)
      total += static_cast<std::size_t>(std::popcount(word(w)));
    page.total = static_cast<int>(total);
    if (total == 0 || query.limit <= 0 || query.offset >= page.total) return page;
    std::size_t index = 0;
    if (by_missing) {
      for (auto r : most_missing_) {
        if (!((word(r >> 6) >> (r & 63)) & 1)) continue;
        take(index++, r);
        if (index >= wanted) break;
      }
    } else if (!descending) {
      for (std::size_t w = 0; w < words && index < wanted; ++w)
        for (auto x = word(w); x && index < wanted; x &= x - 1)
          take(index++, static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(x))));
    } else {
      for (std::size_t w = words; w-- > 0 && index < wanted;)
        for (auto x = word(w); x && index < wanted;) {
          const int top = 63 - std::countl_zero(x);
          take(index++, static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(top)));
          x &= ~(std::uint64_t{1} << top);
        }
    }
  } else {
    const auto* lists = lists_of(viewer.id);
    static const ranks none;
    const ranks& source = !lists                           ? none
                          : sc == scope::member_active     ? lists->active
                          : sc == scope::member_onboarding ? lists->onboarding
                                                           : lists->visible;
    ranks kept;
    kept.reserve(source.size());
    for (auto r : source)
      if ((!match || test_bit(*match, r)) && (!missing || test_bit(*missing, r))) kept.push_back(r);
    page.total = static_cast<int>(kept.size());
    if (kept.empty() || query.limit <= 0 || query.offset >= page.total) return page;
    if (by_missing) {
      const auto end = kept.begin() + static_cast<std::ptrdiff_t>(std::min(wanted, kept.size()));
      std::partial_sort(kept.begin(), end, kept.end(), [&](std::uint32_t a, std::uint32_t b) {
        const int ma = clients_[a].missing_receipts, mb = clients_[b].missing_receipts;
        return ma != mb ? ma > mb : a < b;
      });
    } else if (descending) {
      std::reverse(kept.begin(), kept.end());
    }
    for (std::size_t i = first; i < kept.size() && i < wanted; ++i)
      chosen.push_back(kept[i]);
  }
  page.rows.reserve(chosen.size());
  for (auto r : chosen)
    page.rows.push_back(clients_[r]);
  return page;
}

tab_counts read_model::counts(const member& viewer) const {
  tab_counts c;
  const auto* lists = lists_of(viewer.id);
  c.mine = lists ? static_cast<int>(lists->active.size()) : 0;
  if (viewer.role == role::admin) {
    c.invites = static_cast<int>(invites_.size());
    c.onboarding = static_cast<int>(onboarding_.size());
    c.all = static_cast<int>(clients_.size());
  } else {
    c.onboarding = lists ? static_cast<int>(lists->onboarding.size()) : 0;
  }
  return c;
}

std::optional<client> read_model::visible(const member& viewer, std::string_view client_id) const {
  const auto it = rank_of_id_.find(client_id);
  if (it == rank_of_id_.end()) return std::nullopt;
  if (viewer.role != role::admin) {
    const auto* lists = lists_of(viewer.id);
    if (!lists || !std::binary_search(lists->visible.begin(), lists->visible.end(), it->second))
      return std::nullopt;
  }
  return clients_[it->second];
}

name_match read_model::resolve_name(const member& viewer, std::string_view name) const {
  name_match result;
  const auto t = prepare(name);
  if (t.text.empty()) return result;
  const matcher m(*this);
  auto& b = scratch_bits(words_for(clients_.size()));
  m.mark(t, b);

  // Exact matches first, then prefixes, then the rest, each in name order;
  // one more than the candidate limit tells "more than 25" apart.
  constexpr std::size_t keep = max_candidates + 1;
  ranks exact, prefix, substring;
  auto consider = [&](std::uint32_t r) {
    const auto folded = m.name(r, t.ascii);
    if (folded == t.text) {
      if (exact.size() < keep) exact.push_back(r);
    } else if (folded.starts_with(t.text)) {
      if (prefix.size() < keep) prefix.push_back(r);
    } else if (substring.size() < keep) {
      substring.push_back(r);
    }
  };
  if (viewer.role == role::admin) {
    for (std::size_t w = 0; w < b.size(); ++w)
      for (auto x = b[w]; x; x &= x - 1)
        consider(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(x))));
  } else if (const auto* lists = lists_of(viewer.id)) {
    for (auto r : lists->visible)
      if (test_bit(b, r)) consider(r);
  }

  auto settle = [&](const ranks& found, name_match_kind kind) {
    result.kind = found.size() == 1 ? kind : name_match_kind::ambiguous;
    for (std::size_t i = 0; i < found.size() && i < static_cast<std::size_t>(max_candidates); ++i)
      result.candidates.push_back(clients_[found[i]]);
  };
  if (!exact.empty())
    settle(exact, name_match_kind::exact);
  else if (!prefix.empty())
    settle(prefix, name_match_kind::prefix);
  else if (!substring.empty())
    settle(substring, name_match_kind::substring);
  return result;
}

std::vector<std::string> read_model::visible_names(const member& viewer) const {
  std::vector<std::string> out;
  if (viewer.role == role::admin) {
    out.reserve(clients_.size());
    for (const auto& c : clients_)
      out.push_back(c.name);
  } else if (const auto* lists = lists_of(viewer.id)) {
    out.reserve(lists->visible.size());
    for (auto r : lists->visible)
      out.push_back(clients_[r].name);
  }
  return out;
}

std::vector<member> read_model::bookkeepers(std::string_view client_id) const {
  std::vector<member> out;
  const auto it = rank_of_id_.find(client_id);
  if (it == rank_of_id_.end()) return out;
  for (auto i = bookkeeper_start_[it->second]; i < bookkeeper_start_[it->second + 1]; ++i)
    out.push_back(members_[bookkeeper_members_[i]]);
  return out;
}

} // namespace store

// The in-memory read model is the one engine behind lists, searches and
// cards: it must give exactly the answers the portal's rules give (checked
// against a plain, slow oracle over the stored rows), for every role, tab,
// filter, order, page and search, and must never serve data older than what
// the connection sees.

#include "bot/cli/demo_firm.hpp"
#include "fixture.hpp"
#include "store/clients.hpp"
#include "store/read_model.hpp"
#include "text/danish.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>
#include <unistd.h>

using namespace store_test;
using store::tab;

namespace {

struct temp_dir {
  std::filesystem::path dir;
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "partnerbot-model-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
  }
  ~temp_dir() { std::filesystem::remove_all(dir); }
  std::string file(const char* name) const { return (dir / name).string(); }
};

std::vector<std::string> member_ids(const std::vector<store::member>& members) {
  std::vector<std::string> out;
  for (const auto& m : members)
    out.push_back(m.id + "/" + m.name);
  return out;
}

// The portal's rules applied one client at a time to the stored rows: slow,
// obviously right, and independent of the model's indexes.
struct oracle_client {
  store::client row;
  std::string sort_key, name_fold, name_ascii;
  std::int64_t pk = 0;
  std::set<std::string> assigned;
};

class rules_oracle {
public:
  rules_oracle(store::database& db, const std::string& partner) {
    SQLite::Statement q(db.sql(),
                        "SELECT c.id, c.partner_id, c.name, c.status, coalesce(m.balance_minor, 0), "
                        "coalesce(m.currency, ''), coalesce(m.missing_receipts, 0), "
                        "coalesce(m.ready_for_export, 0), coalesce(m.synced_at, ''), c.sort_key, "
                        "c.name_fold, c.name_ascii, c.pk FROM clients c LEFT JOIN client_metrics m "
                        "ON m.client_id = c.id WHERE c.partner_id = ? ORDER BY c.sort_key, c.pk");
    q.bind(1, partner);
    while (q.executeStep()) {
      oracle_client c;
      c.row.id = q.getColumn(0).getString();
      c.row.partner_id = q.getColumn(1).getString();
      c.row.name = q.getColumn(2).getString();
      c.row.status = *store::parse_client_status(q.getColumn(3).getString());
      c.row.wallet_balance.minor = q.getColumn(4).getInt64();
      c.row.wallet_balance.currency = q.getColumn(5).getString();
      c.row.missing_receipts = q.getColumn(6).getInt();
      c.row.ready_for_export = q.getColumn(7).getInt();
      c.row.synced_at = q.getColumn(8).getString();
      c.sort_key = q.getColumn(9).getString();
      c.name_fold = q.getColumn(10).getString();
      c.name_ascii = q.getColumn(11).getString();
      c.pk = q.getColumn(12).getInt64();
      SQLite::Statement a(db.sql(), "SELECT member_id FROM assignments WHERE client_id = ?");
      a.bind(1, c.row.id);
      while (a.executeStep())
        c.assigned.insert(a.getColumn(0).getString());
      clients_.push_back(std::move(c));
    }
  }

  store::tab_counts counts(const store::member& v) const {
    store::tab_counts t;
    const bool admin = v.role == store::role::admin;
    for (const auto& c : clients_) {
      const bool mine = c.assigned.count(v.id) > 0;
      if (admin && c.row.status == store::client_status::invite) ++t.invites;
      if (c.row.status == store::client_status::onboarding && (admin || mine)) ++t.onboarding;
      if (c.row.status == store::client_status::active && mine) ++t.mine;
      if (admin) ++t.all;
    }
    return t;
  }

  bool may_see(const store::member& v, const oracle_client& c) const {
    if (v.role == store::role::admin) return true;
    return c.assigned.count(v.id) > 0 && c.row.status != store::client_status::invite;
  }

  std::optional<store::client> visible(const store::member& v, const std::string& id) const {
    for (const auto& c : clients_)
      if (c.row.id == id && may_see(v, c)) return c.row;
    return std::nullopt;
  }

  std::vector<std::string> visible_names(const store::member& v) const {
    std::vector<std::string> out;
    for (const auto& c : clients_)
      if (may_see(v, c)) out.push_back(c.row.name);
    return out;
  }

  store::client_page list(const store::member& v, const store::list_query& q) const {
    const bool admin = v.role == store::role::admin;
    const auto term = folded(q.search);
    std::vector<const oracle_client*> hits;
    for (const auto& c : clients_) {
      const bool mine = c.assigned.count(v.id) > 0;
      bool in_scope = false;
      if (q.every_visible)
        in_scope = may_see(v, c);
      else if (q.tab == tab::invites)
        in_scope = admin && c.row.status == store::client_status::invite;
      else if (q.tab == tab::onboarding)
        in_scope = c.row.status == store::client_status::onboarding && (admin || mine);
      else if (q.tab == tab::mine)
        in_scope = c.row.status == store::client_status::active && mine;
      else
        in_scope = admin;
      if (!in_scope || (q.missing_only && c.row.missing_receipts <= 0)) continue;
      if (!term.text.empty() && name_of(c, term).find(term.text) == std::string::npos) continue;
      hits.push_back(&c);
    }
    if (q.descending && !q.most_missing_first) std::reverse(hits.begin(), hits.end());
    if (q.most_missing_first)
      std::stable_sort(hits.begin(), hits.end(), [](const auto* a, const auto* b) {
        return a->row.missing_receipts > b->row.missing_receipts;
      });
    store::client_page page;
    page.total = static_cast<int>(hits.size());
    for (int i = std::max(q.offset, 0); i < page.total && i < q.offset + q.limit; ++i)
      page.rows.push_back(hits[static_cast<std::size_t>(i)]->row);
    return page;
  }

  store::name_match resolve_name(const store::member& v, const std::string& name) const {
    store::name_match out;
    const auto term = folded(name);
    if (term.text.empty()) return out;
    std::vector<store::client> exact, prefix, substring;
    for (const auto& c : clients_) {
      if (!may_see(v, c)) continue;
      const auto& n = name_of(c, term);
      if (n == term.text)
        exact.push_back(c.row);
      else if (n.rfind(term.text, 0) == 0)
        prefix.push_back(c.row);
      else if (n.find(term.text) != std::string::npos)
        substring.push_back(c.row);
    }
    for (auto [found, kind] : {std::pair{&exact, store::name_match_kind::exact},
                               std::pair{&prefix, store::name_match_kind::prefix},
                               std::pair{&substring, store::name_match_kind::substring}}) {
      if (found->empty()) continue;
      out.kind = found->size() == 1 ? kind : store::name_match_kind::ambiguous;
      if (found->size() > 25) found->resize(25);
      out.candidates = std::move(*found);
      break;
    }
    return out;
  }

private:
  struct folded_term {
    std::string text;
    bool ascii = true;
  };
  static folded_term folded(std::string_view text) {
    const auto blank = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; };
    while (!text.empty() && blank(text.front()))
      text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
      text.remove_suffix(1);
    const bool ascii = text::is_ascii(text);
    return {ascii ? text::fold_ascii(text) : text::fold_case(text), ascii};
  }
  static const std::string& name_of(const oracle_client& c, const folded_term& t) {
    return t.ascii ? c.name_ascii : c.name_fold;
  }

  std::vector<oracle_client> clients_;
};

// One file, and the partner's model built from it.
struct both {
  temp_dir tmp;
  store::database sql_db;

  explicit both(const std::vector<std::string>& snapshots) : sql_db(tmp.file("firm.db")) {
    for (const auto& s : snapshots)
      load(sql_db, s);
  }
  std::shared_ptr<const store::read_model> model(const std::string& partner) {
    return store::read_model::build(sql_db, partner);
  }
};

std::vector<store::member> members_of(store::database& db, const std::string& partner) {
  std::vector<store::member> out;
  SQLite::Statement q(db.sql(), "SELECT id FROM members WHERE partner_id = ? ORDER BY id");
  q.bind(1, partner);
  store::directory dir(db);
  while (q.executeStep())
    out.push_back(*dir.member_by_id(partner, q.getColumn(0).getString()));
  return out;
}

std::vector<std::string> client_ids_of(store::database& db) {
  std::vector<std::string> out;
  SQLite::Statement q(db.sql(), "SELECT id FROM clients ORDER BY id");
  while (q.executeStep())
    out.push_back(q.getColumn(0).getString());
  return out;
}

void compare_everything(both& b, const std::string& partner, const std::vector<std::string>& terms) {
  const auto model = b.model(partner);
  const rules_oracle expected(b.sql_db, partner);
  const auto everyone = members_of(b.sql_db, partner);
  const auto all_ids = client_ids_of(b.sql_db);
  REQUIRE(!everyone.empty());
  for (const auto& viewer : everyone) {
    INFO("viewer " << viewer.id << " (" << store::to_string(viewer.role) << ")");
    const auto sc = expected.counts(viewer);
    const auto mc = model->counts(viewer);
    CHECK(mc.invites == sc.invites);
    CHECK(mc.onboarding == sc.onboarding);
    CHECK(mc.mine == sc.mine);
    CHECK(mc.all == sc.all);
    CHECK(model->visible_names(viewer) == expected.visible_names(viewer));
    for (const auto& id : all_ids) {
      INFO("client " << id);
      const auto s = expected.visible(viewer, id);
      const auto m = model->visible(viewer, id);
      REQUIRE(s.has_value() == m.has_value());
      if (!s) continue;
      CHECK(m->name == s->name);
      CHECK(m->wallet_balance.minor == s->wallet_balance.minor);
      CHECK(m->wallet_balance.currency == s->wallet_balance.currency);
      CHECK(m->missing_receipts == s->missing_receipts);
      CHECK(m->ready_for_export == s->ready_for_export);
      CHECK(m->synced_at == s->synced_at);
      CHECK(member_ids(model->bookkeepers(id)) == member_ids(store::clients(b.sql_db).bookkeepers(id)));
    }
    for (const auto& term : terms) {
      INFO("term \"" << term << "\"");
      const auto sr = expected.resolve_name(viewer, term);
      const auto mr = model->resolve_name(viewer, term);
      CHECK(static_cast<int>(mr.kind) == static_cast<int>(sr.kind));
      CHECK(ids(mr.candidates) == ids(sr.candidates));
      for (int scope = 0; scope < 5; ++scope)
        for (int order = 0; order < 3; ++order)
          for (bool missing : {false, true}) {
            store::list_query q;
            q.tab = scope < 4 ? static_cast<tab>(scope) : tab::mine;
            q.every_visible = scope == 4;
            q.missing_only = missing;
            q.descending = order == 1;
            q.most_missing_first = order == 2;
            q.search = term;
            INFO("tab " << scope << " order " << order << " missing " << missing);
            for (int offset : {0, 10, 30, 400}) {
              q.offset = offset;
              q.limit = offset == 30 ? 25 : 10;
              const auto s = expected.list(viewer, q);
              const auto m = model->list(viewer, q);
              INFO("offset " << offset);
              CHECK(m.total == s.total);
              CHECK(ids(m) == ids(s));
              if (s.total <= offset + q.limit) break;
            }
          }
    }
  }
}

const std::vector<std::string> small_terms{
    "",         "a",   "aps",         "APS",      "  BAGER ", "ærø",         "ÆRØ",    "aero",   "oster",
    "østerbro", "ø",   "æ",           "ze",       "g",        "müller",      "muller", "tømrer", "alborg",
    "ålborg",   "zzz", "\"q\" AND x", "acme aps", "Acme ApS", "consult aps", "%",      "_",      "'"};

} // namespace

TEST_CASE("the read model answers lists, counts, names and cards exactly as the portal's rules say") {
  both b({firm_json, other_firm_json});
  compare_everything(b, "p-1", small_terms);
  compare_everything(b, "p-2", {"", "acme", "ærø", "ae", "holding", "a"});
}

TEST_CASE("on a generated 700-client firm the read model follows the rules for broad and narrow searches") {
  const bot::firm_spec spec{
      .partner_id = "p-gen", .slack_team_id = "TGEN", .clients = 700, .admins = 3, .bookkeepers = 6};
  both b({bot::generate_snapshot(spec), firm_json});
  compare_everything(b, "p-gen",
                     {"",           "aps",        "a/s",      "holding",  "Holding ApS", "ærø",
                      "aero",       "ærøskøbing", "oe",       "ø",        "bageri",      "Ærø Cykler ApS",
                      "skagen lys", "& ",         "göteborg", "goteborg", "straße",      "strasse",
                      "ss",         "i/s",        "x",        "ApS A/S",  "2 ApS"});
}

TEST_CASE("a bookkeeper never sees an unassigned client through the read model") {
  store::database db(store_test::location());
  load(db, firm_json);
  load(db, other_firm_json);
  const auto model = store::read_model::build(db, "p-1");
  const auto book = member(db, "p-1", "m-book");
  for (const char* id : {"c-4", "c-5", "c-6", "c-7", "c-x1"}) {
    INFO(id);
    CHECK_FALSE(model->visible(book, id));
  }
  for (const char* term : {"", "a", "aps", "bager", "zebra", "ålborg", "müller", "acme"}) {
    store::list_query q;
    q.every_visible = true;
    q.search = term;
    q.limit = 100;
    for (const auto& c : model->list(book, q).rows)
      CHECK((c.id == "c-1" || c.id == "c-2" || c.id == "c-3"));
    for (const auto& c : model->resolve_name(book, term).candidates)
      CHECK((c.id == "c-1" || c.id == "c-2" || c.id == "c-3"));
  }
  // Another firm's client is unknown to this firm's model.
  CHECK(model->bookkeepers("c-x1").empty());
  CHECK_FALSE(model->visible(member(db, "p-1", "m-admin"), "c-x1"));
}

TEST_CASE("store::clients answers from a model built once per generation and follows every change") {
  store::database db(store_test::location());
  load(db, firm_json);
  store::clients cl(db);
  const auto admin = member(db, "p-1", "m-admin");
  CHECK(cl.counts(admin).all == 7);
  CHECK(cl.list(admin, query(tab::all, "zebra")).total == 1);
  const auto built = db.models().stats().builds;
  CHECK(built == 1);
  CHECK(db.models().stats().partners == 1);
  CHECK(db.models().stats().bytes > 0);

  db.exec("UPDATE client_metrics SET missing_receipts = 0 WHERE client_id = 'c-1'");
  auto q = query(tab::mine);
  q.missing_only = true;
  CHECK(cl.list(admin, q).total == 0);
  CHECK(db.models().stats().builds == built + 1);
}

TEST_CASE("a renamed bookkeeper shows under the new name on the client's card at once") {
  temp_dir tmp;
  const auto where = store_test::location(tmp.file("firm.db"));
  store::database reader(where);
  store::database writer(where);
  load(writer, firm_json);
  store::clients cl(reader);
  const auto admin = member(reader, "p-1", "m-admin");
  CHECK(member_ids(cl.bookkeepers(admin, "c-2")) == std::vector<std::string>{"m-book/Carla Christensen"});
  writer.exec("UPDATE members SET name = 'Carla Holm' WHERE id = 'm-book'");
  CHECK(member_ids(cl.bookkeepers(admin, "c-2")) == std::vector<std::string>{"m-book/Carla Holm"});
  // A bookkeeper asking about a client not theirs learns nothing.
  CHECK(cl.bookkeepers(member(reader, "p-1", "m-book2"), "c-2").empty());
}

TEST_CASE("with a background builder, a change is answered at once and the rebuilt model is reused") {
  temp_dir tmp;
  const auto path = tmp.file("firm.db");
  store::database db(path);
  store::database writer(path);
  load(writer, firm_json);
  auto models = std::make_shared<store::read_models>();
  db.share_read_models(models);
  models->prime(db);
  models->rebuild_in_background(path, std::chrono::milliseconds(20));
  store::clients cl(db);
  const auto admin = member(db, "p-1", "m-admin");
  const auto builds = models->stats().builds;
  CHECK(cl.list(admin, query(tab::all, "zebra")).total == 1);
  CHECK(models->stats().built_on_request == 0);

  writer.sql().exec("UPDATE clients SET name = 'Yak Consult ApS', name_fold = 'yak consult aps', "
                    "name_ascii = 'yak consult aps' WHERE id = 'c-5'");
  // Right after the change: the answer is already the new one, whichever way it is read.
  CHECK(cl.list(admin, query(tab::all, "zebra")).total == 0);
  CHECK(cl.list(admin, query(tab::all, "yak")).total == 1);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (models->stats().builds == builds && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(models->stats().builds > builds);
  const auto waited = models->stats().built_on_request;
  CHECK(cl.list(admin, query(tab::all, "yak")).total == 1);
  CHECK(models->stats().built_on_request == waited); // answered from the current model
}

TEST_CASE("a firm larger than the whole memory budget keeps its model alone and answers right") {
  store::database db(":memory:");
  load(db, firm_json);
  db.share_read_models(std::make_shared<store::read_models>(1024));
  store::clients cl(db);
  const auto admin = member(db, "p-1", "m-admin");
  CHECK(cl.list(admin, query(tab::all)).total == 7);
  CHECK(cl.counts(admin).invites == 2);
  const auto s = db.models().stats();
  CHECK(s.partners == 1);
  CHECK(s.bytes > 1024);
  CHECK(s.builds == 1);
}

TEST_CASE("past the memory budget the least recently used firm's model makes room") {
  store::database db(store_test::location());
  load(db, firm_json);
  load(db, other_firm_json);
  const auto one = store::read_model::build(db, "p-1")->bytes();
  const auto two = store::read_model::build(db, "p-2")->bytes();
  db.share_read_models(std::make_shared<store::read_models>(std::max(one, two) + std::min(one, two) / 2));
  store::clients cl(db);
  const auto admin = member(db, "p-1", "m-admin");
  const auto other = member(db, "p-2", "m-x-admin");
  CHECK(cl.counts(admin).all == 7);
  CHECK(db.models().stats().partners == 1);
  CHECK(cl.counts(other).all == 2);
  CHECK(db.models().stats().partners == 1); // p-1's model went
  CHECK(db.models().stats().bytes == two);
  CHECK(cl.counts(admin).all == 7);
  CHECK(db.models().stats().bytes == one);
}

TEST_CASE("a search matching half of a 10,000-client firm is answered from the suffix array") {
  store::database db(":memory:");
  const bot::firm_spec spec{
      .partner_id = "p-huge", .slack_team_id = "THUGE", .clients = 10000, .admins = 5, .bookkeepers = 45};
  load(db, bot::generate_snapshot(spec));
  const auto model = store::read_model::build(db, "p-huge");
  const auto admin = member(db, "p-huge", "m-huge-anna");
  store::list_query q;
  q.every_visible = true;
  q.search = "aps";
  const auto page = model->list(admin, q);
  CHECK(page.total > 5000);
  CHECK(page.total < 10000);
  REQUIRE(page.rows.size() == 10);
  q.offset = page.total - 3;
  CHECK(model->list(admin, q).rows.size() == 3);
  q.descending = true;
  q.offset = 0;
  const auto last = model->list(admin, q);
  CHECK(last.total == page.total);
  CHECK(last.rows.front().name != page.rows.front().name);
}

TEST_CASE("without a thread of its own the start-up round builds every firm before it returns") {
  store::database db(":memory:");
  load(db, firm_json);
  load(db, other_firm_json);
  auto models = std::make_shared<store::read_models>();
  db.share_read_models(models);
  models->prime_in_background(db);
  CHECK(models->stats().builds == 2);
  CHECK(models->stats().start_pending == 0);
  store::clients cl(db);
  CHECK(cl.counts(member(db, "p-1", "m-admin")).all == 7);
  CHECK(models->stats().built_on_request == 0);
}

TEST_CASE(
    "when the background thread cannot open its database, the start-up round's firms are still answered") {
  temp_dir tmp;
  const auto path = tmp.file("firm.db");
  store::database db(path);
  load(db, firm_json);
  auto models = std::make_shared<store::read_models>();
  db.share_read_models(models);
  models->rebuild_in_background(tmp.file("no-such-folder/firm.db"), std::chrono::milliseconds(20));
  models->prime_in_background(db);
  store::clients cl(db);
  const auto admin = member(db, "p-1", "m-admin");
  CHECK(cl.list(admin, query(tab::all, "zebra")).total == 1);
  CHECK(cl.counts(admin).all == 7);
  CHECK(models->stats().start_pending == 0);
  CHECK(models->stats().builds == 1);
}

// Slack's one message renderer writes Block Kit straight to JSON text; for
// any view (generated ones that hit every limit and escape, and the real
// answers of the demo firm) it must write valid JSON that Slack accepts:
// within every limit, with action ids unique in the message.

#include "bot/cli/demo_firm.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/slack/render.hpp"
#include "handlers/client_card.hpp"
#include "handlers/clients_list.hpp"
#include "handlers/dispatch.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <random>
#include <set>

using namespace bot::slack;
namespace json = boost::json;
namespace h = handlers;

namespace {

// Random text from pieces that matter to the renderers: JSON and mrkdwn
// specials, control characters, multi-byte letters, and lengths around
// every limit.
class text_source {
public:
  explicit text_source(unsigned seed) : rnd_(seed) {}

  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rnd_); }
  bool chance(int percent) { return below(100) < percent; }

  std::string text(std::size_t max_pieces = 12) {
    static const std::vector<std::string> pieces{
        "Acme", " ApS", "&", "<", ">", "\"",   "\\",     "\n",         "\t",    "\x01", "\x1f", "\x7f", "ø",
        "Æ",    "å",    "–", "…", "€", "🙂", "*bold*", "<!channel>", "&amp;", "/",    "é",    " ",    "x"};
    std::string out;
    const auto n = static_cast<std::size_t>(below(static_cast<int>(max_pieces) + 1));
    for (std::size_t i = 0; i < n; ++i)
      out += pieces[static_cast<std::size_t>(below(static_cast<int>(pieces.size())))];
    // Now and then a text around a limit (75, 150, 200, 2,000, 3,000 characters).
    if (chance(12)) {
      static const std::vector<std::size_t> lengths{24,  74,  75,   76,   149,  150, 151,
                                                    299, 301, 1999, 2001, 2999, 3001};
      const auto len = lengths[static_cast<std::size_t>(below(static_cast<int>(lengths.size())))];
      const char* unit = chance(50) ? "a" : chance(50) ? "&" : "ø";
      for (std::size_t i = 0; i < len; ++i)
        out += unit;
    }
    return out;
  }

  std::string id() {
    static const std::vector<std::string> ids{
        "clients.page", "clients.menu", "client.open", "", "digest.set", "a"};
    return ids[static_cast<std::size_t>(below(static_cast<int>(ids.size())))];
  }

  std::string value() {
    if (chance(10)) return std::string(static_cast<std::size_t>(below(2) ? 2000 : 2001), 'v');
    if (chance(10)) return std::string(static_cast<std::size_t>(below(2) ? 150 : 151), 'w');
    if (chance(15)) return "";
    return "L1|m|x|0|" + text(3);
  }

  std::string url() {
    if (chance(60)) return "";
    if (chance(10)) return "https://example.com/" + std::string(3001, 'u');
    return "https://app.pleo.io/partner/clients/c-" + std::to_string(below(100)) + "?q=\"&<>";
  }

  h::button button() {
    h::button b{text(), id(), value(), url(), h::button_style::plain};
    const int style = below(3);
    b.style = style == 0   ? h::button_style::plain
              : style == 1 ? h::button_style::primary
                           : h::button_style::danger;
    return b;
  }

  h::menu menu() {
    h::menu m{id(), {}};
    const int n = below(8);
    for (int i = 0; i < n; ++i)
      m.items.push_back(h::menu_item{text(), value(), url()});
    return m;
  }

  h::select select() {
    h::select s{id(), chance(50) ? text() : "", {}, "", chance(50) ? text() : ""};
    const int n = chance(5) ? 120 : below(6);
    for (int i = 0; i < n; ++i)
      s.options.push_back(h::option{text(), chance(10) ? "" : "v" + std::to_string(below(4))});
    if (chance(60)) s.initial = "v" + std::to_string(below(5));
    return s;
  }

  h::accessory side() {
    switch (below(4)) {
    case 0:
      return button();
    case 1:
      return menu();
    case 2:
      return select();
    default:
      return std::monostate{};
    }
  }

  h::block block() {
    switch (below(6)) {
    case 0:
      return h::header{text()};
    case 1:
      return h::section{chance(50) ? text() : "", chance(80) ? text() : "", side()};
    case 2: {
      h::fields f;
      const int n = chance(10) ? 13 : below(4);
      for (int i = 0; i < n; ++i)
        f.items.push_back(h::field{text(), chance(20) ? "" : text()});
      return f;
    }
    case 3:
      return h::divider{};
    case 4: {
      h::action_row row;
      const int n = chance(10) ? 30 : below(6);
      for (int i = 0; i < n; ++i) {
        if (chance(75))
          row.controls.push_back(button());
        else
          row.controls.push_back(select());
      }
      return row;
    }
    default:
      return h::note{chance(90) ? text() : ""};
    }
  }

  h::view view() {
    h::view v;
    v.summary = chance(90) ? text() : "";
    const int n = chance(8) ? 60 : below(14);
    for (int i = 0; i < n; ++i)
      v.blocks.push_back(block());
    return v;
  }

private:
  std::mt19937 rnd_;
};

std::size_t length_of(const json::value& text_object) {
  return text_length(text_object.at("text").as_string());
}

void check_element(const json::object& e, std::set<std::string>& ids) {
  if (const auto* id = e.if_contains("action_id")) {
    const std::string action_id(id->as_string());
    if (action_id != std::string(link_marker) && !action_id.starts_with(std::string(link_marker) + ":"))
      CHECK(ids.insert(action_id).second);
  }
  if (const auto* text = e.if_contains("text")) CHECK(length_of(*text) <= limits::button_text);
  if (const auto* value = e.if_contains("value")) CHECK(value->as_string().size() <= limits::button_value);
  if (const auto* options = e.if_contains("options")) {
    CHECK(options->as_array().size() <= limits::select_options);
    if (e.at("type") == "overflow") CHECK(options->as_array().size() <= limits::overflow_options);
    for (const auto& o : options->as_array()) {
      CHECK(length_of(o.at("text")) <= limits::option_text);
      CHECK(o.at("value").as_string().size() <= limits::option_value);
    }
  }
}

// Valid JSON within Slack's limits, and the ephemeral form the same message.
void check_valid(const h::view& v) {
  const auto written = message_json(v);
  boost::system::error_code ec;
  const auto doc = json::parse(written, ec);
  INFO(written);
  REQUIRE_FALSE(ec);
  CHECK(json::value(render_message(v)) == doc);
  const auto& blocks = doc.at("blocks").as_array();
  CHECK(blocks.size() <= limits::message_blocks);
  CHECK(text_length(doc.at("text").as_string()) <= limits::section_text);
  std::set<std::string> ids;
  for (const auto& value : blocks) {
    const auto& block = value.as_object();
    const auto type = block.at("type").as_string();
    if (type == "header") CHECK(length_of(block.at("text")) <= limits::header_text);
    if (type == "section") {
      if (const auto* text = block.if_contains("text")) CHECK(length_of(*text) <= limits::section_text);
      if (const auto* fields = block.if_contains("fields")) {
        CHECK(fields->as_array().size() <= limits::section_fields);
        for (const auto& f : fields->as_array())
          CHECK(length_of(f) <= limits::field_text);
      }
      if (const auto* side = block.if_contains("accessory")) check_element(side->as_object(), ids);
    }
    if (type == "actions") {
      CHECK(block.at("elements").as_array().size() <= limits::actions_elements);
      for (const auto& e : block.at("elements").as_array())
        check_element(e.as_object(), ids);
    }
    if (type == "context")
      for (const auto& e : block.at("elements").as_array())
        CHECK(length_of(e) <= limits::context_text);
  }
  auto with_type = doc.as_object();
  with_type["response_type"] = "ephemeral";
  CHECK(message_json(v, "ephemeral") == json::serialize(with_type));
}

} // namespace

TEST_CASE("3,000 generated views are written as valid Block Kit within Slack's limits") {
  text_source source(20261127);
  for (int i = 0; i < 3000; ++i) {
    INFO("view " << i);
    check_valid(source.view());
  }
}

TEST_CASE("the message writer escapes what JSON and mrkdwn need escaped and nothing else") {
  h::view v;
  v.summary = "Quote \" backslash \\ tab \t nul-ish \x01 & <b> ø";
  v.blocks.push_back(h::section{"", "line\nbreak \x7f €", {}});
  const auto written = message_json(v, "ephemeral");
  CHECK(written.find(R"("text":"Quote \" backslash \\ tab \t nul-ish \u0001 &amp; &lt;b&gt; ø")") !=
        std::string::npos);
  CHECK(written.find("line\\nbreak \x7f €") != std::string::npos);
  CHECK(written.ends_with(R"(,"response_type":"ephemeral"})"));
  check_valid(v);
}

TEST_CASE("every list, search, missing and card answer of the demo firm is written as valid Block Kit") {
  store::database db(":memory:");
  REQUIRE(bot::import_snapshot(db, bot::demo_snapshot(), "2026-11-27T09:00:00Z").ok);
  h::settings settings;
  h::context ctx{db, settings};
  store::directory dir(db);
  const std::vector<std::string> commands{"clients",
                                          "clients all",
                                          "clients all missing desc",
                                          "clients onboarding",
                                          "clients invites",
                                          "clients missing desc",
                                          "missing",
                                          "search aps",
                                          "search ærø",
                                          "search oster",
                                          "search zzz",
                                          "search a",
                                          "client Ærø Cykler ApS",
                                          "client aps",
                                          "client nothing like it",
                                          "help",
                                          "digests"};
  int views = 0;
  for (const char* email :
       {"anna@nordlys.example", "bo@nordlys.example", "carla@nordlys.example", "gustav@nordlys.example"}) {
    auto member = dir.member_by_email("p-demo", email);
    REQUIRE(member);
    h::caller who;
    who.chat = {"slack", "T0DEMO", "U1", email, "C1", ""};
    who.partner = store::partner{"p-demo", "Nordlys Revision ApS"};
    who.member = *member;
    for (const auto& text : commands) {
      INFO(email << ": " << text);
      const auto reply = h::on_command(ctx, who, text);
      REQUIRE(reply.message);
      check_valid(*reply.message);
      ++views;
    }
    for (int page = 0; page < 7; ++page) {
      h::list_state s;
      s.tab = store::tab::all;
      s.page = page;
      s.descending = page % 2 == 1;
      check_valid(h::clients_view(ctx, h::english, *member, s));
      ++views;
    }
  }
  CHECK(views == 4 * (17 + 7));
}

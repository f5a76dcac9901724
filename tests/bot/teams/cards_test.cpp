#include "bot/cli/demo_firm.hpp"
#include "bot/teams/cards.hpp"
#include "handlers/actions.hpp"
#include "handlers/clients_list.hpp"
#include "handlers/digests.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/format.hpp"
#include "store/digest_feed.hpp"
#include "store/reminders.hpp"
#include "store/subscriptions.hpp"
#include "support/demo_clients.hpp"
#include "support/small_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <set>

using namespace bot::teams;
namespace json = boost::json;
namespace h = handlers;

namespace {

constexpr const char* demo_partner = "p-demo";

// Every object of `type` in a card, depth first, in document order.
void collect(const json::value& v, std::string_view type, std::vector<json::object>& out) {
  if (const auto* o = v.if_object()) {
    if (const auto* t = o->if_contains("type"); t && t->is_string() && t->get_string() == type)
      out.push_back(*o);
    for (const auto& [key, child] : *o)
      collect(child, type, out);
  } else if (const auto* a = v.if_array()) {
    for (const auto& child : *a)
      collect(child, type, out);
  }
}

std::vector<json::object> all_of(const json::object& card, std::string_view type) {
  std::vector<json::object> out;
  collect(card, type, out);
  return out;
}

// The text of every TextRun, in order, one line per RichTextBlock.
std::string card_text(const json::object& card) {
  std::string out;
  for (const auto& block : all_of(card, "RichTextBlock")) {
    for (const auto& run : block.at("inlines").as_array())
      out += run.at("text").as_string();
    out += '\n';
  }
  return out;
}

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// A linked Teams caller of the demo firm.
h::caller teams_caller(test_support::small_firm& f, const std::string& member_id) {
  auto c = f.as(member_id, demo_partner);
  c.chat = {"teams", "tenant-demo", "aad-" + member_id, c.member->email, "a:conversation-" + member_id, ""};
  return c;
}

// What Teams sends back for a pressed Action.Submit: its data merged with
// the card's input values.
json::value pressed(const json::object& action, const json::object& inputs = {}) {
  json::object value = action.at("data").as_object();
  for (const auto& [k, v] : inputs)
    value[k] = v;
  return value;
}

h::action parsed_action(const json::value& value) {
  auto in = parse_card_value(value);
  REQUIRE(in);
  REQUIRE(std::holds_alternative<h::action>(in->what));
  return std::get<h::action>(in->what);
}

h::submission parsed_submission(const json::value& value) {
  auto in = parse_card_value(value);
  REQUIRE(in);
  REQUIRE(std::holds_alternative<h::submission>(in->what));
  return std::get<h::submission>(in->what);
}

std::optional<json::object> action_titled(const json::object& card, std::string_view type,
                                          std::string_view title) {
  for (const auto& a : all_of(card, type))
    if (a.at("title").as_string() == title) return a;
  return std::nullopt;
}

test_support::demo_client
demo_client_where(const std::function<bool(const test_support::demo_client&)>& pick) {
  for (const auto& c : test_support::demo_clients())
    if (pick(c)) return c;
  FAIL("no such demo client");
  return {};
}

// A client of Carla's (bookkeeper), and one an admin can send a reminder about.
test_support::demo_client carlas_client() {
  return demo_client_where([](const auto& c) { return c.status == "active" && c.assigned_to("m-carla"); });
}
test_support::demo_client remindable_client() {
  return demo_client_where([](const auto& c) {
    return c.status == "active" &&
           std::any_of(c.assigned.begin(), c.assigned.end(), [](const auto& m) { return m != "m-anna"; });
  });
}

// Anna's reminder form, rendered as a card, about a client she may remind of.
struct reminder_card_rig {
  test_support::small_firm f{bot::demo_snapshot()};
  h::caller anna = teams_caller(f, "m-anna");
  test_support::demo_client client = remindable_client();
  h::form form = *h::on_command(f.ctx, anna, "remind " + client.name).open_form;
  json::object card = render_form_card(form);
};

// Every (action id, value) a view's controls send, links excepted.
std::set<std::pair<std::string, std::string>> view_actions(const h::view& v) {
  std::set<std::pair<std::string, std::string>> out;
  auto add_button = [&](const h::button& b) {
    if (b.url.empty()) out.insert({b.action_id, b.value});
  };
  for (const auto& b : v.blocks) {
    if (const auto* s = std::get_if<h::section>(&b)) {
      if (const auto* bt = std::get_if<h::button>(&s->side)) add_button(*bt);
      if (const auto* m = std::get_if<h::menu>(&s->side))
        for (const auto& i : m->items)
          if (i.url.empty()) out.insert({m->action_id, i.value});
    }
    if (const auto* row = std::get_if<h::action_row>(&b))
      for (const auto& c : row->controls)
        if (const auto* bt = std::get_if<h::button>(&c)) add_button(*bt);
  }
  return out;
}

} // namespace

TEST_CASE("a card is an Adaptive Card 1.5, full width, with the view's summary as its fallback text") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto v = f.command_view(teams_caller(f, "m-anna"), "clients all");
  const auto card = render_card(v);
  CHECK(card.at("type") == "AdaptiveCard");
  CHECK(card.at("version") == "1.5");
  CHECK(card.at("$schema") == "http://adaptivecards.io/schemas/adaptive-card.json");
  CHECK(str(card.at("fallbackText")) == v.summary);
  CHECK(card.at("msteams").at("width") == "Full");
  CHECK_FALSE(card.contains("actions"));
}

TEST_CASE("the clients list card has the header, tabs with the current one marked, and a row per client") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto v = f.command_view(teams_caller(f, "m-anna"), "clients all");
  const auto card = render_card(v);
  const auto& body = card.at("body").as_array();

  const auto& header = body.at(0).as_object();
  CHECK(header.at("type") == "RichTextBlock");
  CHECK(header.at("inlines").at(0).at("text") == "All clients");
  CHECK(header.at("inlines").at(0).at("size") == "Large");
  CHECK(header.at("inlines").at(0).at("weight") == "Bolder");

  // Teams draws no button styles: the current tab says so in its title.
  const auto& tabs = body.at(1).as_object();
  CHECK(tabs.at("type") == "ActionSet");
  std::vector<std::string> marked;
  for (const auto& a : tabs.at("actions").as_array())
    if (a.at("title").as_string().starts_with("\u2713 ")) marked.push_back(str(a.at("title")));
  REQUIRE(marked.size() == 1);
  CHECK(marked.front().starts_with("\u2713 All ("));

  // Ten rows, each the client's name in bold beside its overflow menu.
  std::vector<json::object> rows;
  for (const auto& e : body)
    if (e.at("type") == "ColumnSet") rows.push_back(e.as_object());
  REQUIRE(rows.size() == h::clients_page_size);
  const auto& first_row = rows.front().at("columns").as_array();
  const auto& name = first_row.at(0).at("items").at(0).at("inlines").at(0);
  CHECK(name.at("weight") == "Bolder");
  const auto& menu = first_row.at(1).at("items").at(0).as_object();
  CHECK(menu.at("type") == "ActionSet");
  for (const auto& a : menu.at("actions").as_array())
    CHECK(a.at("mode") == "secondary");
  CHECK(card_text(card).find("Showing 1\u201310 of") != std::string::npos);
}

TEST_CASE(
    "the overflow menu links to the client in Pleo and its items come back as the list's menu actions") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto anna = teams_caller(f, "m-anna");
  const auto client = remindable_client();
  const auto id = client.id;
  const auto card = render_card(f.command_view(anna, "client " + client.name));

  const auto list = render_card(f.command_view(anna, "search " + client.name));
  const auto go = action_titled(list, "Action.OpenUrl", "Go to client");
  REQUIRE(go);
  CHECK(str(go->at("url")) == h::portal_link(f.settings.portal_url_template, id));
  CHECK(go->at("mode") == "secondary");

  const auto details = action_titled(list, "Action.Submit", "View details");
  REQUIRE(details);
  const auto act = parsed_action(pressed(*details));
  CHECK(act.action_id == h::actions::client_menu);
  CHECK(act.value == "open|" + id);
  // The real handler answers the pressed item with the client's card.
  const auto r = h::on_action(f.ctx, anna, act);
  REQUIRE(r.message);
  CHECK(render_card(*r.message) == card);

  const auto notify = action_titled(list, "Action.Submit", "Notify the bookkeepers");
  REQUIRE(notify);
  CHECK(parsed_action(pressed(*notify)).value == "remind|" + id);
}

TEST_CASE("a bookkeeper's list card offers no reminder") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto card = render_card(f.command_view(teams_caller(f, "m-carla"), "clients"));
  CHECK_FALSE(action_titled(card, "Action.Submit", "Notify the bookkeepers"));
  CHECK(action_titled(card, "Action.Submit", "View details"));
}

TEST_CASE("every control of a real view comes back through parse_card_value as the action it holds") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto anna = teams_caller(f, "m-anna");
  const std::vector<std::string> commands{"clients all", "clients all missing", "missing", "search aps",
                                          "client " + remindable_client().name};
  for (const auto& text : commands) {
    INFO(text);
    const auto v = f.command_view(anna, text);
    const auto card = render_card(v);
    std::set<std::pair<std::string, std::string>> sent;
    for (const auto& a : all_of(card, "Action.Submit")) {
      if (a.at("data").as_object().contains("in")) continue; // a select's button: tested below
      const auto act = parsed_action(pressed(a));
      sent.insert({act.action_id, act.value});
    }
    CHECK(sent == view_actions(v));
  }
}

TEST_CASE("paging through the list card reaches the second page") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto anna = teams_caller(f, "m-anna");
  const auto card = render_card(f.command_view(anna, "clients all"));
  const auto next = action_titled(card, "Action.Submit", "Next \u2192");
  REQUIRE(next);
  const auto r = h::on_action(f.ctx, anna, parsed_action(pressed(*next)));
  REQUIRE(r.message);
  CHECK(r.replace_original);
  CHECK(card_text(render_card(*r.message)).find("Showing 11\u201320 of") != std::string::npos);
}

TEST_CASE("the client card's digest select is a compact choice set whose button sends the chosen frequency") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto carla = teams_caller(f, "m-carla");
  const auto client = carlas_client();
  const auto id = client.id;
  const auto card = render_card(f.command_view(carla, "client " + client.name));

  const auto sets = all_of(card, "Input.ChoiceSet");
  REQUIRE(sets.size() == 1);
  const auto& choice = sets.front();
  CHECK(choice.at("style") == "compact");
  CHECK(str(choice.at("value")) == id + "|off");
  std::vector<std::string> titles;
  for (const auto& c : choice.at("choices").as_array())
    titles.push_back(str(c.at("title")));
  CHECK(titles == std::vector<std::string>{"Daily", "Weekly", "Monthly", "Off"});

  std::optional<json::object> save;
  for (const auto& a : all_of(card, "Action.Submit"))
    if (a.at("data").as_object().contains("in")) save = a;
  REQUIRE(save);
  CHECK(save->at("data").at("in") == choice.at("id"));
  // Teams merges every input of the card into the data.
  const auto act = parsed_action(pressed(*save, {{str(choice.at("id")), id + "|weekly"}}));
  CHECK(act.action_id == h::actions::digest_set);
  CHECK(act.value == id + "|weekly");

  h::on_action(f.ctx, carla, act);
  const auto sub = store::subscriptions(f.db).get("m-carla", id);
  REQUIRE(sub);
  CHECK(sub->frequency == store::frequency::weekly);
  // The card drawn again shows the new choice.
  const auto again = render_card(f.command_view(carla, "client " + client.name));
  CHECK(str(all_of(again, "Input.ChoiceSet").front().at("value")) == id + "|weekly");
}

TEST_CASE(
    "the reminder form card has a toggle per task, a multi-line comment with its limit and a Send button") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto anna = teams_caller(f, "m-anna");
  const auto client = remindable_client();
  const auto r = h::on_command(f.ctx, anna, "remind " + client.name);
  REQUIRE(r.open_form);
  const auto& form = *r.open_form;
  const auto card = render_form_card(form);
  CHECK(card.at("version") == "1.5");

  const auto& group = std::get<h::checkbox_group>(form.inputs.at(1));
  const auto toggles = all_of(card, "Input.Toggle");
  REQUIRE(toggles.size() == group.options.size());
  for (std::size_t i = 0; i < toggles.size(); ++i) {
    CHECK(str(toggles[i].at("title")) == group.options[i].label);
    CHECK(toggles[i].at("value") == "false");
    CHECK(toggles[i].at("valueOn") == "true");
    CHECK(toggles[i].at("valueOff") == "false");
  }
  const auto& comment_input = std::get<h::text_input>(form.inputs.at(2));
  const auto texts = all_of(card, "Input.Text");
  REQUIRE(texts.size() == 1);
  CHECK(str(texts.front().at("id")) == comment_input.id);
  CHECK(texts.front().at("isMultiline") == true);
  CHECK(texts.front().at("maxLength") == comment_input.max_length);
  CHECK(texts.front().at("isRequired") == false);

  const auto& actions = card.at("actions").as_array();
  REQUIRE(actions.size() == 1);
  CHECK(actions.front().at("type") == "Action.Submit");
  CHECK(actions.front().at("title") == "Send");
  CHECK(card_text(card).find("Remind the bookkeepers of " + client.name + " about:") != std::string::npos);
}

TEST_CASE("a sent reminder form comes back as the submission the handler records") {
  reminder_card_rig rig;
  auto& [f, anna, client, form, card] = rig;
  const auto toggles = all_of(card, "Input.Toggle");
  REQUIRE(toggles.size() == 3);

  // The user ticks the first and last task and writes a comment.
  json::object inputs{{str(toggles[0].at("id")), "true"},
                      {str(toggles[1].at("id")), "false"},
                      {str(toggles[2].at("id")), "true"},
                      {h::forms::reminder_comment, "Før fredag, tak"}};
  const auto sub = parsed_submission(pressed(card.at("actions").at(0).as_object(), inputs));
  CHECK(sub.form_id == h::forms::reminder);
  CHECK(sub.private_metadata == form.private_metadata);
  const auto& group = std::get<h::checkbox_group>(form.inputs.at(1));
  CHECK(sub.values.at(h::forms::reminder_tasks) ==
        std::vector<std::string>{group.options[0].value, group.options[2].value});
  CHECK(sub.values.at(h::forms::reminder_comment) == std::vector<std::string>{"Før fredag, tak"});

  const auto r = h::on_submission(f.ctx, anna, sub);
  CHECK(r.form_errors.empty());
  const auto sent = store::reminders(f.db).latest_for_client(client.id, 1);
  REQUIRE(sent.size() == 1);
  CHECK(sent.front().comment == "Før fredag, tak");
  CHECK(sent.front().tasks == std::vector<std::string>{group.options[0].value, group.options[2].value});
}

TEST_CASE("a reminder form sent with nothing ticked reaches the handler as an empty choice, and is refused") {
  reminder_card_rig rig;
  auto& [f, anna, client, form, card] = rig;
  json::object inputs;
  for (const auto& t : all_of(card, "Input.Toggle"))
    inputs[str(t.at("id"))] = "false";
  inputs[h::forms::reminder_comment] = "";
  const auto sub = parsed_submission(pressed(card.at("actions").at(0).as_object(), inputs));
  REQUIRE(sub.values.contains(h::forms::reminder_tasks));
  CHECK(sub.values.at(h::forms::reminder_tasks).empty());
  const auto r = h::on_submission(f.ctx, anna, sub);
  CHECK(r.form_errors.contains(h::forms::reminder_tasks));
  CHECK(store::reminders(f.db).latest_for_client(client.id, 1).empty());

  // Shown again, the form keeps what was typed and says what is wrong.
  const auto again =
      render_form_card(form, {r.form_errors, {{h::forms::reminder_comment, {"Hurtigt, tak"}}}});
  CHECK(all_of(again, "Input.Text").front().at("value") == "Hurtigt, tak");
  CHECK(card_text(again).find(r.form_errors.at(h::forms::reminder_tasks)) != std::string::npos);
  for (const auto& block : all_of(again, "RichTextBlock"))
    if (str(block.at("inlines").at(0).at("text")) == r.form_errors.at(h::forms::reminder_tasks))
      CHECK(block.at("inlines").at(0).at("color") == "Attention");
}

TEST_CASE("the firm digest card shows its totals as facts and each client's work") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto firm = *store::directory{f.db}.partner_by_id(demo_partner);
  const auto work = store::digest_feed(f.db).outstanding(demo_partner, h::channel_detail_limit);
  REQUIRE(work.clients > 0);
  const auto v = h::channel_digest_view(firm, h::english, h::next_slot_after(f.ctx.now), work);
  const auto card = render_card(v);
  const auto facts = all_of(card, "FactSet");
  REQUIRE(facts.size() == 1);
  const auto& first = facts.front().at("facts").at(0);
  CHECK(first.at("title") == "Clients with outstanding work");
  CHECK(str(first.at("value")) == h::format_count(work.clients));
  CHECK(card_text(card).find(work.top.front().name) != std::string::npos);
  CHECK(json::serialize(card).size() <= bot::teams::limits::card_bytes);
}

TEST_CASE("user text is carried verbatim in text runs, never read as markdown") {
  h::view v;
  v.blocks.push_back(h::header{"*Star* _Shop_ [ApS](https://evil.example)"});
  v.blocks.push_back(h::section{"1. Maj & <Co>", "- not a list\n# not a heading", {}});
  const auto card = render_card(v);
  CHECK(card_text(card) ==
        "*Star* _Shop_ [ApS](https://evil.example)\n1. Maj & <Co>\n- not a list\n# not a heading\n");
  CHECK(all_of(card, "TextBlock").empty());
}

TEST_CASE("commands in backticks read in a monospaced run; a lone backtick stays") {
  h::view v;
  v.blocks.push_back(h::note{"Change or stop it with `digests`, or `digest NAME off`."});
  v.blocks.push_back(h::note{"It's `odd"});
  const auto card = render_card(v);
  const auto& first = card.at("body").at(0).at("inlines").as_array();
  REQUIRE(first.size() == 5);
  CHECK(first[0].at("text") == "Change or stop it with ");
  CHECK_FALSE(first[0].as_object().contains("fontType"));
  CHECK(first[1].at("text") == "digests");
  CHECK(first[1].at("fontType") == "Monospace");
  CHECK(first[3].at("text") == "digest NAME off");
  CHECK(first[3].at("fontType") == "Monospace");
  for (const auto& run : first) {
    CHECK(run.at("size") == "Small");
    CHECK(run.at("isSubtle") == true);
  }
  CHECK(card.at("body").at(1).at("inlines").at(0).at("text") == "It's `odd");
}

TEST_CASE("each line of a text is its own block, and a divider separates what follows it") {
  h::view v;
  v.blocks.push_back(h::section{"Bookkeepers", "Anna\nBo", {}});
  v.blocks.push_back(h::divider{});
  v.blocks.push_back(h::note{"as of today"});
  const auto card = render_card(v);
  const auto& body = card.at("body").as_array();
  REQUIRE(body.size() == 2);
  const auto& lines = body[0].at("items").as_array();
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].at("inlines").at(0).at("text") == "Anna");
  CHECK(lines[2].at("spacing") == "None");
  CHECK(body[1].at("separator") == true);
  CHECK_FALSE(body[0].as_object().contains("separator"));
}

TEST_CASE("long texts are cut with an ellipsis and a card never passes its byte budget") {
  h::view v;
  v.summary = std::string(2000, 's');
  v.blocks.push_back(h::header{std::string(400, 'h')});
  for (int i = 0; i < 200; ++i)
    v.blocks.push_back(h::section{"Row " + std::to_string(i), std::string(5000, 'x'), {}});
  const auto card = render_card(v);
  CHECK(json::serialize(card).size() <= bot::teams::limits::card_bytes);
  CHECK(h::utf8_length(card.at("fallbackText").as_string()) == bot::teams::limits::summary_chars);
  const auto& body = card.at("body").as_array();
  const auto header = str(body.at(0).at("inlines").at(0).at("text"));
  CHECK(h::utf8_length(header) == bot::teams::limits::header_chars);
  CHECK(header.ends_with("…"));
  const auto row = str(body.at(1).at("items").at(1).at("inlines").at(0).at("text"));
  CHECK(h::utf8_length(row) == bot::teams::limits::text_chars);
  CHECK(body.back().at("inlines").at(0).at("text").as_string().starts_with("… more than fits"));
}

TEST_CASE("a control whose state is too large to carry is left out, never cut") {
  h::view v;
  v.blocks.push_back(h::action_row{
      {h::button{"Big", "clients.page", std::string(bot::teams::limits::value_bytes + 1, 'v'), ""},
       h::button{"Small", "clients.page", "L1|mine", ""}}});
  const auto card = render_card(v);
  const auto actions = all_of(card, "Action.Submit");
  REQUIRE(actions.size() == 1);
  CHECK(actions.front().at("title") == "Small");
}

TEST_CASE("buttons past what Teams shows in a row go into the row's overflow menu") {
  h::view v;
  h::action_row row;
  for (int i = 0; i < 9; ++i)
    row.controls.push_back(h::button{"B" + std::to_string(i), "clients.page", "v", ""});
  v.blocks.push_back(row);
  const auto card = render_card(v);
  const auto& actions = card.at("body").at(0).at("actions").as_array();
  REQUIRE(actions.size() == 9);
  for (std::size_t i = 0; i < actions.size(); ++i)
    CHECK(actions[i].as_object().contains("mode") == (i >= bot::teams::limits::primary_actions));
}

TEST_CASE("a link button opens its URL and a menu of one link is still a menu") {
  h::view v;
  v.blocks.push_back(
      h::section{"Acme", "", h::menu{"clients.menu", {{"Go to client", "", "https://app.pleo.io/x"}}}});
  v.blocks.push_back(
      h::action_row{{h::button{"Open", "", "", "https://app.pleo.io/y", h::button_style::primary}}});
  const auto card = render_card(v);
  const auto links = all_of(card, "Action.OpenUrl");
  REQUIRE(links.size() == 2);
  CHECK(links[0].at("url") == "https://app.pleo.io/x");
  CHECK(links[0].at("mode") == "secondary");
  // A link is not a selected state: no mark.
  CHECK(links[1].at("title") == "Open");
}

TEST_CASE("a card activity carries the card as an adaptive card attachment, with the summary and no text") {
  h::view v;
  v.summary = "All clients: 58 clients";
  v.blocks.push_back(h::header{"All clients"});
  const auto card = render_card(v);
  const auto activity = card_activity(card, v.summary);
  CHECK(activity.at("type") == "message");
  CHECK(str(activity.at("summary")) == v.summary);
  CHECK_FALSE(activity.contains("text"));
  const auto& attachments = activity.at("attachments").as_array();
  REQUIRE(attachments.size() == 1);
  CHECK(str(attachments[0].at("contentType")) == card_content_type);
  CHECK(attachments[0].at("content") == card);
}

TEST_CASE("parse_card_value refuses what no card of ours sends") {
  const char* refused[] = {
      R"("a")",
      R"([])",
      R"({})",
      R"({"pb":"x","id":"clients.page","v":"L1"})",
      R"({"pb":1,"id":"clients.page"})",
      R"({"pb":"a"})",
      R"({"pb":"a","id":""})",
      R"({"pb":"a","id":7,"v":"L1"})",
      R"({"pb":"a","id":"clients.page","v":{"x":1}})",
      R"({"pb":"a","id":"digest.set","in":"choice-1"})",
      R"({"pb":"a","id":"digest.set","in":"choice-1","choice-1":3})",
      R"({"pb":"a","id":"digest.set","in":""})",
      R"({"pb":"f"})",
      R"({"pb":"f","form":""})",
      R"({"pb":"f","form":"reminder","meta":5})",
      R"({"msteams":{"type":"imBack"},"text":"hi"})",
  };
  for (const char* text : refused) {
    INFO(text);
    CHECK_FALSE(parse_card_value(json::parse(text)));
  }
}

TEST_CASE(
    "parse_card_value reads a press without a value as an empty value, and ignores what is not an input") {
  auto act = parsed_action(json::parse(R"({"pb":"a","id":"link"})"));
  CHECK(act.action_id == "link");
  CHECK(act.value.empty());
  const auto sub = parsed_submission(json::parse(
      R"({"pb":"f","form":"reminder","meta":"{}","tasks/x":"maybe","comment":"hi","extra":{"a":1},"/y":"true"})"));
  CHECK(sub.values.at("tasks").empty());
  CHECK(sub.values.at("comment") == std::vector<std::string>{"hi"});
  CHECK(sub.values.size() == 2);
  CHECK(sub.submission_id.empty());
}

TEST_CASE("the digests list has a drop-down per subscription, and each Save sends its own choice") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto carla = teams_caller(f, "m-carla");
  std::vector<test_support::demo_client> mine;
  for (const auto& c : test_support::demo_clients())
    if (c.status == "active" && c.assigned_to("m-carla") && mine.size() < 2) mine.push_back(c);
  REQUIRE(mine.size() == 2);
  for (const auto& c : mine)
    h::on_command(f.ctx, carla, "digest " + c.name + " weekly");

  const auto card = render_card(f.command_view(carla, "digests"));
  const auto choices = all_of(card, "Input.ChoiceSet");
  REQUIRE(choices.size() == 2);
  CHECK(choices[0].at("id") != choices[1].at("id"));
  std::vector<json::object> saves;
  for (const auto& a : all_of(card, "Action.Submit"))
    if (a.at("data").as_object().contains("in")) saves.push_back(a);
  REQUIRE(saves.size() == 2);

  // Teams sends every input of the card with either button.
  json::object inputs;
  for (const auto& c : choices)
    inputs[str(c.at("id"))] = c.at("value");
  const auto second_id = str(choices[1].at("id"));
  const auto second_value = str(choices[1].at("value"));
  inputs[second_id] = second_value.substr(0, second_value.rfind('|')) + "|monthly";
  const auto act = parsed_action(pressed(saves[1], inputs));
  CHECK(act.action_id == h::actions::digest_set);
  CHECK(act.value == str(inputs.at(second_id)));
  CHECK(parsed_action(pressed(saves[0], inputs)).value == str(choices[0].at("value")));
}

TEST_CASE("list rows are ruled off from each other, and plain paragraphs run on as one text") {
  test_support::small_firm f{bot::demo_snapshot()};
  const auto list = render_card(f.command_view(teams_caller(f, "m-anna"), "clients all"));
  int rows = 0;
  for (const auto& e : list.at("body").as_array()) {
    if (e.at("type") != "ColumnSet") continue;
    // The first row follows the "Showing" note; each later one is ruled off.
    CHECK(e.as_object().contains("separator") == (rows > 0));
    ++rows;
  }
  CHECK(rows == h::clients_page_size);

  const auto firm = *store::directory{f.db}.partner_by_id(demo_partner);
  const auto work = store::digest_feed(f.db).outstanding(demo_partner, h::channel_detail_limit);
  const auto v = h::channel_digest_view(firm, h::english, h::next_slot_after(f.ctx.now), work);
  const auto card = render_card(v);
  std::size_t paragraphs = 0;
  for (const auto& b : v.blocks)
    paragraphs += std::holds_alternative<h::section>(b);
  REQUIRE(paragraphs > 1);
  std::size_t joined = 0;
  for (const auto& e : card.at("body").as_array())
    if (const auto* spacing = e.as_object().if_contains("spacing"); spacing && *spacing == "None") ++joined;
  CHECK(joined == paragraphs - 1);
  CHECK(all_of(card, "RichTextBlock").size() > paragraphs);
}

TEST_CASE("a full page of the demo firm fits in one card with nothing left out") {
  test_support::small_firm f{bot::demo_snapshot()};
  for (const char* who : {"m-anna", "m-bo", "m-carla"}) {
    for (const char* text : {"clients all", "missing", "search a", "help", "digests"}) {
      INFO(who << ": " << text);
      const auto card = render_card(f.command_view(teams_caller(f, who), text));
      CHECK(json::serialize(card).size() <= bot::teams::limits::card_bytes);
      CHECK(card_text(card).find("more than fits") == std::string::npos);
    }
  }
}

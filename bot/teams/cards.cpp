#include "bot/teams/cards.hpp"

#include "bot/teams/card_keys.hpp"
#include "handlers/format.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace bot::teams {

namespace json = boost::json;

namespace {

using handlers::clip;

// What the closing note costs inside the byte budget, with room to spare.
constexpr std::size_t note_reserve = 400;

using namespace card_keys;
// Teams shows no button styles, so a selected state (the current tab,
// sort or filter: a primary control that sends an action) carries a mark.
constexpr std::string_view selected_mark = "\u2713 ";
// Teams has no select that submits on change: each select gets a button.
constexpr std::string_view select_width = "160px";

struct run_style {
  std::string_view size{};   // "Small", "Large"; empty: default
  std::string_view weight{}; // "Bolder"; empty: default
  std::string_view color{};  // "Attention"; empty: default
  bool subtle = false;
};

json::object text_run(std::string_view text, const run_style& style, bool code) {
  json::object run{{"type", "TextRun"}, {"text", text}};
  if (!style.size.empty()) run["size"] = style.size;
  if (!style.weight.empty()) run["weight"] = style.weight;
  if (!style.color.empty()) run["color"] = style.color;
  if (style.subtle) run["isSubtle"] = true;
  if (code) run["fontType"] = "Monospace";
  return run;
}

// One line as text runs. Handlers write commands in backticks (`digests`);
// those read in a monospaced run, the backticks dropped. An unpaired
// backtick stays as typed.
json::array line_runs(std::string_view line, const run_style& style) {
  std::size_t ticks = 0;
  for (char c : line)
    ticks += c == '`';
  ticks -= ticks % 2;
  json::array runs;
  bool code = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size() && ticks > 0; ++i) {
    if (line[i] != '`') continue;
    if (i > start) runs.push_back(text_run(line.substr(start, i - start), style, code));
    code = !code;
    start = i + 1;
    --ticks;
  }
  if (start < line.size()) runs.push_back(text_run(line.substr(start), style, code && ticks > 0));
  return runs;
}

// A text as RichTextBlocks, one per non-empty line (a TextBlock would read
// user text as markdown and needs blank lines for line breaks).
void add_text(json::array& items, std::string_view text, std::size_t max_chars, const run_style& style) {
  const std::string clipped = clip(text, max_chars);
  std::string_view rest = clipped;
  bool first = true;
  while (true) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end);
    auto runs = line_runs(line, style);
    if (!runs.empty()) {
      json::object block{{"type", "RichTextBlock"}, {"inlines", std::move(runs)}};
      if (!first) block["spacing"] = "None";
      items.push_back(std::move(block));
      first = false;
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

// One element for several items: a Container, or the item itself.
json::object one_element(json::array items) {
  if (items.size() == 1) return std::move(items.front().as_object());
  return {{"type", "Container"}, {"items", std::move(items)}};
}

json::object action_data(std::string_view action_id, std::string_view value) {
  return {{key_kind, kind_action}, {key_action, action_id}, {key_value, value}};
}

std::optional<json::object> submit_action(std::string_view title, std::string_view action_id,
                                          std::string_view value) {
  // A value that does not fit cannot be cut without corrupting the state.
  if (action_id.empty() || value.size() > limits::value_bytes) return std::nullopt;
  return json::object{
      {"type", "Action.Submit"},
      {"title", clip(title.empty() ? std::string_view{" "} : title, limits::action_title_chars)},
      {"data", action_data(action_id, value)},
      // Only a select's own button sends input values.
      {"associatedInputs", "none"}};
}

std::optional<json::object> url_action(std::string_view title, std::string_view url) {
  if (url.empty() || url.size() > limits::url_bytes) return std::nullopt;
  return json::object{
      {"type", "Action.OpenUrl"},
      {"title", clip(title.empty() ? std::string_view{" "} : title, limits::action_title_chars)},
      {"url", url}};
}

std::optional<json::object> render_button(const handlers::button& b) {
  if (!b.url.empty()) return url_action(b.label, b.url);
  if (b.style == handlers::button_style::primary)
    return submit_action(std::string(selected_mark) + b.label, b.action_id, b.value);
  return submit_action(b.label, b.action_id, b.value);
}

// Actions past what Teams shows in a row go into the row's overflow menu.
json::object action_set(json::array actions) {
  for (std::size_t i = limits::primary_actions; i < actions.size(); ++i)
    actions[i].as_object()["mode"] = "secondary";
  return {{"type", "ActionSet"}, {"actions", std::move(actions)}};
}

// An overflow ("⋯") menu: an action set whose actions are all secondary,
// which Teams shows as one "…" button opening the list.
std::optional<json::object> render_menu(const handlers::menu& m) {
  json::array actions;
  for (const auto& item : m.items) {
    if (actions.size() == limits::overflow_actions) break;
    auto a = item.url.empty() ? submit_action(item.label, m.action_id, item.value)
                              : url_action(item.label, item.url);
    if (!a) continue;
    (*a)["mode"] = "secondary";
    actions.push_back(std::move(*a));
  }
  if (actions.empty()) return std::nullopt;
  return json::object{{"type", "ActionSet"}, {"actions", std::move(actions)}};
}

// Hands out input ids for selects, unique within a card.
class input_ids {
public:
  std::string next() { return "choice-" + std::to_string(++n_); }

private:
  int n_ = 0;
};

// A select: a compact choice set and the button that sends its choice.
std::optional<json::object> render_select(const handlers::select& s, input_ids& ids,
                                          const handlers::catalogue& words) {
  if (s.action_id.empty()) return std::nullopt;
  json::array choices;
  std::string initial;
  for (const auto& o : s.options) {
    if (choices.size() == limits::choices) break;
    if (o.value.empty() || o.value.size() > limits::value_bytes) continue;
    if (o.value == s.initial) initial = o.value;
    choices.push_back(json::object{{"title", clip(o.label, limits::choice_title_chars)}, {"value", o.value}});
  }
  if (choices.empty()) return std::nullopt;
  const std::string id = ids.next();
  json::object input{
      {"type", "Input.ChoiceSet"}, {"id", id}, {"style", "compact"}, {"choices", std::move(choices)}};
  if (!initial.empty()) input["value"] = initial;
  if (!s.placeholder.empty()) input["placeholder"] = clip(s.placeholder, limits::choice_title_chars);

  json::object submit{
      {"type", "Action.Submit"},
      {"title", s.submit_label.empty() ? words.form_submit : std::string_view{s.submit_label}},
      {"data", json::object{{key_kind, kind_action}, {key_action, s.action_id}, {key_input, id}}}};
  // Label, drop-down and button side by side; the drop-down as wide as its
  // choices need, not the whole card.
  auto column = [](std::string_view width, json::array items) {
    return json::object{{"type", "Column"},
                        {"width", width},
                        {"verticalContentAlignment", "Center"},
                        {"items", std::move(items)}};
  };
  json::array columns;
  if (!s.placeholder.empty()) {
    json::array label;
    add_text(label, s.placeholder, limits::choice_title_chars, {});
    columns.push_back(column("auto", std::move(label)));
  }
  columns.push_back(column(select_width, json::array{std::move(input)}));
  columns.push_back(column(
      "auto", json::array{json::object{{"type", "ActionSet"}, {"actions", json::array{std::move(submit)}}}}));
  columns.push_back(column("stretch", json::array{}));
  return json::object{{"type", "ColumnSet"}, {"columns", std::move(columns)}};
}

struct block_renderer {
  input_ids& ids;
  const handlers::catalogue& words; // the view's language

  std::optional<json::object> operator()(const handlers::header& h) const {
    json::array items;
    add_text(items, h.text, limits::header_chars, {.size = "Large", .weight = "Bolder"});
    if (items.empty()) return std::nullopt;
    return one_element(std::move(items));
  }

  std::optional<json::object> operator()(const handlers::section& s) const {
    json::array text;
    if (!s.title.empty()) add_text(text, s.title, limits::header_chars, {.weight = "Bolder"});
    if (!s.text.empty()) {
      json::array lines;
      add_text(lines, s.text, limits::text_chars, {});
      // The body follows its title closely.
      if (!text.empty() && !lines.empty()) lines.front().as_object()["spacing"] = "None";
      for (auto& l : lines)
        text.push_back(std::move(l));
    }
    std::optional<json::object> side;
    if (const auto* b = std::get_if<handlers::button>(&s.side)) {
      if (auto a = render_button(*b))
        side = json::object{{"type", "ActionSet"}, {"actions", json::array{*a}}};
    } else if (const auto* m = std::get_if<handlers::menu>(&s.side)) {
      side = render_menu(*m);
    } else if (const auto* sel = std::get_if<handlers::select>(&s.side)) {
      side = render_select(*sel, ids, words);
    }
    if (text.empty() && !side) return std::nullopt;
    if (!side) return one_element(std::move(text));
    if (text.empty()) return std::move(*side);
    // A select needs the width: it goes under the text.
    if (std::holds_alternative<handlers::select>(s.side)) {
      text.push_back(std::move(*side));
      return one_element(std::move(text));
    }
    json::array columns{
        json::object{{"type", "Column"}, {"width", "stretch"}, {"items", std::move(text)}},
        json::object{{"type", "Column"},
                     {"width", "auto"},
                     {"verticalContentAlignment", "Center"},
                     {"items", json::array{std::move(*side)}}},
    };
    return json::object{{"type", "ColumnSet"}, {"columns", std::move(columns)}};
  }

  std::optional<json::object> operator()(const handlers::fields& f) const {
    json::array facts;
    for (const auto& item : f.items) {
      if (facts.size() == limits::facts) break;
      facts.push_back(json::object{
          {"title", clip(item.label, limits::fact_title_chars)},
          {"value", clip(item.value.empty() ? "\u2013" : item.value, limits::fact_value_chars)}});
    }
    if (facts.empty()) return std::nullopt;
    return json::object{{"type", "FactSet"}, {"facts", std::move(facts)}};
  }

  std::optional<json::object> operator()(const handlers::divider&) const { return std::nullopt; }

  std::optional<json::object> operator()(const handlers::action_row& a) const {
    // Buttons in order, a run of them per action set; a select breaks the run.
    json::array items;
    json::array run;
    auto flush = [&] {
      if (!run.empty()) items.push_back(action_set(std::move(run)));
      run = json::array{};
    };
    for (const auto& control : a.controls) {
      if (const auto* b = std::get_if<handlers::button>(&control)) {
        if (auto action = render_button(*b)) run.push_back(std::move(*action));
      } else if (const auto* s = std::get_if<handlers::select>(&control)) {
        flush();
        if (auto e = render_select(*s, ids, words)) items.push_back(std::move(*e));
      }
    }
    flush();
    if (items.empty()) return std::nullopt;
    return one_element(std::move(items));
  }

  std::optional<json::object> operator()(const handlers::note& n) const {
    json::array items;
    add_text(items, n.text, limits::text_chars, {.size = "Small", .subtle = true});
    if (items.empty()) return std::nullopt;
    return one_element(std::move(items));
  }
};

// How a block sits under the one before it. List rows (sections with a
// control beside them) are ruled off from each other so each client reads
// as one item; plain paragraphs that follow each other read as one text.
enum class flow { apart, ruled, joined };

flow flow_after(const handlers::block& previous, const handlers::block& b) {
  const auto* above = std::get_if<handlers::section>(&previous);
  const auto* here = std::get_if<handlers::section>(&b);
  if (!above || !here) return flow::apart;
  auto plain = [](const handlers::section& s) {
    return s.title.empty() && std::holds_alternative<std::monostate>(s.side);
  };
  auto row = [](const handlers::section& s) { return !std::holds_alternative<std::monostate>(s.side); };
  if (row(*above) && row(*here)) return flow::ruled;
  if (plain(*above) && plain(*here)) return flow::joined;
  return flow::apart;
}

json::object small_note(std::string_view text) {
  json::array items;
  add_text(items, text, limits::text_chars, {.size = "Small", .subtle = true});
  return one_element(std::move(items));
}

json::object empty_card(std::string_view summary) {
  return {{"type", "AdaptiveCard"},
          {"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
          {"version", card_version},
          {"fallbackText", clip(summary, limits::summary_chars)},
          // Lists and cards read better across the whole conversation width.
          {"msteams", json::object{{"width", "Full"}}},
          {"body", json::array{}}};
}

// Appends body elements while the card stays within its byte budget.
class body_builder {
public:
  body_builder(json::object& card, std::string_view too_big_note)
      : body_(card.at("body").as_array()), used_(json::serialize(card).size()), too_big_note_(too_big_note) {}

  // False once the budget is spent (the closing note is then in place).
  bool add(json::object element, bool separated) {
    if (full_) return false;
    if (separated && !body_.empty()) {
      element["separator"] = true;
      element["spacing"] = "Medium";
    }
    const std::size_t size = json::serialize(element).size() + 1;
    if (used_ + size + note_reserve > limits::card_bytes) {
      body_.push_back(small_note(too_big_note_));
      full_ = true;
      return false;
    }
    used_ += size;
    body_.push_back(std::move(element));
    return true;
  }

private:
  json::array& body_;
  std::size_t used_;
  std::string_view too_big_note_;
  bool full_ = false;
};

} // namespace

json::object render_card(const handlers::view& v) {
  json::object card =
      empty_card(v.summary.empty() ? std::string_view{"partnerbot"} : std::string_view{v.summary});
  const auto& words = handlers::catalogue_for(v.lang);
  body_builder body(card, words.more_than_fits);
  input_ids ids;
  block_renderer render{ids, words};
  bool separate = false;
  const handlers::block* previous = nullptr;
  for (const auto& b : v.blocks) {
    if (std::holds_alternative<handlers::divider>(b)) {
      separate = true;
      continue;
    }
    auto element = std::visit(render, b);
    if (!element) continue;
    const auto how = previous ? flow_after(*previous, b) : flow::apart;
    if (how == flow::joined && !separate) (*element)["spacing"] = "None";
    if (!body.add(std::move(*element), separate || how == flow::ruled)) break;
    separate = false;
    previous = &b;
  }
  return card;
}

json::object render_form_card(const handlers::form& f, const form_feedback& feedback) {
  json::object card =
      empty_card(f.title.empty() ? std::string_view{"partnerbot"} : std::string_view{f.title});
  body_builder body(card, handlers::catalogue_for(f.lang).more_than_fits);
  auto error_of = [&](const std::string& id) -> const std::string* {
    auto it = feedback.errors.find(id);
    return it == feedback.errors.end() ? nullptr : &it->second;
  };
  auto sent_values = [&](const std::string& id) -> const std::vector<std::string>* {
    auto it = feedback.values.find(id);
    return it == feedback.values.end() ? nullptr : &it->second;
  };
  auto add_error = [&](json::array& items, const std::string& id) {
    if (const auto* e = error_of(id)) add_text(items, *e, limits::text_chars, {.color = "Attention"});
  };

  if (!f.title.empty()) {
    json::array items;
    add_text(items, f.title, limits::header_chars, {.size = "Large", .weight = "Bolder"});
    body.add(one_element(std::move(items)), false);
  }
  bool full = false;
  for (const auto& input : f.inputs) {
    if (full) break;
    json::array items;
    if (const auto* group = std::get_if<handlers::checkbox_group>(&input)) {
      add_text(items, group->label, limits::header_chars, {.weight = "Bolder"});
      const auto* sent = sent_values(group->id);
      const auto& chosen = sent ? *sent : group->initial;
      for (const auto& o : group->options) {
        if (o.value.empty()) continue;
        const bool on = std::find(chosen.begin(), chosen.end(), o.value) != chosen.end();
        items.push_back(json::object{{"type", "Input.Toggle"},
                                     {"id", group->id + toggle_separator + o.value},
                                     {"title", clip(o.label, limits::choice_title_chars)},
                                     {"value", on ? "true" : "false"},
                                     {"valueOn", "true"},
                                     {"valueOff", "false"},
                                     {"wrap", true},
                                     {"spacing", "Small"}});
      }
      add_error(items, group->id);
    } else if (const auto* text = std::get_if<handlers::text_input>(&input)) {
      json::object field{{"type", "Input.Text"},
                         {"id", text->id},
                         {"label", clip(text->label, limits::header_chars)},
                         {"isMultiline", text->multiline},
                         {"isRequired", !text->optional}};
      const std::size_t max = text->max_length > 0
                                  ? std::min<std::size_t>(text->max_length, limits::text_input_chars)
                                  : limits::text_input_chars;
      field["maxLength"] = max;
      if (!text->placeholder.empty()) field["placeholder"] = clip(text->placeholder, limits::header_chars);
      if (const auto* sent = sent_values(text->id); sent && !sent->empty())
        field["value"] = clip(sent->front(), max);
      items.push_back(std::move(field));
      add_error(items, text->id);
    } else if (const auto* n = std::get_if<handlers::note>(&input)) {
      add_text(items, n->text, limits::text_chars, {});
    }
    if (items.empty()) continue;
    full = !body.add(one_element(std::move(items)), false);
  }

  json::object data{{key_kind, kind_form}, {key_form, f.id}, {key_meta, f.private_metadata}};
  card["actions"] = json::array{
      json::object{{"type", "Action.Submit"},
                   {"title", clip(f.submit_label.empty() ? handlers::catalogue_for(f.lang).form_submit
                                                         : std::string_view{f.submit_label},
                                  limits::action_title_chars)},
                   {"data", std::move(data)}}};
  return card;
}

json::object card_activity(const json::object& card, std::string_view summary) {
  json::object attachment{{"contentType", card_content_type}, {"content", card}};
  json::object activity{{"type", "message"}, {"attachments", json::array{std::move(attachment)}}};
  if (!summary.empty()) activity["summary"] = clip(summary, limits::summary_chars);
  return activity;
}

} // namespace bot::teams

#include "bot/cli/text_render.hpp"

#include <catch2/catch.hpp>

using namespace handlers;

namespace {

// Every part stands somewhere in the rendered text.
void check_rendered_parts(const std::string& text, std::initializer_list<const char*> parts) {
  INFO(text);
  for (const char* part : parts) {
    INFO(part);
    CHECK(text.find(part) != std::string::npos);
  }
}

} // namespace

TEST_CASE("the text renderer shows every fact, control and link of a view") {
  view v;
  v.blocks.push_back(header{"Ærø Cykler ApS"});
  v.blocks.push_back(fields{{{"Status", "Active"}, {"Wallet balance", "DKK 12.345,50"}}});
  v.blocks.push_back(section{"Bookkeepers", "Bo Bogholder, Carl", {}});
  v.blocks.push_back(section{
      "Acme ApS", "Active",
      menu{"clients.menu",
           {{"Go to client", "link|c-1", "https://x.example/c-1"}, {"View details", "open|c-1", ""}}}});
  v.blocks.push_back(
      action_row{{button{"My clients (3)", "clients.page", "v", "", button_style::primary},
                  button{"All (9)", "clients.page", "v", "", button_style::plain},
                  handlers::select{"digest.set", "Digest", {{"Weekly", "w"}, {"Off", "o"}}, "o", "Save"}}});
  v.blocks.push_back(note{"Showing 1–2 of 2"});
  // Field labels are aligned: values start in the same column.
  check_rendered_parts(bot::plain::render_text(v),
                       {"Ærø Cykler ApS\n==============\n", "Status:          Active\n",
                        "Wallet balance:  DKK 12.345,50\n", "Bo Bogholder, Carl",
                        "Go to client <https://x.example/c-1>", "View details", "*[My clients (3)]",
                        "[All (9)]", "<Digest: Weekly | (Off)>", "Showing 1–2 of 2"});
}

TEST_CASE("the text renderer shows a form's inputs and submit button") {
  form f;
  f.id = "reminder";
  f.title = "Notify the bookkeepers";
  f.submit_label = "Send";
  f.inputs.push_back(
      checkbox_group{"tasks", "Tasks", {{"Missing receipts", "m"}, {"Wallet balance", "w"}}, {"m"}});
  f.inputs.push_back(text_input{"comment", "Comment", "Anything to add?", true, true, 0});
  check_rendered_parts(bot::plain::render_text(f), {"Notify the bookkeepers", "[x] Missing receipts",
                                                    "[ ] Wallet balance", "Comment (optional)", "[Send]"});
}

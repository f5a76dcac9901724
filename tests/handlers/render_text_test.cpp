#include "bot/cli/text_render.hpp"

#include <catch2/catch.hpp>

using namespace handlers;

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
  const auto text = bot::plain::render_text(v);
  INFO(text);
  CHECK(text.find("Ærø Cykler ApS\n==============\n") != std::string::npos);
  // Field labels are aligned: values start in the same column.
  CHECK(text.find("Status:          Active\n") != std::string::npos);
  CHECK(text.find("Wallet balance:  DKK 12.345,50\n") != std::string::npos);
  CHECK(text.find("Bo Bogholder, Carl") != std::string::npos);
  CHECK(text.find("Go to client <https://x.example/c-1>") != std::string::npos);
  CHECK(text.find("View details") != std::string::npos);
  CHECK(text.find("*[My clients (3)]") != std::string::npos);
  CHECK(text.find("[All (9)]") != std::string::npos);
  CHECK(text.find("<Digest: Weekly | (Off)>") != std::string::npos);
  CHECK(text.find("Showing 1–2 of 2") != std::string::npos);
}

TEST_CASE("the text renderer shows a form's inputs and submit button") {
  form f;
  f.id = "reminder";
  f.title = "Notify the bookkeepers";
  f.submit_label = "Send";
  f.inputs.push_back(
      checkbox_group{"tasks", "Tasks", {{"Missing receipts", "m"}, {"Wallet balance", "w"}}, {"m"}});
  f.inputs.push_back(text_input{"comment", "Comment", "Anything to add?", true, true, 0});
  const auto text = bot::plain::render_text(f);
  INFO(text);
  CHECK(text.find("Notify the bookkeepers") != std::string::npos);
  CHECK(text.find("[x] Missing receipts") != std::string::npos);
  CHECK(text.find("[ ] Wallet balance") != std::string::npos);
  CHECK(text.find("Comment (optional)") != std::string::npos);
  CHECK(text.find("[Send]") != std::string::npos);
}

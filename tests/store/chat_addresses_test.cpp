#include "engines.hpp"
#include "store/chat_addresses.hpp"

#include <catch2/catch.hpp>

TEST_CASE("a chat address is stored once and rewritten only when it changes") {
  store::database db(store_test::location());
  store::chat_addresses addresses(db);
  const store::chat_address first{"chat-a", "ws-1", "user", "u-1", R"({"where":"one"})", 1000};
  CHECK(addresses.remember(first));
  auto found = addresses.find("chat-a", "ws-1", "user", "u-1");
  REQUIRE(found);
  CHECK(found->address == R"({"where":"one"})");
  CHECK(found->updated_ms == 1000);

  auto same = first;
  same.updated_ms = 2000;
  CHECK_FALSE(addresses.remember(same));
  CHECK(addresses.find("chat-a", "ws-1", "user", "u-1")->updated_ms == 1000);

  auto moved = first;
  moved.address = R"({"where":"two"})";
  moved.updated_ms = 3000;
  CHECK(addresses.remember(moved));
  found = addresses.find("chat-a", "ws-1", "user", "u-1");
  REQUIRE(found);
  CHECK(found->address == R"({"where":"two"})");
  CHECK(found->updated_ms == 3000);
}

TEST_CASE("chat addresses are kept apart by platform, workspace and kind") {
  store::database db(store_test::location());
  store::chat_addresses addresses(db);
  CHECK(addresses.remember({"chat-a", "ws-1", "user", "x", "a-user", 1}));
  CHECK(addresses.remember({"chat-a", "ws-1", "channel", "x", "a-channel", 1}));
  CHECK(addresses.remember({"chat-a", "ws-2", "user", "x", "other-workspace", 1}));
  CHECK(addresses.remember({"chat-b", "ws-1", "user", "x", "other-platform", 1}));
  CHECK(addresses.find("chat-a", "ws-1", "user", "x")->address == "a-user");
  CHECK(addresses.find("chat-a", "ws-1", "channel", "x")->address == "a-channel");
  CHECK(addresses.find("chat-a", "ws-2", "user", "x")->address == "other-workspace");
  CHECK(addresses.find("chat-b", "ws-1", "user", "x")->address == "other-platform");
  CHECK_FALSE(addresses.find("chat-a", "ws-3", "user", "x"));
}

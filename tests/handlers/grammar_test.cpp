#include "handlers/grammar.hpp"

#include <catch2/catch.hpp>

using namespace handlers;

namespace {

template <class T> T parsed_as(std::string_view text) {
  auto r = handlers::parse_command(text);
  INFO("text: " << text);
  REQUIRE(std::holds_alternative<parsed_command>(r));
  const auto& cmd = std::get<parsed_command>(r);
  REQUIRE(std::holds_alternative<T>(cmd));
  return std::get<T>(cmd);
}

std::string error_of(std::string_view text) {
  auto r = handlers::parse_command(text);
  INFO("text: " << text);
  REQUIRE(std::holds_alternative<parse_error>(r));
  return std::get<parse_error>(r).message();
}

} // namespace

TEST_CASE("an empty command is the default client list") {
  for (auto text : {"", "   ", "\t\n"}) {
    auto c = parsed_as<command::clients>(text);
    CHECK_FALSE(c.tab);
    CHECK_FALSE(c.missing);
    CHECK_FALSE(c.descending);
  }
}

TEST_CASE("clients takes a tab, missing and desc in any order, case-insensitively") {
  auto c = parsed_as<command::clients>("clients");
  CHECK_FALSE(c.tab);

  c = parsed_as<command::clients>("CLIENTS All");
  REQUIRE(c.tab);
  CHECK(*c.tab == store::tab::all);

  c = parsed_as<command::clients>("clients desc missing onboarding");
  REQUIRE(c.tab);
  CHECK(*c.tab == store::tab::onboarding);
  CHECK(c.missing);
  CHECK(c.descending);

  c = parsed_as<command::clients>("clients missing invites");
  CHECK(*c.tab == store::tab::invites);
  CHECK(c.missing);
  CHECK_FALSE(c.descending);

  c = parsed_as<command::clients>("Clients MINE Desc");
  CHECK(*c.tab == store::tab::mine);
  CHECK(c.descending);
}

TEST_CASE("clients refuses two tabs and unknown words with a hint") {
  CHECK(error_of("clients mine all").find("one tab") != std::string::npos);
  const auto e = error_of("clients nordic");
  CHECK(e.find("nordic") != std::string::npos);
  CHECK(e.find("search nordic") != std::string::npos);
}

TEST_CASE("search keeps the text after the keyword, spaces collapsed") {
  CHECK(parsed_as<command::search>("search nordic").text == "nordic");
  CHECK(parsed_as<command::search>("SEARCH   Ærø   Cykler ").text == "Ærø Cykler");
  CHECK(error_of("search").find("Search for what") != std::string::npos);
}

TEST_CASE("missing, digests and help parse; missing and digests take no words") {
  parsed_as<command::missing>("missing");
  parsed_as<command::missing>("Missing");
  parsed_as<command::digests>("digests");
  parsed_as<command::help>("help");
  parsed_as<command::help>("HELP me please");
  error_of("missing acme");
  error_of("digests acme");
}

TEST_CASE("client takes a name of several words") {
  CHECK(parsed_as<command::client>("client Acme ApS").name == "Acme ApS");
  CHECK(parsed_as<command::client>("client  Østerbro   Bageri").name == "Østerbro Bageri");
  CHECK(error_of("client").find("Which client") != std::string::npos);
}

TEST_CASE("digest takes a name or channel, and the frequency as the last word") {
  auto d = parsed_as<command::digest>("digest Acme ApS Weekly");
  CHECK_FALSE(d.channel);
  CHECK(d.name == "Acme ApS");
  CHECK(d.frequency == "weekly");

  d = parsed_as<command::digest>("digest channel daily");
  CHECK(d.channel);
  CHECK(d.name.empty());
  CHECK(d.frequency == "daily");

  d = parsed_as<command::digest>("DIGEST Channel OFF");
  CHECK(d.channel);
  CHECK(d.frequency == "off");

  // "channel" followed by more words is a client name.
  d = parsed_as<command::digest>("digest channel partners monthly");
  CHECK_FALSE(d.channel);
  CHECK(d.name == "channel partners");
  CHECK(d.frequency == "monthly");

  CHECK(error_of("digest Acme hourly").find("daily, weekly, monthly or off") != std::string::npos);
  error_of("digest weekly");
  error_of("digest");
}

TEST_CASE("remind takes a name") {
  CHECK(parsed_as<command::remind>("remind Acme").name == "Acme");
  error_of("remind");
}

TEST_CASE("link takes an e-mail, or a mention and an e-mail") {
  auto l = parsed_as<command::link>("link anna@firm.example");
  CHECK(l.user_id.empty());
  CHECK(l.email == "anna@firm.example");

  l = parsed_as<command::link>("LINK Anna@Firm.example");
  CHECK(l.email == "Anna@Firm.example");

  l = parsed_as<command::link>("link " + mention_token("U123ABC") + " carl@firm.example");
  CHECK(l.user_id == "U123ABC");
  CHECK(l.email == "carl@firm.example");

  l = parsed_as<command::link>("link @{29:1xYz-aad} carl@firm.example");
  CHECK(l.user_id == "29:1xYz-aad");

  error_of("link");
  error_of("link not-an-email");
  error_of("link a@b");
  error_of("link @{U1}");
  error_of("link @carl carl@firm.example");
  error_of("link @{U1} @{U2} x@y.z");
}

TEST_CASE("a mention is parsed into a user id; anything else is not a mention") {
  CHECK(parse_mention(mention_token("U1")) == std::optional<std::string>{"U1"});
  CHECK(parse_mention("@{W42}") == std::optional<std::string>{"W42"});
  CHECK_FALSE(parse_mention("@U1"));
  CHECK_FALSE(parse_mention("@{}"));
  CHECK_FALSE(parse_mention("@{U 1}"));
  CHECK_FALSE(parse_mention("<@U1>"));
  CHECK_FALSE(parse_mention("<#C1|general>"));
}

TEST_CASE("unknown words get a helpful error") {
  const auto e = error_of("frobnicate acme");
  CHECK(e.find("frobnicate") != std::string::npos);
  CHECK(e.find("search") != std::string::npos);
}

TEST_CASE("input is bounded and must be readable text") {
  CHECK(error_of("search " + std::string(600, 'a')).find("too long") != std::string::npos);
  // 500 characters of two bytes each are still within the bound.
  std::string danish = "search ";
  for (int i = 0; i < 490; ++i)
    danish += "\xc3\xa6"; // æ
  CHECK(parsed_as<command::search>(danish).text.size() == 980);
  error_of("search \xff\xfe");
  error_of(std::string{"search a\x01"
                       "b"});
}

TEST_CASE("Danish command words mean the same commands, with or without æ ø å") {
  auto c = parsed_as<command::clients>("kunder alle manglende desc");
  REQUIRE(c.tab);
  CHECK(*c.tab == store::tab::all);
  CHECK(c.missing);
  CHECK(c.descending);
  CHECK(*parsed_as<command::clients>("KUNDER inviterer").tab == store::tab::invites);
  CHECK(*parsed_as<command::clients>("kunder mine").tab == store::tab::mine);
  CHECK(*parsed_as<command::clients>("kunder onboarding").tab == store::tab::onboarding);

  for (auto text :
       {"søg nordisk design", "SØG nordisk design", "soeg nordisk design", "Soeg  nordisk design"})
    CHECK(parsed_as<command::search>(text).text == "nordisk design");
  parsed_as<command::missing>("manglende");
  CHECK(parsed_as<command::client>("kunde Ærø Cykler").name == "Ærø Cykler");
  for (auto text : {"påmind Acme", "PÅMIND Acme", "paamind Acme"})
    CHECK(parsed_as<command::remind>(text).name == "Acme");
  for (auto text : {"hjælp", "Hjælp", "hjaelp", "HJAELP"})
    parsed_as<command::help>(text);
  CHECK(parsed_as<command::language_setting>("sprog da").choice == "da");
  CHECK(parsed_as<command::language_setting>("language EN").choice == "en");
  CHECK(parsed_as<command::language_setting>("sprog dansk").choice == "da");
  CHECK(parsed_as<command::language_setting>("sprog auto").choice == "auto");
  CHECK(parsed_as<command::language_setting>("sprog").choice.empty());
}

TEST_CASE("Danish frequencies set digests, with or without å") {
  const std::pair<const char*, const char*> words[] = {{"dagligt", "daily"},     {"ugentligt", "weekly"},
                                                       {"månedligt", "monthly"}, {"maanedligt", "monthly"},
                                                       {"MÅNEDLIGT", "monthly"}, {"fra", "off"}};
  for (const auto& [word, meaning] : words) {
    auto d = parsed_as<command::digest>(std::string{"digest Acme ApS "} + word);
    CHECK(d.name == "Acme ApS");
    CHECK(d.frequency == meaning);
  }
  auto channel = parsed_as<command::digest>("digest kanal ugentligt");
  CHECK(channel.channel);
  CHECK(channel.frequency == "weekly");
}

TEST_CASE("grammar errors are worded in the reply language") {
  const auto danish_error = [](std::string_view text) {
    auto r = handlers::parse_command(text);
    REQUIRE(std::holds_alternative<parse_error>(r));
    return std::get<parse_error>(r).message(danish);
  };
  CHECK(danish_error("søg").find("Søg efter hvad?") != std::string::npos);
  CHECK(danish_error("kunder blå").find("Jeg forstår ikke \u201cblå\u201d efter `kunder`") !=
        std::string::npos);
  CHECK(danish_error("clients blue").find("efter `clients`") != std::string::npos); // as typed
  CHECK(danish_error("vis mig acme").find("Jeg kender ikke \u201cvis\u201d") != std::string::npos);
  CHECK(danish_error("digest Acme hver dag").find("dagligt, ugentligt, månedligt eller fra") !=
        std::string::npos);
  CHECK(error_of("sprog klingon").find("language da") != std::string::npos);
}

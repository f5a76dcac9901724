#include "bot/cli/demo_firm.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <fmt/format.h>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace bot {
namespace {

namespace json = boost::json;

// Curated names come first, so every firm starts with the same recognisable clients.
constexpr std::array<std::string_view, 62> curated_clients{"Ærø Cykler ApS",
                                                           "Østerbro Bageri ApS",
                                                           "Ålborg Tømrer ApS",
                                                           "Aarhus Kaffebrænderi ApS",
                                                           "Amager Auto ApS",
                                                           "Bispebjerg Blomster ApS",
                                                           "Bornholms Røgeri A/S",
                                                           "Christianshavn Design ApS",
                                                           "Dansk Fjernvarme Service A/S",
                                                           "Djursland Gartneri ApS",
                                                           "Esbjerg Havnelogistik A/S",
                                                           "Fanø Feriehuse ApS",
                                                           "Frederiksberg Tandklinik ApS",
                                                           "Fyns Økologiske Mejeri A/S",
                                                           "Gilleleje Fiskehandel ApS",
                                                           "Grenaa Maskinværksted ApS",
                                                           "Hellerup Arkitekter ApS",
                                                           "Herning Tekstil A/S",
                                                           "Holbæk Elektro ApS",
                                                           "Ishøj Rengøring ApS",
                                                           "Jyllands Vinduespolering ApS",
                                                           "Kalundborg Kemi A/S",
                                                           "Københavns Cykeludlejning ApS",
                                                           "Køge Bugt Marina ApS",
                                                           "Lemvig Vindmølleservice ApS",
                                                           "Lyngby Boghandel ApS",
                                                           "Møns Klint Turisme ApS",
                                                           "Nørrebro Pizza & Grill ApS",
                                                           "Nyborg Slagter ApS",
                                                           "Odense Softwarehus ApS",
                                                           "Ølstykke VVS ApS",
                                                           "Præstø Keramik ApS",
                                                           "Ribe Vikingemad ApS",
                                                           "Roskilde Scenebyg ApS",
                                                           "Silkeborg Kajak ApS",
                                                           "Skagen Lys & Lamper ApS",
                                                           "Søllerød Tandlæger ApS",
                                                           "Svendborg Skibsværft A/S",
                                                           "Thisted Bryghus ApS",
                                                           "Tønder Kniplinger ApS",
                                                           "Valby Værksted ApS",
                                                           "Vesterbro Vinbar ApS",
                                                           "Viborg Møbler A/S",
                                                           "Æblehaven Frugtplantage ApS",
                                                           "Ørestad Kontorfællesskab ApS",
                                                           "Åbyhøj Murerfirma ApS",
                                                           "Østjysk Transport A/S",
                                                           "Göteborgs Kaffe AB",
                                                           "Malmö Städservice AB",
                                                           "Åkesson & Söner AB",
                                                           "Bergen Fjordturer AS",
                                                           "Tromsø Nordlys Safari AS",
                                                           "Müller Bäckerei GmbH",
                                                           "Straßenbau Flensburg GmbH",
                                                           "Jönköping Trähus AB",
                                                           "Lübeck Marzipan Handel GmbH",
                                                           "Yding Skovhave ApS",
                                                           "Xtra Vinduespudsning ApS",
                                                           "Café Nørrebro ApS",
                                                           "Zealand Surf Skole ApS",
                                                           "Ulfborg Maskinstation I/S",
                                                           "Wittrup Revisionsservice ApS"};

// Generated names: place x trade x legal form, visited in a scattered order.
constexpr std::array<std::string_view, 50> places{
    "Ærø",       "Østerbro",  "Ålborg",   "Amager",   "Aabenraa",   "Ballerup",      "Bornholm",
    "Brøndby",   "Dragør",    "Esbjerg",  "Fanø",     "Faaborg",    "Frederikshavn", "Gentofte",
    "Greve",     "Haderslev", "Hørsholm", "Horsens",  "Hvidovre",   "Ikast",         "Kolding",
    "Korsør",    "Læsø",      "Lolland",  "Mariager", "Middelfart", "Næstved",       "Nakskov",
    "Odder",     "Rødovre",   "Rønne",    "Samsø",    "Skive",      "Slagelse",      "Sønderborg",
    "Struer",    "Tårnby",    "Tåstrup",  "Varde",    "Vejle",      "Vordingborg",   "Ærøskøbing",
    "Øresund",   "Ølgod",     "Åbenrå",   "Göteborg", "Malmö",      "Tromsø",        "München",
    "Düsseldorf"};
constexpr std::array<std::string_view, 50> trades{
    "Bageri",    "Cykler",    "Tømrer",     "Murer",    "VVS",        "Elektro",       "Auto",
    "Blomster",  "Boghandel", "Bryghus",    "Café",     "Design",     "Ejendomme",     "Fiskehandel",
    "Frisør",    "Gartneri",  "Glarmester", "Grafik",   "Hotel",      "IT-Service",    "Isenkram",
    "Kaffe",     "Keramik",   "Kontor",     "Køkken",   "Malerfirma", "Maskinstation", "Mejeri",
    "Møbler",    "Optik",     "Rengøring",  "Regnskab", "Restaurant", "Røgeri",        "Skomager",
    "Slagter",   "Smedje",    "Snedker",    "Software", "Sport",      "Tandklinik",    "Tekstil",
    "Transport", "Turisme",   "Urmager",    "Vinbar",   "Vognmand",   "Værksted",      "Wellness",
    "Økologi"};
constexpr std::array<std::string_view, 4> forms{"ApS", "A/S", "I/S", "Holding ApS"};

struct person {
  std::string_view key;
  std::string_view name;
};
constexpr std::array<person, 2> named_admins{person{"anna", "Anna Admin"}, person{"bo", "Bo Berg"}};
constexpr std::array<person, 5> named_bookkeepers{
    person{"carla", "Carla Christensen"}, person{"dorte", "Dorte Dahl"}, person{"emil", "Emil Eriksen"},
    person{"frida", "Frida Friis"}, person{"gustav", "Gustav Grøn"}};
constexpr std::array<std::string_view, 20> first_names{
    "Astrid", "Bjørn", "Camilla", "Dennis", "Ellen", "Frederik", "Gitte",  "Henrik", "Ida",   "Jens",
    "Karen",  "Lars",  "Mette",   "Niels",  "Ole",   "Pernille", "Rasmus", "Sofie",  "Søren", "Trine"};
constexpr std::array<std::string_view, 12> last_names{"Andersen", "Bech",     "Dam",      "Holm",
                                                      "Jensen",   "Kjær",     "Larsen",   "Madsen",
                                                      "Nielsen",  "Nørgaard", "Sørensen", "Østergaard"};

// A small deterministic generator (splitmix64).
class sequence {
public:
  explicit sequence(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x1234567ULL) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }

private:
  std::uint64_t state_;
};

std::string amount_text(std::int64_t minor) {
  const bool negative = minor < 0;
  const auto abs = negative ? -minor : minor;
  return fmt::format("{}{}.{:02}", negative ? "-" : "", abs / 100, abs % 100);
}

std::string_view currency_for(std::string_view name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends(" AB")) return "SEK";
  if (ends(" GmbH")) return "EUR";
  if (ends(" AS")) return "NOK";
  return "DKK";
}

std::vector<std::string> client_names(int count) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  names.reserve(static_cast<std::size_t>(count));
  for (auto n : curated_clients) {
    if (static_cast<int>(names.size()) >= count) break;
    names.emplace_back(n);
    seen.emplace(n);
  }
  const std::size_t combos = places.size() * trades.size() * forms.size();
  // 7919 is prime and coprime with the number of combinations: a full, scattered walk.
  for (std::size_t i = 0; static_cast<int>(names.size()) < count; ++i) {
    const std::size_t k = (i * 7919) % combos;
    auto name =
        fmt::format("{} {} {}", places[k % places.size()], trades[(k / places.size()) % trades.size()],
                    forms[k / (places.size() * trades.size())]);
    if (i >= combos)
      name =
          fmt::format("{} {} {} {}", places[k % places.size()], trades[(k / places.size()) % trades.size()],
                      i / combos + 1, forms[k / (places.size() * trades.size())]);
    if (seen.insert(name).second) names.push_back(std::move(name));
  }
  return names;
}

} // namespace

std::string generate_snapshot(const firm_spec& spec) {
  sequence rnd(spec.seed);
  const std::string tag = spec.partner_id.starts_with("p-") ? spec.partner_id.substr(2) : spec.partner_id;
  const bool demo = tag == "demo";
  const std::string domain = demo ? "nordlys.example" : fmt::format("{}.example", tag);
  auto member_id = [&](std::string_view key) {
    return demo ? fmt::format("m-{}", key) : fmt::format("m-{}-{}", tag, key);
  };

  json::array members;
  std::vector<std::string> admin_ids, bookkeeper_ids;
  auto add_member = [&](const std::string& key, const std::string& name, std::string_view role) {
    const auto id = member_id(key);
    members.push_back(json::object{
        {"id", id}, {"name", name}, {"email", fmt::format("{}@{}", key, domain)}, {"role", role}});
    (role == "admin" ? admin_ids : bookkeeper_ids).push_back(id);
  };
  auto generated_person = [&](int n) {
    const auto first = first_names[static_cast<std::size_t>(n) % first_names.size()];
    const auto last = last_names[(static_cast<std::size_t>(n) / first_names.size()) % last_names.size()];
    return std::pair{fmt::format("staff{}", n), fmt::format("{} {}", first, last)};
  };
  int person_no = 0;
  for (int i = 0; i < spec.admins; ++i, ++person_no) {
    if (i < static_cast<int>(named_admins.size())) {
      add_member(std::string(named_admins[static_cast<std::size_t>(i)].key),
                 std::string(named_admins[static_cast<std::size_t>(i)].name), "admin");
    } else {
      auto [key, name] = generated_person(person_no);
      add_member(key, name, "admin");
    }
  }
  for (int i = 0; i < spec.bookkeepers; ++i, ++person_no) {
    if (i < static_cast<int>(named_bookkeepers.size())) {
      add_member(std::string(named_bookkeepers[static_cast<std::size_t>(i)].key),
                 std::string(named_bookkeepers[static_cast<std::size_t>(i)].name), "bookkeeper");
    } else {
      auto [key, name] = generated_person(person_no);
      add_member(key, name, "bookkeeper");
    }
  }

  json::array clients;
  const auto names = client_names(spec.clients);
  for (int i = 0; i < spec.clients; ++i) {
    const auto& name = names[static_cast<std::size_t>(i)];
    // Fixed positions keep the status mix stable: 1 in 10 invites, 2 in 15 onboarding.
    const std::string_view status = i % 10 == 7                     ? "invite"
                                    : (i % 15 == 4 || i % 15 == 11) ? "onboarding"
                                                                    : "active";
    std::int64_t balance = static_cast<std::int64_t>(rnd.next() % 50'000'000) - 2'000'000;
    if (rnd.below(8) == 0) balance = rnd.below(2) == 0 ? 0 : balance / 100 * 100;
    const int missing = rnd.below(3) == 0 ? 0 : 1 + rnd.below(40);
    const int ready = rnd.below(4) == 0 ? 0 : rnd.below(26);

    json::array assigned;
    if (status != "invite" && !bookkeeper_ids.empty()) {
      const auto first = static_cast<std::size_t>(rnd.below(static_cast<int>(bookkeeper_ids.size())));
      assigned.push_back(json::string(bookkeeper_ids[first]));
      if (bookkeeper_ids.size() > 1 && rnd.below(2) == 0)
        assigned.push_back(json::string(bookkeeper_ids[(first + 1 +
                                                        static_cast<std::size_t>(rnd.below(
                                                            static_cast<int>(bookkeeper_ids.size()) - 1))) %
                                                       bookkeeper_ids.size()]));
    }
    // The first admin looks after some active clients; the others after none.
    if (status == "active" && !admin_ids.empty() && i % 4 == 0)
      assigned.push_back(json::string(admin_ids.front()));

    clients.push_back(json::object{
        {"id", fmt::format("c-{}-{:04}", tag, i + 1)},
        {"name", name},
        {"status", status},
        {"wallet_balance", json::object{{"amount", amount_text(balance)}, {"currency", currency_for(name)}}},
        {"missing_receipts", missing},
        {"ready_for_export", ready},
        {"bookkeepers", std::move(assigned)}});
  }

  json::object partner{{"id", spec.partner_id}, {"name", spec.partner_name}};
  if (!spec.slack_team_id.empty()) partner["slack_team_id"] = spec.slack_team_id;
  return json::serialize(json::object{
      {"partner", std::move(partner)}, {"members", std::move(members)}, {"clients", std::move(clients)}});
}

std::string demo_snapshot() {
  return generate_snapshot(firm_spec{});
}

} // namespace bot

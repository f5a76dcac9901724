// Danish, with the partner portal's own words. Built with
// -Werror=missing-field-initializers: every text is here.

#include "handlers/catalogue.hpp"

namespace handlers {

const catalogue danish{
    .weekdays = "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag",
    .months = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december",
    .date_with_year = "{day}. {month} {year}",
    .date_no_year = "{day}. {month}",
    .clock = "kl. {hour}.{minute}",
    .date_and_clock = "{date} {clock}",
    .slot_when = "{weekday} {date} {clock} (dansk tid)",
    .slot_day = "{weekday} {date}",
    .figures_as_of = "Tal pr. {time} (dansk tid)",
    .figures_from = "Tal fra {time} (dansk tid)",
    .pleo_unreachable_since = "Pleo har ikke svaret siden {time}",
    .figures_stale = "forældede: over 24 timer gamle",
    .balance_from_snapshot = "saldo i tegnebogen fra firmaets eksport {time}",
    .export_unpriced = "{count} uden beløb",

    .expired = "Det her er udløbet — kør kommandoen igen.",
    .nothing_changed = "Intet blev ændret.",
    .and_word = "og",
    .names_and_more = "{names} og {count} til",
    .and_more = "og {count} til",
    .role_admin = "administrator",
    .role_bookkeeper = "bogholder",
    .member_with_role = "{name} ({role})",
    .clients_one = "{count} kunde",
    .clients_many = "{count} kunder",
    .missing_none = "Ingen manglende kvitteringer",
    .missing_one = "{count} manglende kvittering",
    .missing_many = "{count} manglende kvitteringer",
    .ready_count = "{count} klar til eksport",
    .go_to_client = "Gå til kunde",

    .grammar_not_utf8 = "Jeg kunne ikke læse teksten (den er ikke gyldig UTF-8).",
    .grammar_too_long = "Det er for langt: en kommando må højst være {max} tegn.",
    .grammar_control_characters = "Teksten indeholder kontroltegn, som jeg ikke kan læse.",
    .grammar_clients_word =
        "Jeg forstår ikke {word} efter `{command}`: brug mine, alle, onboarding, inviterer, "
        "manglende eller desc. Find en kunde ud fra navnet med `søg {rest}`.",
    .grammar_one_tab = "Vælg én fane: mine, alle, onboarding eller inviterer.",
    .grammar_search_what = "Søg efter hvad? Prøv `søg nordisk`.",
    .grammar_missing_alone =
        "`{command}` skal ikke have noget efter sig. For én fane: prøv `kunder mine manglende`.",
    .grammar_client_which = "Hvilken kunde? Prøv `kunde Acme`.",
    .grammar_digests_alone =
        "`{command}` skal ikke have noget efter sig; ret et sammendrag med `digest NAVN ugentligt`.",
    .grammar_remind_which = "Hvilken kunde? Prøv `påmind Acme`.",
    .grammar_unknown_command = "Jeg kender ikke {word}. Find en kunde ud fra navnet med `søg {text}`.",
    .grammar_digest_usage =
        "Brug `digest NAVN dagligt|ugentligt|månedligt|fra` for en kunde, eller `digest kanal "
        "dagligt|ugentligt|månedligt|fra` for firmaets sammendrag i denne kanal.",
    .grammar_digest_which = "Hvilken kunde, og hvor tit? {usage}",
    .grammar_digest_how_often = "Slut med hvor tit: dagligt, ugentligt, månedligt eller fra. {usage}",
    .grammar_link_usage = "Brug `link din@email` (e-mailen på din chatprofil), eller som administrator `link "
                          "@bruger deres@email`.",
    .grammar_link_add_email = "Tilføj deres e-mail: `link @bruger deres@email`.",
    .grammar_not_an_email = "{text} er ikke en e-mailadresse. {usage}",
    .grammar_link_mention =
        "Nævn personen med @ (vælg dem på listen, så chat-appen ved, hvem det er). {usage}",
    .grammar_language_usage =
        "Brug `sprog da` (dansk), `sprog en` (engelsk) eller `sprog auto` (din chat-apps sprog).",

    .help_title = "Det kan jeg",
    .help_intro =
        "Skriv en af disse efter bottens kommando (for eksempel `/pleo kunder`) eller i en besked til "
        "botten. Navne genkendes uanset store og små bogstaver; en tom kommando viser dine kunder. "
        "Engelske kommandoer virker også (`clients`, `search`, `help` …).",
    .help_commands = "Kommandoer",
    .help_unlinked = "Du er endnu ikke knyttet til et medlem af {firm}: kør `link din@email` med e-mailen "
                     "på din chatprofil, eller bed en administrator om at køre `link @dig din@email`.",
    .help_you_are = "Du er {member} hos {firm}.",
    .help_clients_admin = "kunder [mine|alle|onboarding|inviterer] [manglende] [desc]",
    .help_clients_bookkeeper = "kunder [mine|onboarding] [manglende] [desc]",
    .help_clients_what =
        "din kundeliste, efter fane; `manglende`: kun kunder med manglende kvitteringer; `desc`: "
        "navne Å–A",
    .help_search = "søg TEKST",
    .help_search_what = "kunder, hvis navn indeholder TEKST",
    .help_missing = "manglende",
    .help_missing_what = "alle kunder med manglende kvitteringer, flest manglende først",
    .help_client = "kunde NAVN",
    .help_client_what = "én kundes kort: saldo, kvitteringer, bogholdere, link til Pleo",
    .help_digest = "digest NAVN dagligt|ugentligt|månedligt|fra",
    .help_digest_what = "dit sammendrag for én kunde, sendt som direkte besked",
    .help_channel_digest = "digest kanal dagligt|ugentligt|månedligt|fra",
    .help_channel_digest_what = "firmaets sammendrag i denne kanal",
    .help_digests = "digests",
    .help_digests_what = "de sammendrag, du abonnerer på",
    .help_remind = "påmind NAVN",
    .help_remind_what = "giv en kundes bogholdere besked om udestående opgaver",
    .help_link = "link EMAIL",
    .help_link_what = "knyt din chatbruger til dit medlem hos Pleo-partneren (e-mailen på din chatprofil)",
    .help_link_other = "link @bruger EMAIL",
    .help_link_other_what = "knyt en andens chatbruger til et medlem",
    .help_language = "sprog da|en|auto",
    .help_language_what = "det sprog, jeg svarer dig på (auto: din chat-apps sprog)",
    .help_home = "hjem",
    .help_home_what = "dit hjem: de kunder, der har brug for dig, dine sammendrag og dit sprog",
    .help_help = "hjælp",
    .help_help_what = "denne liste",

    .unlinked_summary = "Du er endnu ikke knyttet til et medlem af {firm}.",
    .unlinked_title = "Du er ikke knyttet endnu",
    .unlinked_text =
        "Jeg ved ikke, hvilket medlem af {firm} du er, så jeg kan ikke vise dig nogen kunder. Bed "
        "en administrator om at køre `link @dig din@email`, eller kør `link din@email` med "
        "e-mailen på din chatprofil.",
    .link_no_member_self =
        "Intet medlem af {firm} har e-mailen {email}. Tjek stavningen, eller bed en administrator "
        "om at tilføje dig som medlem i Pleos partnerportal.",
    .link_no_member_other = "Intet medlem af {firm} har e-mailen {email}. Tjek stavningen, eller bed en "
                            "administrator om at tilføje dem som medlem i Pleos partnerportal.",
    .link_linked_self =
        "Knyttet: du er {member} hos {firm}. Prøv `kunder`, eller `hjælp` for alt, hvad jeg kan.",
    .link_linked_other = "Knyttet: den chatbruger er nu {member} hos {firm}.",
    .link_already_self = "Du er allerede knyttet som {member}.",
    .link_already_other = "Den chatbruger er allerede knyttet som {member}.",
    .link_member_taken = "En anden chatbruger er allerede knyttet til {name}, så jeg har ikke ændret noget. "
                         "Hvis det er forkert, så bed en administrator hos {firm} om at se på det.",
    .link_unknown_user = "Jeg kan ikke se, hvem du er i denne chat, så jeg kan ikke knytte dig.",
    .link_no_profile_email = "Jeg kan ikke se e-mailen på din chatprofil, så jeg kan ikke tjekke, at {email} "
                             "er din. Bed en administrator om at køre `link @dig din@email`.",
    .link_not_your_email =
        "{email} er ikke e-mailen på din chatprofil. Du kan kun knytte dig selv med din egen "
        "e-mail; en administrator kan køre `link @dig din@email` for dig.",
    .link_admins_only =
        "Kun en administrator kan knytte andre. Knyt dig selv med `link din@email` og e-mailen "
        "på din chatprofil.",

    .tab_invites = "Inviterer",
    .tab_onboarding = "Onboarding",
    .tab_mine = "Mine kunder",
    .tab_all = "Alle",
    .tab_with_count = "{tab} ({count})",
    .status_invite = "Invitation",
    .status_onboarding = "Onboarding",
    .status_active = "Aktiv",
    .list_no_match = "Ingen kunder matcher {query}.",
    .list_no_match_missing = "Ingen kunder med manglende kvitteringer matcher {query}.",
    .list_only_assigned = "Du ser kun de kunder, du er tildelt.",
    .list_try_shorter = "Prøv med en kortere del af navnet.",
    .list_all_clear_yours = "Ingen af dine kunder mangler kvitteringer — alt er i orden.",
    .list_no_clients_yet = "Du har ingen kunder endnu.",
    .list_all_clear_tab = "Ingen kunder under {tab} mangler kvitteringer — alt er i orden.",
    .list_no_invites = "Ingen ventende invitationer.",
    .list_no_onboarding = "Ingen kunder i onboarding lige nu.",
    .list_admin_not_assigned = "Du er ikke tildelt nogen aktiv kunde. Prøv `kunder alle`.",
    .list_bookkeeper_not_assigned = "Du er endnu ikke tildelt nogen aktiv kunde. Bed en administrator i dit "
                                    "firma om at tildele dig i Pleo.",
    .list_firm_empty = "Firmaet har ingen kunder endnu.",
    .list_title_search = "Kunder, der matcher {query}",
    .list_title_missing = "Kunder med manglende kvitteringer",
    .list_title_everything = "Alle dine kunder",
    .list_title_all = "Alle kunder",
    .list_admin_tabs = "Fanerne Inviterer og Alle er for administratorer; her er dine kunder.",
    .list_summary_none = "{title}: ingen",
    .list_summary = "{title}: {clients}",
    .sort_ascending = "A–Å",
    .sort_descending = "Å–A",
    .sort_most_missing = "Flest manglende først",
    .filter_missing_only = "Kun manglende kvitteringer",
    .showing = "Viser {first}–{last} af {total}",
    .showing_missing_only = "kun kunder med manglende kvitteringer",
    .showing_most_missing = "flest manglende først",
    .page_previous = "← Forrige",
    .page_next = "Næste →",
    .view_details = "Vis detaljer",
    .notify_bookkeepers = "Giv bogholderne besked",

    .card_status_invite = "Invitation (ikke accepteret endnu)",
    .card_summary = "{client}: {balance}, {missing} manglende kvitteringer",
    .field_status = "Status",
    .field_wallet_balance = "Saldo i tegnebogen",
    .field_missing_receipts = "Manglende kvitteringer",
    .field_ready_for_export = "Udgifter klar til eksport",
    .card_bookkeepers = "Bogholdere",
    .card_no_bookkeepers = "Ingen er tildelt endnu.",
    .card_last_reminders = "Seneste påmindelser:",
    .resolve_which_summary = "Hvilken kunde?",
    .resolve_which = "Hvilken kunde? Skriv en del af navnet.",
    .resolve_no_such_summary = "Ingen sådan kunde",
    .resolve_no_such = "Ingen kunde har et navn som det.",
    .resolve_ambiguous_summary = "{query} passer på flere kunder",
    .resolve_ambiguous = "{query} passer på flere kunder. Hvilken af dem?",
    .resolve_first_25 = "(Kun de første 25 vises; skriv mere af navnet.)",
    .resolve_unknown_summary = "Ingen kunde hedder {query}",
    .resolve_unknown = "Jeg kan ikke finde en kunde, der hedder {query}.",
    .resolve_did_you_mean = "Mente du:",
    .resolve_try_search = "Prøv `søg` med en del af navnet.",

    .freq_daily = "dagligt",
    .freq_weekly = "ugentligt",
    .freq_monthly = "månedligt",
    .freq_off = "fra",
    .cadence_daily = "hver hverdag (mandag til fredag) kl. 10.00 (dansk tid)",
    .cadence_weekly = "hver mandag kl. 10.00 (dansk tid)",
    .cadence_monthly = "den første mandag i hver måned kl. 10.00 (dansk tid)",
    .digest_off = "Sammendraget for {client} er slået fra.",
    .digest_had_none = "Du havde intet sammendrag for {client}.",
    .digest_already = "Du får allerede et {frequency} sammendrag for {client}.",
    .digest_set = "{frequency} sammendrag for {client}: {cadence}.",
    .digest_next = "Næste sammendrag: {when}",
    .digest_first = "Første sammendrag: {when}",
    .digest_arrives = "Det kommer som en direkte besked fra botten. Ret eller stop det med `digests`.",
    .digest_usage = "Brug: `digest NAVN dagligt|ugentligt|månedligt|fra`, f.eks. `digest Acme ugentligt`.",
    .digest_not_linked =
        "Din chatbruger er endnu ikke knyttet til et medlem hos partneren. Knyt den med `link "
        "EMAIL` (e-mailen på din bruger i partnerportalen).",
    .channel_admins_only = "Kun partnerens administratorer kan sætte et kanalsammendrag op. Du kan få dit "
                           "eget med `digest NAVN dagligt|ugentligt|månedligt`.",
    .channel_usage = "Brug: `digest kanal dagligt|ugentligt|månedligt|fra`, skrevet i kanalen.",
    .channel_type_in_channel = "Skriv `digest kanal ...` i den kanal, der skal have firmaets sammendrag.",
    .channel_off = "Firmaets sammendrag er slået fra i denne kanal.",
    .channel_had_none = "Denne kanal havde intet firmasammendrag.",
    .channel_set = "Denne kanal får firmaets sammendrag {frequency}, {cadence}.",
    .channel_note =
        "Det viser firmaets kunder med manglende kvitteringer eller udgifter klar til eksport. Botten "
        "skal være medlem af kanalen for at kunne skrive her.",
    .digests_title = "Dine sammendrag",
    .digests_line = "{frequency} · næste: {when}",
    .digests_none = "Du har ingen sammendrag. Abonnér med `digest NAVN ugentligt` eller med valget af "
                    "hyppighed på en kundes kort.",
    .digests_summary_none = "Du har ingen sammendrag.",
    .digests_summary_one = "Du har 1 sammendrag.",
    .digests_summary_many = "Du har {count} sammendrag.",
    .channels_title = "Firmaets kanalsammendrag",
    .channels_none = "Ingen kanal får firmaets sammendrag. Skriv `digest kanal ugentligt` i en kanal.",
    .channels_line = "{platform}-kanal {channel}: {frequency}, næste {when}",
    .channels_stop = "Stop et ved at skrive `digest kanal fra` i kanalen.",
    .digests_failed_title = "Sammendrag, der ikke blev leveret de seneste 7 dage",
    .digest_select_placeholder = "Vælg hyppighed",
    .digest_select_save = "Gem",

    .dm_title = "Dit Pleo-sammendrag",
    .dm_day_as_of = "{day} · tal pr. {time} (dansk tid)",
    .dm_all_clear_summary = "Pleo-sammendrag: intet udestående",
    .dm_all_clear = "Intet udestående: ingen manglende kvitteringer og intet klar til eksport for {clients}.",
    .dm_summary = "Pleo-sammendrag: {missing} og {ready} klar til eksport hos {clients}",
    .dm_balance = "Saldo {balance}",
    .dm_open = "Åbn",
    .dm_more_outstanding = "og {count} til med udestående: kør `manglende` for at se dem alle",
    .dm_nothing_for = "Intet udestående for {clients}.",
    .firm_title = "{firm}: firmasammendrag",
    .firm_all_clear_summary = "Firmasammendrag: intet udestående",
    .firm_all_clear =
        "Intet udestående: ingen kunder har manglende kvitteringer eller udgifter klar til eksport.",
    .firm_summary = "Firmasammendrag: {clients} med udestående, {missing}, {ready} klar til eksport",
    .firm_order = "{day} · flest manglende kvitteringer først",
    .field_clients_outstanding = "Kunder med udestående",

    .task_missing_receipts = "Manglende kvitteringer",
    .task_wallet_balance = "Saldo i tegnebogen",
    .task_ready_for_export = "Udgifter klar til eksport",
    .phrase_missing_receipts = "manglende kvitteringer",
    .phrase_wallet_balance = "saldo i tegnebogen",
    .phrase_ready_for_export = "udgifter klar til eksport",
    .remind_not_linked = "Knyt først din chatkonto til din Pleo-partnerkonto: link EMAIL",
    .remind_admins_only = "Kun administratorer hos {firm} kan give en kundes bogholdere besked.",
    .remind_client_unavailable = "Den kunde er ikke tilgængelig. Kør kommandoen igen.",
    .remind_no_bookkeepers =
        "{client} har ingen tildelte bogholdere (ud over dig), så der er ingen at give besked.",
    .remind_form_title = "Giv bogholderne besked",
    .remind_send = "Send",
    .form_cancel = "Annuller",
    .remind_intro = "Mind bogholderne for {client} om:",
    .remind_tasks = "Opgaver",
    .remind_comment = "Kommentar",
    .remind_comment_placeholder = "Det, bogholderne skal vide (valgfrit)",
    .remind_form_unavailable = "Denne kunde er ikke tilgængelig for dig. Luk formularen, og kør påmind igen.",
    .remind_unknown_task = "Ukendt opgave: {tasks}",
    .remind_choose_task = "Vælg mindst én opgave",
    .remind_comment_too_long = "Kommentaren må højst være {max} tegn (den er {count})",
    .reminder_summary = "{sender} beder dig se på {client}: {tasks}",
    .reminder_title = "Påmindelse: {client}",
    .reminder_text = "{sender} beder dig se på {client}.",
    .reminder_comment_from = "Kommentar fra {sender}",
    .confirm_done_one = "Færdig! 1 bogholder har fået besked om {client}",
    .confirm_done_many = "Færdig! {count} bogholdere har fået besked om {client}",
    .confirm_none = "Ingen af bogholderne for {client} kunne få besked.",
    .confirm_unreachable = "Kunne ikke nå: {names}",
    .confirm_not_linked = "{name} (ikke knyttet til chat)",
    .confirm_no_app = "{name} (har ikke appen i {platform})",
    .confirm_not_delivered = "{name} (beskeden kunne ikke leveres i {platform})",
    .reminder_notified = "{count} fik besked",
    .reminder_not_reached = "{count} ikke nået",

    .language_name_en = "engelsk",
    .language_name_da = "dansk",
    .language_now = "Jeg svarer dig på dansk fra nu af. Skriv `sprog auto` for i stedet at følge din "
                    "chat-apps sprog.",
    .language_auto = "Jeg svarer dig på din chat-apps sprog; for dig er det {language} lige nu.",
    .language_current_choice = "Jeg svarer dig på {language}, som du har valgt. Skift med `sprog da`, `sprog "
                               "en` eller `sprog auto`.",
    .language_current_locale =
        "Jeg svarer dig på {language}, din chat-apps sprog. Skift med `sprog da` eller `sprog en`.",
    .language_current_default =
        "Jeg svarer dig på {language}, bottens standardsprog. Skift med `sprog da` eller `sprog en`.",

    .workspace_not_connected =
        "Dette arbejdsområde er ikke forbundet til partnerbot, så der er intet at "
        "vise her. En administrator forbinder det ved at importere firmaets snapshot med "
        "dette arbejdsområdes id.",
    .answer_on_its_way = "Et øjeblik — dit svar er på vej.",
    .apology = "Beklager, noget gik galt hos mig, og intet blev ændret. Prøv igen om et øjeblik "
               "(reference {reference}).",
    .nothing_to_show = "Intet at vise.",
    .more_than_fits = "… mere end der er plads til i én besked; indsnævr søgningen for at se resten.",
    .form_submit = "Indsend",

    .install_title = "partnerbot til Slack",
    .install_not_enabled = "Installation fra Slack er ikke sat op på denne server.",
    .install_add = "Tilføj til Slack",
    .install_start_again = "Start forfra",
    .install_cancelled = "Installationen blev annulleret i Slack. Intet blev installeret.",
    .install_incomplete = "Linket er ufuldstændigt. Intet blev installeret.",
    .install_state_bad = "Installationslinket er udløbet eller allerede brugt. Intet blev installeret.",
    .install_other_browser = "Installationen blev startet i en anden browser. Intet blev installeret.",
    .install_failed = "Slack bekræftede ikke installationen ({error}). Intet blev installeret.",
    .install_done = "partnerbot er installeret i {workspace}.",
    .install_joined = "Arbejdsområdet hører til {firm}.",
    .install_unbound =
        "Arbejdsområdet er endnu ikke knyttet til et firma: en administrator i firmaet skal installere "
        "appen, eller driftsansvarlig kører partnerbot workspaces bind FIRMA slack {workspace_id}.",
    .install_open_app = "Åbn partnerbot i Slack",

    .home_title = "Hej {name}",
    .home_summary = "Dit partnerbot-overblik",
    .home_attention_title = "Kunder der kræver opmærksomhed",
    .home_attention_none = "Ingen af dine kunder mangler kvitteringer.",
    .home_attention_more = "{count} mere mangler kvitteringer: skriv manglende for at se dem alle.",
    .home_language = "Svarene kommer på {language}. Skift med sprog da, sprog en eller sprog auto.",
    .home_firm_title = "{firm} i alt",
    .home_firm_missing = "Kunder med manglende kvitteringer: {count}",
    .home_firm_ready = "Udgifter klar til eksport: {count}",
    .form_close = "Luk",
    .form_choose = "Vælg",
    .form_optional = "(valgfrit)",
    .form_several_lines = "(flere linjer)",
};

} // namespace handlers

#pragma once
// Every text a user reads, in one catalogue per language: catalogue_en.cpp
// and catalogue_da.cpp. Each member is a {fmt} pattern; `{name}` fields are
// filled by name with say(). Both files fill every member (they are built
// with -Werror=missing-field-initializers, so a missing text is a build
// error), and tests check that the two agree on every member's fields.
// Danish uses the partner portal's own words for the portal's concepts.
// Read-only after start: safe from any thread.

#include <array>
#include <fmt/format.h>
#include <string>
#include <string_view>

namespace handlers {

enum class language { en, da };

struct catalogue {
  // Dates and times (Europe/Copenhagen wall-clock time).
  std::string_view weekdays;       // seven names, Monday first, separated by '|'
  std::string_view months;         // twelve names, January first, separated by '|'
  std::string_view date_with_year; // {day} {month} {year}
  std::string_view date_no_year;   // {day} {month}
  std::string_view clock;          // {hour} {minute}: two digits each
  std::string_view date_and_clock; // {date} {clock}
  std::string_view slot_when;      // {weekday} {date} {clock}: a digest slot, saying it is Copenhagen time
  std::string_view slot_day;       // {weekday} {date}
  std::string_view figures_as_of;  // {time}: saying it is Copenhagen time
  std::string_view figures_from;   // {time}: figures synced from Pleo, Copenhagen time
  std::string_view pleo_unreachable_since; // {time}
  std::string_view figures_stale;          // figures older than 24 hours
  std::string_view balance_from_snapshot;  // {time}: the wallet balance's own date
  std::string_view export_unpriced;        // {count}: entries ready for export without an amount

  // Shared words and small sentences.
  std::string_view expired;
  std::string_view nothing_changed;
  std::string_view and_word;       // between the last two names of a list
  std::string_view names_and_more; // {names} {count}
  std::string_view and_more;       // {count}
  std::string_view role_admin;
  std::string_view role_bookkeeper;
  std::string_view member_with_role; // {name} {role}
  std::string_view clients_one;      // {count}
  std::string_view clients_many;     // {count}
  std::string_view missing_none;
  std::string_view missing_one;  // {count}
  std::string_view missing_many; // {count}
  std::string_view ready_count;  // {count}: expenses ready for export
  std::string_view go_to_client;

  // Grammar errors. {command} is the command word as typed.
  std::string_view grammar_not_utf8;
  std::string_view grammar_too_long; // {max}
  std::string_view grammar_control_characters;
  std::string_view grammar_clients_word; // {word} {command} {rest}
  std::string_view grammar_one_tab;
  std::string_view grammar_search_what;
  std::string_view grammar_missing_alone; // {command}
  std::string_view grammar_client_which;
  std::string_view grammar_digests_alone; // {command}
  std::string_view grammar_remind_which;
  std::string_view grammar_unknown_command; // {word} {text}
  std::string_view grammar_digest_usage;
  std::string_view grammar_digest_which;     // {usage}
  std::string_view grammar_digest_how_often; // {usage}
  std::string_view grammar_link_usage;
  std::string_view grammar_link_add_email;
  std::string_view grammar_not_an_email; // {text} {usage}
  std::string_view grammar_link_mention; // {usage}
  std::string_view grammar_language_usage;

  // Help.
  std::string_view help_title;
  std::string_view help_intro;
  std::string_view help_commands;
  std::string_view help_unlinked; // {firm}
  std::string_view help_you_are;  // {member} {firm}
  std::string_view help_clients_admin;
  std::string_view help_clients_bookkeeper;
  std::string_view help_clients_what;
  std::string_view help_search;
  std::string_view help_search_what;
  std::string_view help_missing;
  std::string_view help_missing_what;
  std::string_view help_client;
  std::string_view help_client_what;
  std::string_view help_digest;
  std::string_view help_digest_what;
  std::string_view help_channel_digest;
  std::string_view help_channel_digest_what;
  std::string_view help_digests;
  std::string_view help_digests_what;
  std::string_view help_remind;
  std::string_view help_remind_what;
  std::string_view help_link;
  std::string_view help_link_what;
  std::string_view help_link_other;
  std::string_view help_link_other_what;
  std::string_view help_language;
  std::string_view help_language_what;
  std::string_view help_home;
  std::string_view help_home_what;
  std::string_view help_help;
  std::string_view help_help_what;

  // Linking a chat user to a member.
  std::string_view unlinked_summary; // {firm}
  std::string_view unlinked_title;
  std::string_view unlinked_text;        // {firm}
  std::string_view link_no_member_self;  // {firm} {email}
  std::string_view link_no_member_other; // {firm} {email}
  std::string_view link_linked_self;     // {member} {firm}
  std::string_view link_linked_other;    // {member} {firm}
  std::string_view link_already_self;    // {member}
  std::string_view link_already_other;   // {member}
  std::string_view link_member_taken;    // {name} {firm}
  std::string_view link_unknown_user;
  std::string_view link_no_profile_email; // {email}
  std::string_view link_not_your_email;   // {email}
  std::string_view link_admins_only;

  // The client list.
  std::string_view tab_invites;
  std::string_view tab_onboarding;
  std::string_view tab_mine;
  std::string_view tab_all;
  std::string_view tab_with_count; // {tab} {count}
  std::string_view status_invite;
  std::string_view status_onboarding;
  std::string_view status_active;
  std::string_view list_no_match;         // {query}
  std::string_view list_no_match_missing; // {query}
  std::string_view list_only_assigned;
  std::string_view list_try_shorter;
  std::string_view list_all_clear_yours;
  std::string_view list_no_clients_yet;
  std::string_view list_all_clear_tab; // {tab}
  std::string_view list_no_invites;
  std::string_view list_no_onboarding;
  std::string_view list_admin_not_assigned;
  std::string_view list_bookkeeper_not_assigned;
  std::string_view list_firm_empty;
  std::string_view list_title_search; // {query}
  std::string_view list_title_missing;
  std::string_view list_title_everything;
  std::string_view list_title_all;
  std::string_view list_admin_tabs;
  std::string_view list_summary_none; // {title}
  std::string_view list_summary;      // {title} {clients}
  std::string_view sort_ascending;
  std::string_view sort_descending;
  std::string_view sort_most_missing;
  std::string_view filter_missing_only;
  std::string_view showing; // {first} {last} {total}
  std::string_view showing_missing_only;
  std::string_view showing_most_missing;
  std::string_view page_previous;
  std::string_view page_next;
  std::string_view view_details;
  std::string_view notify_bookkeepers;

  // A client's card and finding a client by name.
  std::string_view card_status_invite;
  std::string_view card_summary; // {client} {balance} {missing}
  std::string_view field_status;
  std::string_view field_wallet_balance;
  std::string_view field_missing_receipts;
  std::string_view field_ready_for_export;
  std::string_view card_bookkeepers;
  std::string_view card_no_bookkeepers;
  std::string_view card_last_reminders;
  std::string_view resolve_which_summary;
  std::string_view resolve_which;
  std::string_view resolve_no_such_summary;
  std::string_view resolve_no_such;
  std::string_view resolve_ambiguous_summary; // {query}
  std::string_view resolve_ambiguous;         // {query}
  std::string_view resolve_first_25;
  std::string_view resolve_unknown_summary; // {query}
  std::string_view resolve_unknown;         // {query}
  std::string_view resolve_did_you_mean;
  std::string_view resolve_try_search;

  // Digest settings. {frequency} is one of the freq_ words.
  std::string_view freq_daily;
  std::string_view freq_weekly;
  std::string_view freq_monthly;
  std::string_view freq_off;
  std::string_view cadence_daily;
  std::string_view cadence_weekly;
  std::string_view cadence_monthly;
  std::string_view digest_off;      // {client}
  std::string_view digest_had_none; // {client}
  std::string_view digest_already;  // {frequency} {client}
  std::string_view digest_set;      // {frequency} (capitalised) {client} {cadence}
  std::string_view digest_next;     // {when}
  std::string_view digest_first;    // {when}
  std::string_view digest_arrives;
  std::string_view digest_usage;
  std::string_view digest_not_linked;
  std::string_view channel_admins_only;
  std::string_view channel_usage;
  std::string_view channel_type_in_channel;
  std::string_view channel_off;
  std::string_view channel_had_none;
  std::string_view channel_set; // {frequency} {cadence}
  std::string_view channel_note;
  std::string_view digests_title;
  std::string_view digests_line; // {frequency} (capitalised) {when}
  std::string_view digests_none;
  std::string_view digests_summary_none;
  std::string_view digests_summary_one;
  std::string_view digests_summary_many; // {count}
  std::string_view channels_title;
  std::string_view channels_none;
  std::string_view channels_line; // {platform} {channel} {frequency} {when}
  std::string_view channels_stop;
  std::string_view digests_failed_title;
  std::string_view digest_select_placeholder;
  std::string_view digest_select_save; // the button that sends the menu's choice, where one is needed

  // Digests: the member's DM and the channel's firm digest.
  std::string_view dm_title;
  std::string_view dm_day_as_of; // {day} {time}
  std::string_view dm_all_clear_summary;
  std::string_view dm_all_clear; // {clients}
  std::string_view dm_summary;   // {missing} {ready} {clients}
  std::string_view dm_balance;   // {balance}
  std::string_view dm_open;
  std::string_view dm_more_outstanding; // {count}
  std::string_view dm_nothing_for;      // {clients}
  std::string_view firm_title;          // {firm}
  std::string_view firm_all_clear_summary;
  std::string_view firm_all_clear;
  std::string_view firm_summary; // {clients} {missing} {ready}
  std::string_view firm_order;   // {day}
  std::string_view field_clients_outstanding;

  // Reminders ("Notify the bookkeepers").
  std::string_view task_missing_receipts;
  std::string_view task_wallet_balance;
  std::string_view task_ready_for_export;
  std::string_view phrase_missing_receipts;
  std::string_view phrase_wallet_balance;
  std::string_view phrase_ready_for_export;
  std::string_view remind_not_linked;
  std::string_view remind_admins_only; // {firm}
  std::string_view remind_client_unavailable;
  std::string_view remind_no_bookkeepers; // {client}
  std::string_view remind_form_title;     // at most 24 characters
  std::string_view remind_send;
  std::string_view form_cancel;
  std::string_view remind_intro; // {client}
  std::string_view remind_tasks;
  std::string_view remind_comment;
  std::string_view remind_comment_placeholder;
  std::string_view remind_form_unavailable;
  std::string_view remind_unknown_task; // {tasks}
  std::string_view remind_choose_task;
  std::string_view remind_comment_too_long; // {max} {count}
  std::string_view reminder_summary;        // {sender} {client} {tasks}
  std::string_view reminder_title;          // {client}
  std::string_view reminder_text;           // {sender} {client}
  std::string_view reminder_comment_from;   // {sender}
  std::string_view confirm_done_one;        // {client}
  std::string_view confirm_done_many;       // {count} {client}
  std::string_view confirm_none;            // {client}
  std::string_view confirm_unreachable;     // {names}
  std::string_view confirm_not_linked;      // {name}
  std::string_view confirm_no_app;          // {name} {platform}
  std::string_view confirm_not_delivered;   // {name} {platform}
  std::string_view reminder_notified;       // {count}
  std::string_view reminder_not_reached;    // {count}

  // The reply language.
  std::string_view language_name_en;
  std::string_view language_name_da;
  std::string_view language_now;             // in the language chosen
  std::string_view language_auto;            // {language}
  std::string_view language_current_choice;  // {language}
  std::string_view language_current_locale;  // {language}
  std::string_view language_current_default; // {language}

  // Texts the platform adapters show (they have no handler of their own).
  std::string_view workspace_not_connected;
  std::string_view answer_on_its_way;
  std::string_view apology; // {reference}
  std::string_view nothing_to_show;
  std::string_view more_than_fits;
  std::string_view form_submit;

  // Install from Slack: the pages a browser sees.
  std::string_view install_title;
  std::string_view install_not_enabled;
  std::string_view install_add;
  std::string_view install_start_again;
  std::string_view install_cancelled;
  std::string_view install_incomplete;
  std::string_view install_state_bad;
  std::string_view install_other_browser;
  std::string_view install_failed;  // {error}
  std::string_view install_done;    // {workspace}
  std::string_view install_joined;  // {firm}
  std::string_view install_unbound; // {workspace_id}
  std::string_view install_open_app;

  // The home view (`home`, Slack's Home tab).
  std::string_view home_title; // {name}
  std::string_view home_summary;
  std::string_view home_attention_title;
  std::string_view home_attention_none;
  std::string_view home_attention_more; // {count}
  std::string_view home_language;       // {language}
  std::string_view home_firm_title;     // {firm}
  std::string_view home_firm_missing;   // {count}
  std::string_view home_firm_ready;     // {count}
  std::string_view form_close;          // closes a dialog that only says something
  std::string_view form_choose;         // a drop-down that names no choice of its own
  std::string_view form_optional;       // after the label of an input that may be left empty
  std::string_view form_several_lines;  // after an input that takes several lines
};

extern const catalogue english;
extern const catalogue danish;
const catalogue& catalogue_for(language l);

// Fills a pattern's fields: say(t.digest_off, fmt::arg("client", name)).
// A field the pattern names but the call does not give throws fmt::format_error.
// fmt::arg refers to its value: an arg kept in a variable needs a named value.
template <class... Args> std::string say(std::string_view pattern, Args&&... args) {
  return fmt::format(fmt::runtime(pattern), std::forward<Args>(args)...);
}

// Every member with its name, for tests that read the whole catalogue
// (catalogue.cpp checks at compile time that none is left out).
struct text_entry {
  std::string_view name;
  std::string_view catalogue::*member = nullptr;
};
extern const std::array<text_entry, sizeof(catalogue) / sizeof(std::string_view)> every_text;

// Name `i` (0-based) of the '|'-separated list `names`; empty when out of range.
std::string_view nth_name(std::string_view names, std::size_t i);

} // namespace handlers

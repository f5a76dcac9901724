// English. Built with -Werror=missing-field-initializers: every text is here.

#include "handlers/catalogue.hpp"

namespace handlers {

const catalogue english{
    .weekdays = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
    .months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
    .date_with_year = "{day} {month} {year}",
    .date_no_year = "{day} {month}",
    .clock = "{hour}:{minute}",
    .date_and_clock = "{date} {clock}",
    .slot_when = "{weekday} {date} at {clock} (Copenhagen)",
    .slot_day = "{weekday} {date}",
    .figures_as_of = "Figures as of {time} (Copenhagen time)",
    .figures_from = "Figures from {time} (Copenhagen time)",
    .pleo_unreachable_since = "Pleo not reachable since {time}",
    .figures_stale = "stale: older than 24 hours",
    .balance_from_snapshot = "wallet balance from the firm's snapshot of {time}",
    .export_unpriced = "{count} without an amount",

    .expired = "This has expired — run the command again.",
    .nothing_changed = "Nothing was changed.",
    .and_word = "and",
    .names_and_more = "{names} and {count} more",
    .and_more = "and {count} more",
    .role_admin = "admin",
    .role_bookkeeper = "bookkeeper",
    .member_with_role = "{name} ({role})",
    .clients_one = "{count} client",
    .clients_many = "{count} clients",
    .missing_none = "No missing receipts",
    .missing_one = "{count} missing receipt",
    .missing_many = "{count} missing receipts",
    .ready_count = "{count} ready for export",
    .go_to_client = "Go to client",

    .grammar_not_utf8 = "I couldn't read that text (it is not valid UTF-8).",
    .grammar_too_long = "That is too long: a command is at most {max} characters.",
    .grammar_control_characters = "That text has control characters I can't read.",
    .grammar_clients_word =
        "I don't understand {word} after `{command}`: use mine, all, onboarding, invites, missing or "
        "desc. To find a client by name, try `search {rest}`.",
    .grammar_one_tab = "Pick one tab: mine, all, onboarding or invites.",
    .grammar_search_what = "Search for what? Try `search nordic`.",
    .grammar_missing_alone = "`{command}` takes nothing after it. For one tab, try `clients mine missing`.",
    .grammar_client_which = "Which client? Try `client Acme`.",
    .grammar_digests_alone = "`{command}` takes nothing after it; to change one, use `digest NAME weekly`.",
    .grammar_remind_which = "Which client? Try `remind Acme`.",
    .grammar_unknown_command = "I don't know {word}. To find a client by name, try `search {text}`.",
    .grammar_digest_usage = "Use `digest NAME daily|weekly|monthly|off` for a client, or `digest channel "
                            "daily|weekly|monthly|off` for the firm digest in this channel.",
    .grammar_digest_which = "Which client, and how often? {usage}",
    .grammar_digest_how_often = "End with how often: daily, weekly, monthly or off. {usage}",
    .grammar_link_usage =
        "Use `link your@email` (the e-mail on your chat profile), or as an admin `link @user their@email`.",
    .grammar_link_add_email = "Add their e-mail: `link @user their@email`.",
    .grammar_not_an_email = "{text} is not an e-mail address. {usage}",
    .grammar_link_mention =
        "Mention the person with @ (pick them from the list so the chat app knows who they are). {usage}",
    .grammar_language_usage =
        "Use `language da` (Danish), `language en` (English) or `language auto` (your chat "
        "app's language).",

    .help_title = "What I can do",
    .help_intro =
        "Type one of these after the bot's command (for example `/pleo clients`) or in a message to the "
        "bot. Names match case-insensitively; an empty command shows your clients. Danish commands work "
        "too (`kunder`, `søg`, `hjælp` …).",
    .help_commands = "Commands",
    .help_unlinked =
        "You are not linked to a member of {firm} yet: run `link your@email` with the e-mail on your "
        "chat profile, or ask an admin to run `link @you your@email`.",
    .help_you_are = "You are {member} at {firm}.",
    .help_clients_admin = "clients [mine|all|onboarding|invites] [missing] [desc]",
    .help_clients_bookkeeper = "clients [mine|onboarding] [missing] [desc]",
    .help_clients_what =
        "your client list, by tab; `missing`: only clients with missing receipts; `desc`: names Å–A",
    .help_search = "search TEXT",
    .help_search_what = "clients whose name contains TEXT",
    .help_missing = "missing",
    .help_missing_what = "every client with missing receipts, most missing first",
    .help_client = "client NAME",
    .help_client_what = "one client's card: balance, receipts, bookkeepers, link to Pleo",
    .help_digest = "digest NAME daily|weekly|monthly|off",
    .help_digest_what = "your digest for one client, sent as a direct message",
    .help_channel_digest = "digest channel daily|weekly|monthly|off",
    .help_channel_digest_what = "the firm's digest in this channel",
    .help_digests = "digests",
    .help_digests_what = "the digests you subscribe to",
    .help_remind = "remind NAME",
    .help_remind_what = "notify a client's bookkeepers about outstanding tasks",
    .help_link = "link EMAIL",
    .help_link_what = "link your chat user to your Pleo partner member (your chat profile's e-mail)",
    .help_link_other = "link @user EMAIL",
    .help_link_other_what = "link someone else's chat user to a member",
    .help_language = "language da|en|auto",
    .help_language_what = "the language I answer you in (auto: your chat app's language)",
    .help_home = "home",
    .help_home_what = "your home: the clients that need you, your digests and your language",
    .help_help = "help",
    .help_help_what = "this list",

    .unlinked_summary = "You are not linked to a member of {firm} yet.",
    .unlinked_title = "You are not linked yet",
    .unlinked_text =
        "I don't know which member of {firm} you are, so I can't show you any clients. To get linked, "
        "ask an admin to run `link @you your@email`, or run `link your@email` with the e-mail on your "
        "chat profile.",
    .link_no_member_self =
        "No member of {firm} has the e-mail {email}. Check the spelling, or ask an admin to add "
        "you as a member in Pleo's partner portal.",
    .link_no_member_other =
        "No member of {firm} has the e-mail {email}. Check the spelling, or ask an admin to add "
        "them as a member in Pleo's partner portal.",
    .link_linked_self =
        "Linked: you are {member} at {firm}. Try `clients`, or `help` for everything I can do.",
    .link_linked_other = "Linked: that chat user is now {member} at {firm}.",
    .link_already_self = "You are already linked as {member}.",
    .link_already_other = "That chat user is already linked as {member}.",
    .link_member_taken =
        "Another chat user is already linked to {name}, so I have not changed anything. If that is "
        "wrong, ask an admin of {firm} to look into it.",
    .link_unknown_user = "I can't tell who you are in this chat, so I can't link you.",
    .link_no_profile_email =
        "I can't see the e-mail on your chat profile, so I can't check that {email} is yours. "
        "Ask an admin to run `link @you your@email`.",
    .link_not_your_email =
        "{email} is not the e-mail on your chat profile. You can only link yourself with your own "
        "e-mail; an admin can run `link @you your@email` for you.",
    .link_admins_only =
        "Only an admin can link someone else. To link yourself, run `link your@email` with the "
        "e-mail on your chat profile.",

    .tab_invites = "Invites",
    .tab_onboarding = "Onboarding",
    .tab_mine = "My clients",
    .tab_all = "All",
    .tab_with_count = "{tab} ({count})",
    .status_invite = "Invite",
    .status_onboarding = "Onboarding",
    .status_active = "Active",
    .list_no_match = "No clients match {query}.",
    .list_no_match_missing = "No clients match {query} with missing receipts.",
    .list_only_assigned = "You see only the clients assigned to you.",
    .list_try_shorter = "Try a shorter part of the name.",
    .list_all_clear_yours = "No client of yours has missing receipts — all clear.",
    .list_no_clients_yet = "You have no clients yet.",
    .list_all_clear_tab = "No client in {tab} has missing receipts — all clear.",
    .list_no_invites = "No pending invites.",
    .list_no_onboarding = "No clients in onboarding right now.",
    .list_admin_not_assigned = "You are not assigned to any active client. Try `clients all`.",
    .list_bookkeeper_not_assigned =
        "You are not assigned to any active client yet. Ask an admin of your firm to assign you in Pleo.",
    .list_firm_empty = "The firm has no clients yet.",
    .list_title_search = "Clients matching {query}",
    .list_title_missing = "Clients with missing receipts",
    .list_title_everything = "All your clients",
    .list_title_all = "All clients",
    .list_admin_tabs = "The Invites and All tabs are for admins; here are your clients.",
    .list_summary_none = "{title}: none",
    .list_summary = "{title}: {clients}",
    .sort_ascending = "A–Å",
    .sort_descending = "Å–A",
    .sort_most_missing = "Most missing first",
    .filter_missing_only = "Missing receipts only",
    .showing = "Showing {first}–{last} of {total}",
    .showing_missing_only = "only clients with missing receipts",
    .showing_most_missing = "most missing first",
    .page_previous = "← Previous",
    .page_next = "Next →",
    .view_details = "View details",
    .notify_bookkeepers = "Notify the bookkeepers",

    .card_status_invite = "Invite (not accepted yet)",
    .card_summary = "{client}: {balance}, {missing} missing receipts",
    .field_status = "Status",
    .field_wallet_balance = "Wallet balance",
    .field_missing_receipts = "Missing receipts",
    .field_ready_for_export = "Ready for export",
    .card_bookkeepers = "Bookkeepers",
    .card_no_bookkeepers = "No one is assigned yet.",
    .card_last_reminders = "Last reminders:",
    .resolve_which_summary = "Which client?",
    .resolve_which = "Which client? Give part of its name.",
    .resolve_no_such_summary = "No such client",
    .resolve_no_such = "No client has a name like that.",
    .resolve_ambiguous_summary = "{query} matches several clients",
    .resolve_ambiguous = "{query} matches several clients. Which one?",
    .resolve_first_25 = "(Only the first 25 are shown; type more of the name.)",
    .resolve_unknown_summary = "No client called {query}",
    .resolve_unknown = "I can't find a client called {query}.",
    .resolve_did_you_mean = "Did you mean:",
    .resolve_try_search = "Try `search` with part of the name.",

    .freq_daily = "daily",
    .freq_weekly = "weekly",
    .freq_monthly = "monthly",
    .freq_off = "off",
    .cadence_daily = "every weekday (Monday to Friday) at 10:00 (Copenhagen)",
    .cadence_weekly = "every Monday at 10:00 (Copenhagen)",
    .cadence_monthly = "on the first Monday of each month at 10:00 (Copenhagen)",
    .digest_off = "Digest for {client} is off.",
    .digest_had_none = "You had no digest for {client}.",
    .digest_already = "You already get a {frequency} digest for {client}.",
    .digest_set = "{frequency} digest for {client}: {cadence}.",
    .digest_next = "Next digest: {when}",
    .digest_first = "First digest: {when}",
    .digest_arrives = "It arrives as a direct message from the bot. Change or stop it with `digests`.",
    .digest_usage = "Usage: `digest NAME daily|weekly|monthly|off`, e.g. `digest Acme weekly`.",
    .digest_not_linked =
        "Your chat user is not linked to a partner member yet. Link it with `link EMAIL` (the "
        "e-mail of your partner portal user).",
    .channel_admins_only =
        "Only partner admins can set a channel digest. You can get your own with `digest NAME "
        "daily|weekly|monthly`.",
    .channel_usage = "Usage: `digest channel daily|weekly|monthly|off`, typed in the channel.",
    .channel_type_in_channel = "Type `digest channel ...` in the channel that should get the firm digest.",
    .channel_off = "The firm digest is off for this channel.",
    .channel_had_none = "This channel had no firm digest.",
    .channel_set = "This channel gets the {frequency} firm digest {cadence}.",
    .channel_note =
        "It lists the firm's clients with missing receipts or expenses ready for export. The bot must "
        "be a member of this channel to post.",
    .digests_title = "Your digests",
    .digests_line = "{frequency} · next: {when}",
    .digests_none =
        "You have no digests. Subscribe with `digest NAME weekly`, or with the digest control on a "
        "client's card.",
    .digests_summary_none = "You have no digests.",
    .digests_summary_one = "You have 1 digest.",
    .digests_summary_many = "You have {count} digests.",
    .channels_title = "Channel digests of the firm",
    .channels_none = "No channel gets the firm digest. Type `digest channel weekly` in one.",
    .channels_line = "{platform} channel {channel}: {frequency}, next {when}",
    .channels_stop = "To stop one, type `digest channel off` in that channel.",
    .digests_failed_title = "Digests not delivered in the last 7 days",
    .digest_select_placeholder = "Digest",
    .digest_select_save = "Save",

    .dm_title = "Your Pleo digest",
    .dm_day_as_of = "{day} · figures as of {time} (Copenhagen time)",
    .dm_all_clear_summary = "Pleo digest: all clear",
    .dm_all_clear = "All clear: no missing receipts and nothing ready for export for {clients}.",
    .dm_summary = "Pleo digest: {missing} and {ready} ready for export across {clients}",
    .dm_balance = "Balance {balance}",
    .dm_open = "Open",
    .dm_more_outstanding = "and {count} more with outstanding work: run `missing` to see them all",
    .dm_nothing_for = "Nothing outstanding for {clients}.",
    .firm_title = "{firm}: firm digest",
    .firm_all_clear_summary = "Firm digest: all clear",
    .firm_all_clear = "All clear: no client has missing receipts or expenses ready for export.",
    .firm_summary = "Firm digest: {clients} with outstanding work, {missing}, {ready} ready for export",
    .firm_order = "{day} · most missing receipts first",
    .field_clients_outstanding = "Clients with outstanding work",

    .task_missing_receipts = "Missing receipts",
    .task_wallet_balance = "Wallet balance",
    .task_ready_for_export = "Expenses ready for export",
    .phrase_missing_receipts = "missing receipts",
    .phrase_wallet_balance = "wallet balance",
    .phrase_ready_for_export = "expenses ready for export",
    .remind_not_linked = "Link your chat account to your Pleo partner account first: link EMAIL",
    .remind_admins_only = "Only admins of {firm} can notify a client's bookkeepers.",
    .remind_client_unavailable = "That client is not available. Run the command again.",
    .remind_no_bookkeepers =
        "{client} has no bookkeepers assigned (other than you), so there is no one to notify.",
    .remind_form_title = "Notify bookkeepers",
    .remind_send = "Send",
    .form_cancel = "Cancel",
    .remind_intro = "Remind the bookkeepers of {client} about:",
    .remind_tasks = "Tasks",
    .remind_comment = "Comment",
    .remind_comment_placeholder = "Anything the bookkeepers should know (optional)",
    .remind_form_unavailable = "This client is not available to you. Close the form and run remind again.",
    .remind_unknown_task = "Unknown task: {tasks}",
    .remind_choose_task = "Choose at least one task",
    .remind_comment_too_long = "The comment can be at most {max} characters (it has {count})",
    .reminder_summary = "{sender} asks you to look at {client}: {tasks}",
    .reminder_title = "Reminder: {client}",
    .reminder_text = "{sender} asks you to look at {client}.",
    .reminder_comment_from = "Comment from {sender}",
    .confirm_done_one = "Done! 1 bookkeeper notified about {client}",
    .confirm_done_many = "Done! {count} bookkeepers notified about {client}",
    .confirm_none = "No bookkeeper of {client} could be notified.",
    .confirm_unreachable = "Could not reach: {names}",
    .confirm_not_linked = "{name} (not linked to chat)",
    .confirm_no_app = "{name} (has not got the app in {platform})",
    .confirm_not_delivered = "{name} (the message could not be delivered in {platform})",
    .reminder_notified = "{count} notified",
    .reminder_not_reached = "{count} not reached",

    .language_name_en = "English",
    .language_name_da = "Danish",
    .language_now =
        "I will answer you in English from now on. Type `language auto` to follow your chat app's "
        "language instead.",
    .language_auto = "I will answer you in your chat app's language; for you that is {language} now.",
    .language_current_choice =
        "I answer you in {language}, as you chose. Change it with `language da`, `language "
        "en` or `language auto`.",
    .language_current_locale =
        "I answer you in {language}, your chat app's language. Change it with `language "
        "da` or `language en`.",
    .language_current_default =
        "I answer you in {language}, this bot's default. Change it with `language da` or "
        "`language en`.",

    .workspace_not_connected =
        "This workspace is not connected to partnerbot, so there is nothing to show here. An "
        "administrator connects it by importing the firm's snapshot with this workspace's "
        "id.",
    .answer_on_its_way = "One moment — your answer is on its way.",
    .apology = "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment "
               "(reference {reference}).",
    .nothing_to_show = "Nothing to show.",
    .more_than_fits = "… more than fits in one message; narrow it down to see the rest.",
    .form_submit = "Submit",

    .install_title = "partnerbot for Slack",
    .install_not_enabled = "Installing from Slack is not set up on this server.",
    .install_add = "Add to Slack",
    .install_start_again = "Start again",
    .install_cancelled = "The installation was cancelled in Slack. Nothing was installed.",
    .install_incomplete = "This link is incomplete. Nothing was installed.",
    .install_state_bad = "This install link has expired or was already used. Nothing was installed.",
    .install_other_browser = "This install was started in another browser. Nothing was installed.",
    .install_failed = "Slack did not confirm the installation ({error}). Nothing was installed.",
    .install_done = "partnerbot is installed in {workspace}.",
    .install_joined = "The workspace belongs to {firm}.",
    .install_unbound = "The workspace is not linked to a firm yet: an admin of the firm must install the "
                       "app, or the operator runs partnerbot workspaces bind FIRM slack {workspace_id}.",
    .install_open_app = "Open partnerbot in Slack",

    .home_title = "Hello {name}",
    .home_summary = "Your partnerbot home",
    .home_attention_title = "Clients that need attention",
    .home_attention_none = "None of your clients is missing receipts.",
    .home_attention_more = "{count} more are missing receipts: type missing to see them all.",
    .home_language = "Replies come in {language}. Change it with language da, language en or language auto.",
    .home_firm_title = "{firm} in total",
    .home_firm_missing = "Clients with missing receipts: {count}",
    .home_firm_ready = "Expenses ready for export: {count}",
    .form_close = "Close",
    .form_choose = "Choose",
    .form_optional = "(optional)",
    .form_several_lines = "(several lines)",
};

} // namespace handlers

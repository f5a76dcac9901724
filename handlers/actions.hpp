#pragma once
// Action ids the handlers put on controls and route back on. Values are
// the handler's own state (a control on a message shown to one user may
// come back without the message, so the state travels in the value).

namespace handlers::actions {

// Clients list controls; value: encoded list_state (handlers/clients_list.hpp).
inline constexpr const char* clients_page = "clients.page";
// Per-client overflow menu; item values: "open|<client_id>", "remind|<client_id>".
// "Go to client" is a link item and sends nothing.
inline constexpr const char* client_menu = "clients.menu";
// Open a client's card; value: client id (also used for ambiguous-name candidates).
inline constexpr const char* client_open = "client.open";
// Digest frequency select on a card or in `digests`; option values: "<client_id>|daily|weekly|monthly|off".
inline constexpr const char* digest_set = "digest.set";
// Open the reminder form; value: client id.
inline constexpr const char* reminder_open = "reminder.open";
// A link button (Go to client). Some platforms still report the press;
// it needs no answer.
inline constexpr const char* link = "link";

} // namespace handlers::actions

namespace handlers::forms {
inline constexpr const char* reminder = "reminder";
inline constexpr const char* reminder_tasks = "tasks";     // checkbox group id
inline constexpr const char* reminder_comment = "comment"; // text input id
} // namespace handlers::forms

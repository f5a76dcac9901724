#include "store/clients.hpp"

#include "store/read_model.hpp"
#include "store/rows.hpp"

namespace store {
namespace {

constexpr const char* sql_bookkeepers = "SELECT m.id, m.partner_id, m.name, m.email, m.role FROM assignments "
                                        "a JOIN members m ON m.id = a.member_id "
                                        "WHERE a.client_id = ? ORDER BY m.name, m.id";
constexpr const char* sql_is_assigned = "SELECT 1 FROM assignments WHERE client_id = ? AND member_id = ?";

// The viewer's firm as the read model holds it at the data's current
// generation: every list, search and card is answered from memory.
std::shared_ptr<const read_model> model_for(database& db, const member& viewer) {
  return db.models().get(db, viewer.partner_id, client_generation(db));
}

} // namespace

client_page clients::list(const member& viewer, const list_query& query) {
  return model_for(db_, viewer)->list(viewer, query);
}

tab_counts clients::counts(const member& viewer) {
  return model_for(db_, viewer)->counts(viewer);
}

std::optional<client> clients::visible(const member& viewer, std::string_view client_id) {
  return model_for(db_, viewer)->visible(viewer, client_id);
}

name_match clients::resolve_name(const member& viewer, std::string_view name) {
  return model_for(db_, viewer)->resolve_name(viewer, name);
}

std::vector<std::string> clients::visible_names(const member& viewer) {
  return model_for(db_, viewer)->visible_names(viewer);
}

std::vector<member> clients::bookkeepers(std::string_view client_id) {
  sql::query q(db_, sql_bookkeepers);
  return q.bind_all(client_id).rows([](sql::query& r) { return sql::read_member(r); });
}

std::vector<member> clients::bookkeepers(const member& viewer, std::string_view client_id) {
  const auto model = model_for(db_, viewer);
  return model->visible(viewer, client_id) ? model->bookkeepers(client_id) : std::vector<member>{};
}

bool clients::is_assigned(std::string_view client_id, std::string_view member_id) {
  sql::query q(db_, sql_is_assigned);
  return q.bind_all(client_id, member_id).step();
}

} // namespace store

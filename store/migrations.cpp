#include "store/migrations.hpp"

#include <array>

namespace store {
namespace {

// 1: the whole first schema. Ids are the source system's ids (globally
// unique); client metrics live beside the client, one row each. Audit rows
// (reminders), delivery rows (outbox) and slot claims keep ids as plain text
// without foreign keys so that they outlive the members and clients they name.
constexpr const char* migration_1 = R"sql(
CREATE TABLE partners (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  slack_team_id   TEXT UNIQUE,
  teams_tenant_id TEXT UNIQUE
);

CREATE TABLE members (
  id            TEXT PRIMARY KEY,
  partner_id    TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  email         TEXT NOT NULL,
  email_fold    TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'bookkeeper')),
  last_platform TEXT
);
CREATE INDEX members_by_partner ON members(partner_id, name);
CREATE INDEX members_by_email ON members(partner_id, email_fold);

CREATE TABLE chat_identities (
  platform     TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  member_id    TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  PRIMARY KEY (platform, workspace_id, user_id),
  UNIQUE (platform, member_id)
);
CREATE INDEX chat_identities_by_member ON chat_identities(member_id);

CREATE TABLE clients (
  pk         INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  partner_id TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('invite', 'onboarding', 'active')),
  sort_key   BLOB NOT NULL,
  name_fold  TEXT NOT NULL,
  name_ascii TEXT NOT NULL
);
CREATE INDEX clients_by_name ON clients(partner_id, sort_key);
CREATE INDEX clients_by_status ON clients(partner_id, status, sort_key);

CREATE TABLE client_metrics (
  client_id        TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  balance_minor    INTEGER NOT NULL,
  currency         TEXT NOT NULL,
  missing_receipts INTEGER NOT NULL CHECK (missing_receipts >= 0),
  ready_for_export INTEGER NOT NULL CHECK (ready_for_export >= 0),
  synced_at        TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE assignments (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, member_id)
) WITHOUT ROWID;
CREATE INDEX assignments_by_member ON assignments(member_id, client_id);

-- Substring search over folded names (trigram index; see text/danish.hpp).
CREATE VIRTUAL TABLE clients_fts USING fts5(
  name_fold, name_ascii, content = 'clients', content_rowid = 'pk', tokenize = 'trigram');
CREATE TRIGGER clients_fts_insert AFTER INSERT ON clients BEGIN
  INSERT INTO clients_fts(rowid, name_fold, name_ascii) VALUES (new.pk, new.name_fold, new.name_ascii);
END;
CREATE TRIGGER clients_fts_delete AFTER DELETE ON clients BEGIN
  INSERT INTO clients_fts(clients_fts, rowid, name_fold, name_ascii)
  VALUES ('delete', old.pk, old.name_fold, old.name_ascii);
END;
CREATE TRIGGER clients_fts_update AFTER UPDATE OF name_fold, name_ascii ON clients BEGIN
  INSERT INTO clients_fts(clients_fts, rowid, name_fold, name_ascii)
  VALUES ('delete', old.pk, old.name_fold, old.name_ascii);
  INSERT INTO clients_fts(rowid, name_fold, name_ascii) VALUES (new.pk, new.name_fold, new.name_ascii);
END;

CREATE TABLE subscriptions (
  member_id  TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  client_id  TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  frequency  TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  platform   TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (member_id, client_id)
) WITHOUT ROWID;
CREATE INDEX subscriptions_by_client ON subscriptions(client_id);

CREATE TABLE channel_subscriptions (
  partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  platform     TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  channel_id   TEXT NOT NULL,
  frequency    TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id)
) WITHOUT ROWID;
CREATE INDEX channel_subscriptions_by_partner ON channel_subscriptions(partner_id);

CREATE TABLE digest_slots (
  subscriber_key TEXT NOT NULL,
  slot           TEXT NOT NULL,
  PRIMARY KEY (subscriber_key, slot)
) WITHOUT ROWID;

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  platform        TEXT NOT NULL,
  workspace_id    TEXT NOT NULL,
  recipient_kind  TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  member_id       TEXT NOT NULL,
  payload         TEXT NOT NULL,
  origin          TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  retries         INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  created_ms      INTEGER NOT NULL,
  sent_ms         INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_ms);
CREATE INDEX outbox_by_origin ON outbox(origin);

CREATE TABLE reminders (
  id               INTEGER PRIMARY KEY,
  submission_key   TEXT NOT NULL UNIQUE,
  partner_id       TEXT NOT NULL,
  client_id        TEXT NOT NULL,
  sender_member_id TEXT NOT NULL,
  sender_name      TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  tasks            TEXT NOT NULL,
  comment          TEXT NOT NULL
);
CREATE INDEX reminders_by_client ON reminders(client_id, id);

CREATE TABLE reminder_recipients (
  reminder_id INTEGER NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
  member_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  PRIMARY KEY (reminder_id, member_id)
) WITHOUT ROWID;
)sql";

// 2: a generation counter bumped by every change to what client lists read,
// so per-connection read caches notice writes from any connection or process.
constexpr const char* migration_2 = R"sql(
CREATE TABLE client_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO client_generation(id, n) VALUES (1, 0);
CREATE TRIGGER clients_gen_insert AFTER INSERT ON clients BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER clients_gen_update AFTER UPDATE ON clients BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER clients_gen_delete AFTER DELETE ON clients BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER metrics_gen_insert AFTER INSERT ON client_metrics BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER metrics_gen_update AFTER UPDATE ON client_metrics BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER metrics_gen_delete AFTER DELETE ON client_metrics BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER assignments_gen_insert AFTER INSERT ON assignments BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER assignments_gen_update AFTER UPDATE ON assignments BEGIN UPDATE client_generation SET n = n + 1; END;
CREATE TRIGGER assignments_gen_delete AFTER DELETE ON assignments BEGIN UPDATE client_generation SET n = n + 1; END;
)sql";

// 3: chat platforms become data. A workspace is (platform, workspace id) ->
// partner instead of one column per platform on partners; the outbox's
// "shown to one user in a conversation" rows get a neutral kind; links made
// by one member for another are recorded. Rebuilding partners needs foreign
// keys off, which the migration runner arranges.
constexpr const char* migration_3 = R"sql(
CREATE TABLE workspaces (
  platform     TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  PRIMARY KEY (platform, workspace_id),
  UNIQUE (partner_id, platform)
) WITHOUT ROWID;
INSERT INTO workspaces(platform, workspace_id, partner_id)
  SELECT 'slack', slack_team_id, id FROM partners WHERE coalesce(slack_team_id, '') <> '';
INSERT INTO workspaces(platform, workspace_id, partner_id)
  SELECT 'teams', teams_tenant_id, id FROM partners WHERE coalesce(teams_tenant_id, '') <> '';

CREATE TABLE partners_v3 (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
INSERT INTO partners_v3(id, name) SELECT id, name FROM partners;
DROP TABLE partners;
ALTER TABLE partners_v3 RENAME TO partners;

UPDATE outbox SET recipient_kind = 'private' WHERE recipient_kind = 'ephemeral';

CREATE TABLE identity_links (
  id           INTEGER PRIMARY KEY,
  platform     TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  member_id    TEXT NOT NULL,
  linked_by    TEXT NOT NULL,
  linked_at    TEXT NOT NULL
);
)sql";

// 4: member names count as client data too: a client's card lists its
// bookkeepers by name, and the read models hold them.
constexpr const char* migration_4 = R"sql(
CREATE TRIGGER members_gen_rename AFTER UPDATE OF name ON members WHEN old.name IS NOT new.name
BEGIN UPDATE client_generation SET n = n + 1; END;
)sql";

// 5: where a chat platform can reach a user or channel proactively (an
// address the adapter writes and reads back; see store/chat_addresses.hpp).
constexpr const char* migration_5 = R"sql(
CREATE TABLE chat_addresses (
  platform     TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  kind         TEXT NOT NULL,
  target       TEXT NOT NULL,
  address      TEXT NOT NULL,
  updated_ms   INTEGER NOT NULL,
  PRIMARY KEY (platform, workspace_id, kind, target)
) WITHOUT ROWID;
)sql";

// 6: the Pleo connector. Credentials hold only AES-256-GCM ciphertext (the
// key never reaches the database). Sync state is per client: the last
// attempt, the last success (the figures' time) and since when it fails.
// Figures gain the ready-for-export total (minor units, NULL when unknown),
// where they came from, and the balance's own time once Pleo figures replace
// the snapshot's (Pleo has no balance). A sync that only confirms unchanged
// figures moves synced_at alone, which no cached list answer shows: the
// generation trigger now ignores it, so syncs do not empty the caches.
constexpr const char* migration_6 = R"sql(
CREATE TABLE pleo_credentials (
  client_id  TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('api_key', 'oauth')),
  nonce      BLOB NOT NULL,
  secret     BLOB NOT NULL,
  company_id TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE pleo_sync_state (
  client_id       TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  last_attempt_at TEXT NOT NULL,
  last_ok_at      TEXT,
  failing_since   TEXT,
  last_error      TEXT NOT NULL DEFAULT '',
  company_name    TEXT
) WITHOUT ROWID;

ALTER TABLE client_metrics ADD COLUMN export_total_minor INTEGER;
ALTER TABLE client_metrics ADD COLUMN export_total_currency TEXT;
ALTER TABLE client_metrics ADD COLUMN export_unpriced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE client_metrics ADD COLUMN source TEXT NOT NULL DEFAULT 'snapshot' CHECK (source IN ('snapshot', 'pleo'));
ALTER TABLE client_metrics ADD COLUMN balance_at TEXT;

DROP TRIGGER metrics_gen_update;
CREATE TRIGGER metrics_gen_update AFTER UPDATE ON client_metrics
WHEN old.balance_minor IS NOT new.balance_minor OR old.currency IS NOT new.currency
  OR old.missing_receipts IS NOT new.missing_receipts OR old.ready_for_export IS NOT new.ready_for_export
BEGIN UPDATE client_generation SET n = n + 1; END;
)sql";

// 7: each member's reply language ('da' or 'en'; NULL: follow the chat
// locale) and the chat locale last seen for them, which digests and
// reminders are written in; and the collation that made the clients' sort
// keys, so that keys made by another one (the first hand-written keys, or
// another ICU version) are remade when the database is opened.
constexpr const char* migration_7 = R"sql(
CREATE TABLE member_languages (
  member_id TEXT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
  choice    TEXT CHECK (choice IN ('da', 'en')),
  locale    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE sort_key_collation (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL
);
INSERT INTO sort_key_collation(id, version) VALUES (1, 'hand-written');
)sql";

// 8: lists and searches are answered by the in-memory read model alone, so
// the full-text index that SQL searches used goes.
constexpr const char* migration_8 = R"sql(
DROP TRIGGER IF EXISTS clients_fts_insert;
DROP TRIGGER IF EXISTS clients_fts_delete;
DROP TRIGGER IF EXISTS clients_fts_update;
DROP TABLE IF EXISTS clients_fts;
)sql";

// 9: workspace installations (a chat app installed by a workspace hands over
// its own bot token: sealed, as Pleo credentials are) and the single-use
// states that tie an install to the browser that started it. An
// organisation-wide install has an empty workspace id. The version moves on
// with every change of the tokens, so a refresh can tell it is not stale.
constexpr const char* migration_9 = R"sql(
CREATE TABLE workspace_installations (
  platform       TEXT NOT NULL,
  enterprise_id  TEXT NOT NULL DEFAULT '',
  workspace_id   TEXT NOT NULL DEFAULT '',
  workspace_name TEXT NOT NULL DEFAULT '',
  app_id         TEXT NOT NULL DEFAULT '',
  bot_user_id    TEXT NOT NULL DEFAULT '',
  scopes         TEXT NOT NULL DEFAULT '',
  installer      TEXT NOT NULL DEFAULT '',
  token_nonce    BLOB NOT NULL,
  token          BLOB NOT NULL,
  refresh_nonce  BLOB NOT NULL,
  refresh_token  BLOB NOT NULL,
  expires_ms     INTEGER NOT NULL DEFAULT 0,
  version        INTEGER NOT NULL DEFAULT 1,
  installed_at   TEXT NOT NULL,
  uninstalled_at TEXT,
  PRIMARY KEY (platform, enterprise_id, workspace_id)
) WITHOUT ROWID;
CREATE INDEX workspace_installations_by_workspace ON workspace_installations(platform, workspace_id);

CREATE TABLE install_states (
  state      TEXT PRIMARY KEY,
  expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// 10: when the chat locale was last read from a platform that is asked for
// it (Slack's users.info), so that it is read again once it is a day old;
// NULL: never read (a locale stored before, or one a request carried).
constexpr const char* migration_10 = R"sql(
ALTER TABLE member_languages ADD COLUMN locale_at TEXT;
)sql";

// 11: a client's Pleo sync runs in one instance at a time: the instance
// syncing it holds a lease row until it is done or the lease runs out. No
// reference to clients: a lease may outlive its client harmlessly.
constexpr const char* migration_11 = R"sql(
CREATE TABLE pleo_sync_leases (
  client_id TEXT PRIMARY KEY,
  holder    TEXT NOT NULL,
  until_ms  INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// 12: home views. Who has opened their home (Slack's Home tab), so that it
// is republished to them alone when what it shows changes, with what was
// last published (a digest of it) and when, for at most one a minute. A
// generation bumped by every change to what a home shows beyond the client
// data (which client_generation counts): subscriptions, reply languages and
// links. And the organisation a workspace belongs to, as its requests tell
// it, so that an organisation's install serves the workspace's outbox rows
// after a restart and its uninstall ends them.
constexpr const char* migration_12 = R"sql(
CREATE TABLE home_viewers (
  platform       TEXT NOT NULL,
  workspace_id   TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  enterprise_id  TEXT NOT NULL DEFAULT '',
  opened_ms      INTEGER NOT NULL,
  published_hash TEXT NOT NULL DEFAULT '',
  published_ms   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (platform, workspace_id, user_id)
) WITHOUT ROWID;

CREATE TABLE home_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO home_generation(id, n) VALUES (1, 0);
CREATE TRIGGER subscriptions_home_insert AFTER INSERT ON subscriptions BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER subscriptions_home_update AFTER UPDATE ON subscriptions BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER subscriptions_home_delete AFTER DELETE ON subscriptions BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER channel_subscriptions_home_insert AFTER INSERT ON channel_subscriptions BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER channel_subscriptions_home_update AFTER UPDATE ON channel_subscriptions BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER channel_subscriptions_home_delete AFTER DELETE ON channel_subscriptions BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER member_languages_home_insert AFTER INSERT ON member_languages BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER member_languages_home_update AFTER UPDATE OF choice, locale ON member_languages
WHEN old.choice IS NOT new.choice OR old.locale IS NOT new.locale
BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER member_languages_home_delete AFTER DELETE ON member_languages BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER chat_identities_home_insert AFTER INSERT ON chat_identities BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER chat_identities_home_update AFTER UPDATE ON chat_identities BEGIN UPDATE home_generation SET n = n + 1; END;
CREATE TRIGGER chat_identities_home_delete AFTER DELETE ON chat_identities BEGIN UPDATE home_generation SET n = n + 1; END;

CREATE TABLE workspace_organisations (
  platform      TEXT NOT NULL,
  workspace_id  TEXT NOT NULL,
  enterprise_id TEXT NOT NULL,
  PRIMARY KEY (platform, workspace_id)
) WITHOUT ROWID;
CREATE INDEX workspace_organisations_by_enterprise ON workspace_organisations(platform, enterprise_id);
)sql";

constexpr std::array<const char*, 12> all{migration_1, migration_2,  migration_3,  migration_4,
                                          migration_5, migration_6,  migration_7,  migration_8,
                                          migration_9, migration_10, migration_11, migration_12};

// PostgreSQL: the same numbering. The first six steps predate PostgreSQL
// support and are empty there; the seventh creates the schema as SQLite has
// it after its seventh (without the SQLite-only substring index). Text
// compares and sorts bytewise ("C"), as in SQLite, whatever the database's
// default collation. From the eighth on, each step has its PostgreSQL
// spelling here (the eighth drops SQLite's substring index, which
// PostgreSQL never had).
constexpr const char* postgres_7 = R"sql(
CREATE TABLE partners (
  id   TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL
);

CREATE TABLE workspaces (
  platform     TEXT COLLATE "C" NOT NULL,
  workspace_id TEXT COLLATE "C" NOT NULL,
  partner_id   TEXT COLLATE "C" NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  PRIMARY KEY (platform, workspace_id),
  UNIQUE (partner_id, platform)
);

CREATE TABLE members (
  id            TEXT COLLATE "C" PRIMARY KEY,
  partner_id    TEXT COLLATE "C" NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  name          TEXT COLLATE "C" NOT NULL,
  email         TEXT COLLATE "C" NOT NULL,
  email_fold    TEXT COLLATE "C" NOT NULL,
  role          TEXT COLLATE "C" NOT NULL CHECK (role IN ('admin', 'bookkeeper')),
  last_platform TEXT COLLATE "C"
);
CREATE INDEX members_by_partner ON members(partner_id, name);
CREATE INDEX members_by_email ON members(partner_id, email_fold);

CREATE TABLE chat_identities (
  platform     TEXT COLLATE "C" NOT NULL,
  workspace_id TEXT COLLATE "C" NOT NULL,
  user_id      TEXT COLLATE "C" NOT NULL,
  member_id    TEXT COLLATE "C" NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  PRIMARY KEY (platform, workspace_id, user_id),
  UNIQUE (platform, member_id)
);
CREATE INDEX chat_identities_by_member ON chat_identities(member_id);

CREATE TABLE clients (
  pk         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id         TEXT COLLATE "C" NOT NULL UNIQUE,
  partner_id TEXT COLLATE "C" NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  name       TEXT COLLATE "C" NOT NULL,
  status     TEXT COLLATE "C" NOT NULL CHECK (status IN ('invite', 'onboarding', 'active')),
  sort_key   BYTEA NOT NULL,
  name_fold  TEXT COLLATE "C" NOT NULL,
  name_ascii TEXT COLLATE "C" NOT NULL
);
CREATE INDEX clients_by_name ON clients(partner_id, sort_key);
CREATE INDEX clients_by_status ON clients(partner_id, status, sort_key);

CREATE TABLE client_metrics (
  client_id             TEXT COLLATE "C" PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  balance_minor         BIGINT NOT NULL,
  currency              TEXT COLLATE "C" NOT NULL,
  missing_receipts      BIGINT NOT NULL CHECK (missing_receipts >= 0),
  ready_for_export      BIGINT NOT NULL CHECK (ready_for_export >= 0),
  synced_at             TEXT COLLATE "C" NOT NULL,
  export_total_minor    BIGINT,
  export_total_currency TEXT COLLATE "C",
  export_unpriced       BIGINT NOT NULL DEFAULT 0,
  source                TEXT COLLATE "C" NOT NULL DEFAULT 'snapshot' CHECK (source IN ('snapshot', 'pleo')),
  balance_at            TEXT COLLATE "C"
);

CREATE TABLE assignments (
  client_id TEXT COLLATE "C" NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  member_id TEXT COLLATE "C" NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, member_id)
);
CREATE INDEX assignments_by_member ON assignments(member_id, client_id);

CREATE TABLE subscriptions (
  member_id  TEXT COLLATE "C" NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  client_id  TEXT COLLATE "C" NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  frequency  TEXT COLLATE "C" NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  platform   TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (member_id, client_id)
);
CREATE INDEX subscriptions_by_client ON subscriptions(client_id);

CREATE TABLE channel_subscriptions (
  partner_id   TEXT COLLATE "C" NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  platform     TEXT COLLATE "C" NOT NULL,
  workspace_id TEXT COLLATE "C" NOT NULL,
  channel_id   TEXT COLLATE "C" NOT NULL,
  frequency    TEXT COLLATE "C" NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  created_by   TEXT COLLATE "C" NOT NULL,
  created_at   TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (platform, workspace_id, channel_id)
);
CREATE INDEX channel_subscriptions_by_partner ON channel_subscriptions(partner_id);

CREATE TABLE digest_slots (
  subscriber_key TEXT COLLATE "C" NOT NULL,
  slot           TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (subscriber_key, slot)
);

CREATE TABLE outbox (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  idempotency_key TEXT COLLATE "C" NOT NULL UNIQUE,
  platform        TEXT COLLATE "C" NOT NULL,
  workspace_id    TEXT COLLATE "C" NOT NULL,
  recipient_kind  TEXT COLLATE "C" NOT NULL,
  recipient       TEXT COLLATE "C" NOT NULL,
  member_id       TEXT COLLATE "C" NOT NULL,
  payload         TEXT COLLATE "C" NOT NULL,
  origin          TEXT COLLATE "C" NOT NULL,
  status          TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        BIGINT NOT NULL DEFAULT 0,
  retries         BIGINT NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,
  created_ms      BIGINT NOT NULL,
  sent_ms         BIGINT,
  last_error      TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_ms);
CREATE INDEX outbox_by_origin ON outbox(origin);

CREATE TABLE reminders (
  id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  submission_key   TEXT COLLATE "C" NOT NULL UNIQUE,
  partner_id       TEXT COLLATE "C" NOT NULL,
  client_id        TEXT COLLATE "C" NOT NULL,
  sender_member_id TEXT COLLATE "C" NOT NULL,
  sender_name      TEXT COLLATE "C" NOT NULL,
  created_at       TEXT COLLATE "C" NOT NULL,
  tasks            TEXT COLLATE "C" NOT NULL,
  comment          TEXT COLLATE "C" NOT NULL
);
CREATE INDEX reminders_by_client ON reminders(client_id, id);

CREATE TABLE reminder_recipients (
  reminder_id BIGINT NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
  member_id   TEXT COLLATE "C" NOT NULL,
  name        TEXT COLLATE "C" NOT NULL,
  outcome     TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (reminder_id, member_id)
);

CREATE TABLE identity_links (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  platform     TEXT COLLATE "C" NOT NULL,
  workspace_id TEXT COLLATE "C" NOT NULL,
  user_id      TEXT COLLATE "C" NOT NULL,
  member_id    TEXT COLLATE "C" NOT NULL,
  linked_by    TEXT COLLATE "C" NOT NULL,
  linked_at    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE chat_addresses (
  platform     TEXT COLLATE "C" NOT NULL,
  workspace_id TEXT COLLATE "C" NOT NULL,
  kind         TEXT COLLATE "C" NOT NULL,
  target       TEXT COLLATE "C" NOT NULL,
  address      TEXT COLLATE "C" NOT NULL,
  updated_ms   BIGINT NOT NULL,
  PRIMARY KEY (platform, workspace_id, kind, target)
);

CREATE TABLE pleo_credentials (
  client_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('api_key', 'oauth')),
  nonce      BYTEA NOT NULL,
  secret     BYTEA NOT NULL,
  company_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE pleo_sync_state (
  client_id       TEXT COLLATE "C" PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  last_attempt_at TEXT COLLATE "C" NOT NULL,
  last_ok_at      TEXT COLLATE "C",
  failing_since   TEXT COLLATE "C",
  last_error      TEXT COLLATE "C" NOT NULL DEFAULT '',
  company_name    TEXT COLLATE "C"
);

CREATE TABLE member_languages (
  member_id TEXT COLLATE "C" PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
  choice    TEXT COLLATE "C" CHECK (choice IN ('da', 'en')),
  locale    TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE sort_key_collation (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT COLLATE "C" NOT NULL
);
INSERT INTO sort_key_collation(id, version) VALUES (1, 'hand-written');

-- The generation every change to what client lists read bumps (as SQLite's
-- triggers do); each bump is also announced, so that other instances drop
-- their cached answers at once instead of at their next check.
CREATE TABLE client_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  BIGINT NOT NULL
);
INSERT INTO client_generation(id, n) VALUES (1, 0);
-- The announcement names the firm whose data changed (empty when unknown,
-- as for a client's figures deleted with the client).
CREATE FUNCTION bump_client_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  firm TEXT;
BEGIN
  UPDATE client_generation SET n = n + 1 WHERE id = 1;
  IF TG_TABLE_NAME IN ('clients', 'members') THEN
    IF TG_OP = 'DELETE' THEN
      firm := OLD.partner_id;
    ELSE
      firm := NEW.partner_id;
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT c.partner_id INTO firm FROM clients c WHERE c.id = OLD.client_id;
  ELSE
    SELECT c.partner_id INTO firm FROM clients c WHERE c.id = NEW.client_id;
  END IF;
  PERFORM pg_notify('partnerbot_generation', coalesce(firm, ''));
  RETURN NULL;
END $$;
CREATE TRIGGER clients_gen AFTER INSERT OR UPDATE OR DELETE ON clients
  FOR EACH ROW EXECUTE FUNCTION bump_client_generation();
CREATE TRIGGER metrics_gen_insert_delete AFTER INSERT OR DELETE ON client_metrics
  FOR EACH ROW EXECUTE FUNCTION bump_client_generation();
CREATE TRIGGER metrics_gen_update AFTER UPDATE ON client_metrics FOR EACH ROW
  WHEN (old.balance_minor IS DISTINCT FROM new.balance_minor OR old.currency IS DISTINCT FROM new.currency
    OR old.missing_receipts IS DISTINCT FROM new.missing_receipts
    OR old.ready_for_export IS DISTINCT FROM new.ready_for_export)
  EXECUTE FUNCTION bump_client_generation();
CREATE TRIGGER assignments_gen AFTER INSERT OR UPDATE OR DELETE ON assignments
  FOR EACH ROW EXECUTE FUNCTION bump_client_generation();
CREATE TRIGGER members_gen_rename AFTER UPDATE OF name ON members FOR EACH ROW
  WHEN (old.name IS DISTINCT FROM new.name) EXECUTE FUNCTION bump_client_generation();
)sql";

// 9: as SQLite's ninth.
constexpr const char* postgres_9 = R"sql(
CREATE TABLE workspace_installations (
  platform       TEXT COLLATE "C" NOT NULL,
  enterprise_id  TEXT COLLATE "C" NOT NULL DEFAULT '',
  workspace_id   TEXT COLLATE "C" NOT NULL DEFAULT '',
  workspace_name TEXT COLLATE "C" NOT NULL DEFAULT '',
  app_id         TEXT COLLATE "C" NOT NULL DEFAULT '',
  bot_user_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
  scopes         TEXT COLLATE "C" NOT NULL DEFAULT '',
  installer      TEXT COLLATE "C" NOT NULL DEFAULT '',
  token_nonce    BYTEA NOT NULL,
  token          BYTEA NOT NULL,
  refresh_nonce  BYTEA NOT NULL,
  refresh_token  BYTEA NOT NULL,
  expires_ms     BIGINT NOT NULL DEFAULT 0,
  version        BIGINT NOT NULL DEFAULT 1,
  installed_at   TEXT COLLATE "C" NOT NULL,
  uninstalled_at TEXT COLLATE "C",
  PRIMARY KEY (platform, enterprise_id, workspace_id)
);
CREATE INDEX workspace_installations_by_workspace ON workspace_installations(platform, workspace_id);

CREATE TABLE install_states (
  state      TEXT COLLATE "C" PRIMARY KEY,
  expires_ms BIGINT NOT NULL
);
)sql";

// 10: as SQLite's tenth.
constexpr const char* postgres_10 = R"sql(
ALTER TABLE member_languages ADD COLUMN locale_at TEXT COLLATE "C";
)sql";

// 11: as SQLite's eleventh.
constexpr const char* postgres_11 = R"sql(
CREATE TABLE pleo_sync_leases (
  client_id TEXT COLLATE "C" PRIMARY KEY,
  holder    TEXT COLLATE "C" NOT NULL,
  until_ms  BIGINT NOT NULL
);
)sql";

// 12: as SQLite's twelfth; one function bumps the home generation, once per
// statement where SQLite's triggers run per row (the sum is all that is read).
constexpr const char* postgres_12 = R"sql(
CREATE TABLE home_viewers (
  platform       TEXT COLLATE "C" NOT NULL,
  workspace_id   TEXT COLLATE "C" NOT NULL,
  user_id        TEXT COLLATE "C" NOT NULL,
  enterprise_id  TEXT COLLATE "C" NOT NULL DEFAULT '',
  opened_ms      BIGINT NOT NULL,
  published_hash TEXT COLLATE "C" NOT NULL DEFAULT '',
  published_ms   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (platform, workspace_id, user_id)
);

CREATE TABLE home_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  BIGINT NOT NULL
);
INSERT INTO home_generation(id, n) VALUES (1, 0);
CREATE FUNCTION bump_home_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE home_generation SET n = n + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER subscriptions_home AFTER INSERT OR UPDATE OR DELETE ON subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_home_generation();
CREATE TRIGGER channel_subscriptions_home AFTER INSERT OR UPDATE OR DELETE ON channel_subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_home_generation();
CREATE TRIGGER member_languages_home_insert_delete AFTER INSERT OR DELETE ON member_languages
  FOR EACH STATEMENT EXECUTE FUNCTION bump_home_generation();
CREATE TRIGGER member_languages_home_update AFTER UPDATE OF choice, locale ON member_languages FOR EACH ROW
  WHEN (old.choice IS DISTINCT FROM new.choice OR old.locale IS DISTINCT FROM new.locale)
  EXECUTE FUNCTION bump_home_generation();
CREATE TRIGGER chat_identities_home AFTER INSERT OR UPDATE OR DELETE ON chat_identities
  FOR EACH STATEMENT EXECUTE FUNCTION bump_home_generation();

CREATE TABLE workspace_organisations (
  platform      TEXT COLLATE "C" NOT NULL,
  workspace_id  TEXT COLLATE "C" NOT NULL,
  enterprise_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (platform, workspace_id)
);
CREATE INDEX workspace_organisations_by_enterprise ON workspace_organisations(platform, enterprise_id);
)sql";

constexpr std::array<const char*, 12> all_postgres{
    "", "", "", "", "", "", postgres_7, "", postgres_9, postgres_10, postgres_11, postgres_12};
static_assert(all_postgres.size() == all.size(), "every migration needs its PostgreSQL spelling");

} // namespace

std::span<const char* const> migrations() {
  return all;
}

std::span<const char* const> migrations(engine::kind k) {
  if (k == engine::kind::postgres) return all_postgres;
  return all;
}

} // namespace store

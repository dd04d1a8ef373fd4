// The demo's database: a real Postgres (PGlite: Postgres compiled to WebAssembly, running in
// this process, in memory) with the row-level-security policy of the WorkOS guide.
//
// Two roles:
//   postgres  the superuser that creates and owns the tables (owners and superusers bypass RLS)
//   app_user  what every request runs as: no BYPASSRLS, not an owner, so the policy applies
//
// Every request's queries run in one transaction that first does
//   SET LOCAL ROLE app_user
//   SELECT set_config('app.current_organization_id', $1, true)   -- true: local to the transaction
// (the guide's `SET LOCAL app.current_organization_id = $1` cannot take a bind parameter;
// set_config is the same thing as a function call). When the transaction ends, both are gone.

import { PGlite } from '@electric-sql/pglite';

const SCHEMA = `
  CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,            -- the WorkOS organization id
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ DEFAULT NOW()
  );

  -- All tenant data includes organization_id
  CREATE TABLE documents (
    id              SERIAL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    title           TEXT NOT NULL,
    content         TEXT
  );

  -- Enable RLS. Policy: a session sees (and writes) only its organization's rows.
  ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
  CREATE POLICY organization_isolation ON documents
    FOR ALL
    USING (organization_id = current_setting('app.current_organization_id')::TEXT);

  -- The application's role: not the owner, no BYPASSRLS, only the privileges it needs.
  CREATE ROLE app_user NOLOGIN NOSUPERUSER NOBYPASSRLS;
  GRANT SELECT, INSERT ON organizations TO app_user;
  GRANT SELECT, INSERT, UPDATE, DELETE ON documents TO app_user;
  GRANT USAGE ON SEQUENCE documents_id_seq TO app_user;
`;

export async function openDatabase() {
  const pg = await PGlite.create(); // no dataDir: in memory, gone when the process ends
  await pg.exec(SCHEMA);

  return {
    /**
     * Runs `fn(tx)` in a transaction as app_user, scoped to `organizationId` (which must come
     * from the guards, never straight from the client). Returns what `fn` returns.
     */
    withOrganization(organizationId, fn) {
      if (typeof organizationId !== 'string' || !organizationId) {
        throw new Error('withOrganization: an organization id is required');
      }
      return pg.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE app_user');
        await tx.query(`SELECT set_config('app.current_organization_id', $1, true)`, [organizationId]);
        return fn(tx);
      });
    },

    /** Records an organization (tenant) row, as the app (no tenant scope needed). */
    addOrganization({ id, name }) {
      return pg.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE app_user');
        await tx.query('INSERT INTO organizations (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, name]);
      });
    },

    /** Seeding, as the table owner (RLS does not apply to it). */
    async seedDocuments(organizationId, titles) {
      for (const title of titles) {
        await pg.query('INSERT INTO documents (organization_id, title) VALUES ($1, $2)', [organizationId, title]);
      }
    },

    /** What the table owner sees: every organization's documents. For the tour's comparison. */
    async ownerView() {
      const { rows } = await pg.query(
        `SELECT o.name, count(d.id)::int AS documents
           FROM organizations o LEFT JOIN documents d ON d.organization_id = o.id
          GROUP BY o.name ORDER BY o.name`,
      );
      return rows;
    },

    close() {
      return pg.close();
    },
  };
}

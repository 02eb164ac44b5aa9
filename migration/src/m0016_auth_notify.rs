use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_auth_notify"
    }
}

/// Each API process remembers the callers it authenticated (`service::principal_cache`), so a
/// request does not read the session first. On PostgreSQL, where many processes share the
/// database, whatever changes who a token speaks for — a logout, a revocation, a membership
/// added, changed or removed — tells every process at its commit, whichever code path wrote
/// it. SQLite keeps no such cache: nothing to tell.
const TRIGGERS: [&str; 4] = [
    "CREATE FUNCTION larder_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
     PERFORM pg_notify('larder_auth', ''); RETURN NULL; END $$",
    "CREATE TRIGGER sessions_auth_changed AFTER UPDATE OR DELETE ON sessions \
     FOR EACH STATEMENT EXECUTE FUNCTION larder_auth_changed()",
    "CREATE TRIGGER memberships_auth_changed AFTER INSERT OR UPDATE OR DELETE ON memberships \
     FOR EACH STATEMENT EXECUTE FUNCTION larder_auth_changed()",
    // Not `last_used_at`, which a busy token's use writes every minute.
    "CREATE TRIGGER api_tokens_auth_changed \
     AFTER UPDATE OF company_id, role, revoked_at, expires_at, created_by, token_hash OR DELETE ON api_tokens \
     FOR EACH STATEMENT EXECUTE FUNCTION larder_auth_changed()",
];

const DOWN: [&str; 4] = [
    "DROP TRIGGER api_tokens_auth_changed ON api_tokens",
    "DROP TRIGGER memberships_auth_changed ON memberships",
    "DROP TRIGGER sessions_auth_changed ON sessions",
    "DROP FUNCTION larder_auth_changed()",
];

async fn run_on_postgres(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let conn = manager.get_connection();
    for statement in statements {
        conn.execute_unprepared(statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_on_postgres(manager, &TRIGGERS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run_on_postgres(manager, &DOWN).await
    }
}

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_live_pos"
    }
}

/// Live POS connections (Lightspeed K-Series over OAuth2, Sides POS with a login).
///
/// `pos_oauth_states` holds one pending authorization per row: the `state` sent to the
/// authorize page (single use, expiring), the PKCE verifier and, once Lightspeed sent the browser
/// back, the authorization code — both encrypted like every credential — until the user who
/// started it finishes it from their own session.
const UP: &str = r#"
ALTER TABLE pos_integrations ADD COLUMN connection_error TEXT;
ALTER TABLE pos_integrations ADD COLUMN connected_at {TS};
ALTER TABLE pos_integrations ADD COLUMN locations_synced_at {TS};
ALTER TABLE pos_integrations ADD COLUMN items_synced_at {TS};
ALTER TABLE pos_locations ADD COLUMN timezone TEXT;
ALTER TABLE pos_items ADD COLUMN category TEXT;
CREATE TABLE pos_oauth_states (
    id {PK},
    state TEXT NOT NULL UNIQUE,
    integration_id BIGINT NOT NULL REFERENCES pos_integrations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    pkce_verifier_enc TEXT NOT NULL,
    code_enc TEXT,
    created_at {TS} NOT NULL,
    expires_at {TS} NOT NULL
);
"#;

const DOWN: &str = r#"
DROP TABLE pos_oauth_states;
ALTER TABLE pos_items DROP COLUMN category;
ALTER TABLE pos_locations DROP COLUMN timezone;
ALTER TABLE pos_integrations DROP COLUMN items_synced_at;
ALTER TABLE pos_integrations DROP COLUMN locations_synced_at;
ALTER TABLE pos_integrations DROP COLUMN connected_at;
ALTER TABLE pos_integrations DROP COLUMN connection_error;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, DOWN).await
    }
}

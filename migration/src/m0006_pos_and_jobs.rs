use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_pos_and_jobs"
    }
}

/// POS integrations and the job runs that move their sales into the ledger.
///
/// `job_runs.lock_key` names what a run must hold alone (`location:7`); the partial unique index
/// lets at most one QUEUED or RUNNING run hold it, on both backends, whatever process asks.
const UP: &str = r#"
CREATE TABLE pos_integrations (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    provider TEXT NOT NULL CHECK (provider IN ('LIGHTSPEED_K', 'SIDES', 'CSV')),
    name TEXT NOT NULL,
    connection_state TEXT NOT NULL,
    automatic_transfer TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (automatic_transfer IN ('ACTIVE', 'PAUSED')),
    paused_at {TS},
    csv_config TEXT,
    credentials_enc TEXT,
    webhook_secret_enc TEXT NOT NULL,
    previous_webhook_secret_enc TEXT,
    previous_secret_valid_until {TS},
    created_at {TS} NOT NULL
);
CREATE INDEX pos_integrations_company ON pos_integrations(company_id);
CREATE TABLE pos_locations (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    integration_id BIGINT NOT NULL REFERENCES pos_integrations(id),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    synced {BOOL} NOT NULL,
    storage_unit_id BIGINT REFERENCES storage_units(id),
    active {BOOL} NOT NULL,
    activated_at {TS},
    created_at {TS} NOT NULL,
    UNIQUE (integration_id, external_id)
);
CREATE TABLE pos_items (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    integration_id BIGINT NOT NULL REFERENCES pos_integrations(id),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    seen_at {TS} NOT NULL,
    UNIQUE (integration_id, external_id)
);
CREATE TABLE pos_mappings (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    integration_id BIGINT NOT NULL REFERENCES pos_integrations(id),
    external_id TEXT NOT NULL,
    target TEXT NOT NULL CHECK (target IN ('INGREDIENT', 'RECIPE', 'IGNORE')),
    ingredient_id BIGINT REFERENCES ingredients(id),
    recipe_id BIGINT REFERENCES recipes(id),
    quantity_factor_micro BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at {TS} NOT NULL,
    UNIQUE (integration_id, external_id)
);
CREATE TABLE pos_sale_lines (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    location_id BIGINT NOT NULL REFERENCES pos_locations(id),
    business_date {DATE} NOT NULL,
    line_key TEXT NOT NULL,
    external_item_id TEXT NOT NULL,
    item_name TEXT NOT NULL,
    quantity_micro BIGINT NOT NULL,
    sales_value_micro BIGINT,
    sold_at BIGINT NOT NULL,
    transaction_id TEXT,
    receipt_number TEXT,
    status TEXT NOT NULL CHECK (status IN ('SALE', 'REFUND', 'VOID', 'CANCELLED')),
    csv_import_id BIGINT,
    UNIQUE (location_id, line_key)
);
CREATE INDEX pos_sale_lines_day ON pos_sale_lines(location_id, business_date, id);
CREATE TABLE pos_day_transfers (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    location_id BIGINT NOT NULL REFERENCES pos_locations(id),
    business_date {DATE} NOT NULL,
    job_run_id BIGINT,
    transferred_at {TS} NOT NULL,
    lines_total BIGINT NOT NULL,
    lines_posted BIGINT NOT NULL,
    lines_skipped BIGINT NOT NULL,
    lines_unmapped BIGINT NOT NULL,
    entries_posted BIGINT NOT NULL,
    log TEXT NOT NULL
);
CREATE INDEX pos_day_transfers_day ON pos_day_transfers(location_id, business_date);
CREATE TABLE job_runs (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    integration_id BIGINT REFERENCES pos_integrations(id),
    location_id BIGINT REFERENCES pos_locations(id),
    params TEXT NOT NULL,
    lock_key TEXT,
    progress_done BIGINT NOT NULL,
    progress_total BIGINT NOT NULL,
    message TEXT,
    error TEXT,
    attempts BIGINT NOT NULL,
    requested_by BIGINT REFERENCES users(id),
    created_at {TS} NOT NULL,
    started_at {TS},
    finished_at {TS},
    heartbeat_at {TS},
    enqueued_at {TS}
);
CREATE UNIQUE INDEX job_runs_one_at_a_time ON job_runs(lock_key) WHERE state IN ('QUEUED', 'RUNNING');
CREATE INDEX job_runs_company ON job_runs(company_id, id);
CREATE INDEX job_runs_state ON job_runs(state);
CREATE TABLE csv_imports (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    integration_id BIGINT NOT NULL REFERENCES pos_integrations(id),
    location_id BIGINT NOT NULL REFERENCES pos_locations(id),
    content_hash TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    config TEXT NOT NULL,
    post_valid_rows_only {BOOL} NOT NULL,
    rows_total BIGINT NOT NULL,
    rows_invalid BIGINT NOT NULL,
    row_errors TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at {TS} NOT NULL,
    UNIQUE (integration_id, content_hash)
);
CREATE TABLE csv_upload_chunks (
    csv_import_id BIGINT NOT NULL REFERENCES csv_imports(id),
    seq BIGINT NOT NULL,
    data {BLOB} NOT NULL,
    PRIMARY KEY (csv_import_id, seq)
);
CREATE TABLE webhook_events (
    id {PK},
    integration_id BIGINT NOT NULL REFERENCES pos_integrations(id),
    event_id TEXT NOT NULL,
    received_at {TS} NOT NULL,
    job_run_id BIGINT,
    UNIQUE (integration_id, event_id)
)
"#;

const DOWN: &str = "DROP TABLE webhook_events;
DROP TABLE csv_upload_chunks;
DROP TABLE csv_imports;
DROP TABLE job_runs;
DROP TABLE pos_day_transfers;
DROP TABLE pos_sale_lines;
DROP TABLE pos_mappings;
DROP TABLE pos_items;
DROP TABLE pos_locations;
DROP TABLE pos_integrations";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, DOWN).await
    }
}

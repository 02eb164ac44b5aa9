use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_pos_entry_integration"
    }
}

/// Menu engineering sums the cost the ledger charged per POS item: (integration, article). The
/// entries carried the article but reached the integration only through their sale line, a join
/// on a text `source_id` that cost more than the rest of the report. A POS sale's entries now
/// carry their integration; one covering index answers "the POS cost of a company's items in a
/// period" without reading the table. Every entry with an integration is a POS sale's ISSUE.
const UP: &str = r#"
ALTER TABLE ledger_entries ADD COLUMN pos_integration_id BIGINT;
UPDATE ledger_entries SET pos_integration_id = (
    SELECT loc.integration_id FROM pos_sale_lines l JOIN pos_locations loc ON loc.id = l.location_id
    WHERE l.id = CAST(ledger_entries.source_id AS BIGINT)
) WHERE source_kind = 'POS_SALE';
CREATE INDEX ledger_pos_item_cost ON ledger_entries(company_id, occurred_at, pos_integration_id, pos_article_id, value_micro)
    WHERE pos_integration_id IS NOT NULL
"#;

const DOWN: &str = r#"
DROP INDEX ledger_pos_item_cost;
ALTER TABLE ledger_entries DROP COLUMN pos_integration_id
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

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_pos_item_costs"
    }
}

/// What the ledger charged for each POS item per UTC day (`service::ledger::item_costs`): menu
/// engineering over 90 days summed 500,000 entries; it now sums the days kept here and only
/// the partial days at a period's ends from the ledger. A sum in two parts (whole billionths
/// and the rest) so that no number of entries overflows it. Filled from the ledger as it is.
const UP: &str = r#"
CREATE TABLE pos_item_costs (
    company_id BIGINT NOT NULL REFERENCES companies(id),
    day_start BIGINT NOT NULL,
    pos_integration_id BIGINT NOT NULL,
    pos_article_id TEXT NOT NULL,
    value_high BIGINT NOT NULL,
    value_low BIGINT NOT NULL,
    PRIMARY KEY (company_id, day_start, pos_integration_id, pos_article_id)
);
INSERT INTO pos_item_costs (company_id, day_start, pos_integration_id, pos_article_id, value_high, value_low)
SELECT company_id, occurred_at - (((occurred_at % 86400000000) + 86400000000) % 86400000000),
       pos_integration_id, pos_article_id,
       SUM(value_micro / 1000000000), SUM(value_micro % 1000000000)
FROM ledger_entries
WHERE pos_integration_id IS NOT NULL AND pos_article_id IS NOT NULL
GROUP BY company_id, occurred_at - (((occurred_at % 86400000000) + 86400000000) % 86400000000),
         pos_integration_id, pos_article_id
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, "DROP TABLE pos_item_costs").await
    }
}

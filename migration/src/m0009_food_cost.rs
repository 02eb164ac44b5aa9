use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_food_cost"
    }
}

/// Food cost (DESIGN.md, "Food cost"): the VAT included in POS sales values and menu prices, the
/// price move that counts as a price change, a recipe's menu price (gross); and indexes for the
/// reports: receipts of a company over time, and POS sale lines of a company by sale time.
const UP: &str = r#"
ALTER TABLE companies ADD COLUMN sales_vat_percent_micro BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN price_alert_percent_micro BIGINT NOT NULL DEFAULT 5000000;
ALTER TABLE recipes ADD COLUMN menu_price_micro BIGINT;
CREATE INDEX ledger_company_type_time ON ledger_entries(company_id, transaction_type, occurred_at, id);
CREATE INDEX pos_sale_lines_sold ON pos_sale_lines(company_id, sold_at)
"#;

const DOWN: &str = r#"
DROP INDEX pos_sale_lines_sold;
DROP INDEX ledger_company_type_time;
ALTER TABLE recipes DROP COLUMN menu_price_micro;
ALTER TABLE companies DROP COLUMN price_alert_percent_micro;
ALTER TABLE companies DROP COLUMN sales_vat_percent_micro
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

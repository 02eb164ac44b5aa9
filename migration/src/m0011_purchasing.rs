use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_purchasing"
    }
}

/// Purchasing (DESIGN.md, "Purchasing"): a vendor's lead time, order weekdays (ISO numbers,
/// Monday = 1, comma-separated) and minimum order value; a product's minimum packs; an
/// ingredient's preferred product; the storage unit an order is for; and a stock policy per
/// (ingredient, storage unit).
const UP: &str = r#"
ALTER TABLE vendors ADD COLUMN lead_time_days BIGINT NOT NULL DEFAULT 1;
ALTER TABLE vendors ADD COLUMN order_weekdays TEXT NOT NULL DEFAULT '';
ALTER TABLE vendors ADD COLUMN minimum_order_value_micro BIGINT;
ALTER TABLE products ADD COLUMN minimum_packs_micro BIGINT NOT NULL DEFAULT 1000000;
ALTER TABLE ingredients ADD COLUMN preferred_product_id BIGINT REFERENCES products(id);
ALTER TABLE purchase_orders ADD COLUMN storage_unit_id BIGINT REFERENCES storage_units(id);
CREATE INDEX purchase_orders_open ON purchase_orders(company_id, status, storage_unit_id);
CREATE TABLE stock_policies (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    kind TEXT NOT NULL CHECK (kind IN ('MANUAL', 'AUTOMATIC')),
    reorder_point_micro BIGINT,
    par_level_micro BIGINT,
    review_days BIGINT NOT NULL DEFAULT 7,
    safety_days_micro BIGINT NOT NULL DEFAULT 1000000,
    usage_window_days BIGINT NOT NULL DEFAULT 28,
    updated_at {TS} NOT NULL,
    UNIQUE (ingredient_id, storage_unit_id)
);
CREATE INDEX stock_policies_unit ON stock_policies(company_id, storage_unit_id)
"#;

const DOWN: &str = r#"
DROP TABLE stock_policies;
DROP INDEX purchase_orders_open;
ALTER TABLE purchase_orders DROP COLUMN storage_unit_id;
ALTER TABLE ingredients DROP COLUMN preferred_product_id;
ALTER TABLE products DROP COLUMN minimum_packs_micro;
ALTER TABLE vendors DROP COLUMN minimum_order_value_micro;
ALTER TABLE vendors DROP COLUMN order_weekdays;
ALTER TABLE vendors DROP COLUMN lead_time_days
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

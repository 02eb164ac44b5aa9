use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_orders"
    }
}

/// Vendor orders and their items; an item's received packs never exceed its ordered packs.
const UP: &str = r#"
CREATE TABLE purchase_orders (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    vendor_id BIGINT NOT NULL REFERENCES vendors(id),
    status TEXT NOT NULL CHECK (status IN ('DRAFT', 'SENT', 'PARTIAL', 'RECEIVED', 'CANCELLED')),
    reference TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at {TS} NOT NULL,
    sent_at {TS}
);
CREATE INDEX purchase_orders_company ON purchase_orders(company_id, status);
CREATE TABLE purchase_order_items (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    order_id BIGINT NOT NULL REFERENCES purchase_orders(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    packs_micro BIGINT NOT NULL CHECK (packs_micro > 0),
    price_per_pack_micro BIGINT NOT NULL CHECK (price_per_pack_micro >= 0),
    received_packs_micro BIGINT NOT NULL DEFAULT 0,
    CHECK (received_packs_micro >= 0 AND received_packs_micro <= packs_micro)
);
CREATE INDEX purchase_order_items_order ON purchase_order_items(order_id)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::run_sql(
            manager,
            "DROP TABLE purchase_order_items;\nDROP TABLE purchase_orders",
        )
        .await
    }
}

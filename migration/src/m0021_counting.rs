use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0021_counting"
    }
}

/// Counting anywhere (DESIGN.md, "Counting anywhere"): a storage unit's places in walking order,
/// each ingredient's place and position there, the entries counters make (idempotent by the
/// client's id), a company's blind-count setting, and one GTIN per company.
///
/// `gtin_key` is the GTIN padded to 14 digits, so the EAN-13 on a pack and the same number a
/// scanner sends as GTIN-14 are one code; it is unique among a company's products in use. Where
/// two products already share one, the older keeps it.
const UP: &str = r#"
ALTER TABLE companies ADD COLUMN blind_counts {BOOL} NOT NULL DEFAULT {FALSE};
ALTER TABLE products ADD COLUMN gtin_key TEXT;
UPDATE products SET gtin = NULL
 WHERE gtin IS NOT NULL AND archived_at IS NULL AND id NOT IN (
   SELECT MIN(p.id) FROM products p
    WHERE p.gtin IS NOT NULL AND p.archived_at IS NULL
    GROUP BY p.company_id, substr('00000000000000' || p.gtin, length(p.gtin) + 1));
UPDATE products SET gtin_key = substr('00000000000000' || gtin, length(gtin) + 1)
 WHERE gtin IS NOT NULL;
CREATE UNIQUE INDEX products_gtin_key ON products (company_id, gtin_key) WHERE archived_at IS NULL;
CREATE TABLE storage_places (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    archived_at {TS},
    created_at {TS} NOT NULL
);
CREATE UNIQUE INDEX storage_places_name ON storage_places (storage_unit_id, name) WHERE archived_at IS NULL;
CREATE INDEX storage_places_walk ON storage_places (storage_unit_id, position);
CREATE TABLE ingredient_places (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    storage_unit_id BIGINT NOT NULL REFERENCES storage_units(id),
    place_id BIGINT REFERENCES storage_places(id),
    position BIGINT NOT NULL
);
CREATE UNIQUE INDEX ingredient_places_pair ON ingredient_places (ingredient_id, storage_unit_id);
CREATE INDEX ingredient_places_walk ON ingredient_places (storage_unit_id, place_id, position);
CREATE TABLE count_entries (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    count_id BIGINT NOT NULL REFERENCES stock_counts(id),
    client_id TEXT NOT NULL,
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    place_id BIGINT REFERENCES storage_places(id),
    quantity_micro BIGINT NOT NULL,
    product_id BIGINT REFERENCES products(id),
    packs_micro BIGINT,
    loose_micro BIGINT,
    counted_at {TS} NOT NULL,
    counted_by BIGINT NOT NULL REFERENCES users(id),
    saved_at {TS} NOT NULL
);
CREATE UNIQUE INDEX count_entries_client ON count_entries (count_id, client_id);
CREATE INDEX count_entries_line ON count_entries (count_id, ingredient_id)
"#;

const DOWN: &str = r#"
DROP TABLE count_entries;
DROP TABLE ingredient_places;
DROP TABLE storage_places;
DROP INDEX products_gtin_key;
ALTER TABLE products DROP COLUMN gtin_key;
ALTER TABLE companies DROP COLUMN blind_counts
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

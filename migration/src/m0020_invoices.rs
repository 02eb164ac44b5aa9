use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0020_invoices"
    }
}

/// E-invoices (DESIGN.md, "E-invoices"): the invoice as read, its lines, the original file kept
/// byte for byte, the line names a vendor's invoices were matched by hand, and the two keys an
/// invoice finds its vendor and products by (a vendor's VAT id, a product's GTIN).
///
/// The same seller's invoice number is unique per company (`seller_key`: the VAT id, else the
/// name), and so is a file's SHA-256: a second import is refused even when two race.
const UP: &str = r#"
ALTER TABLE vendors ADD COLUMN vat_id TEXT;
ALTER TABLE products ADD COLUMN gtin TEXT;
CREATE INDEX vendors_vat_id ON vendors (company_id, vat_id);
CREATE INDEX products_gtin ON products (company_id, gtin);
CREATE TABLE invoices (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    syntax TEXT NOT NULL,
    type_code TEXT NOT NULL,
    issue_date {DATE} NOT NULL,
    currency TEXT NOT NULL,
    seller_name TEXT NOT NULL,
    seller_vat_id TEXT,
    seller_key TEXT NOT NULL,
    order_reference TEXT,
    vendor_id BIGINT REFERENCES vendors(id),
    purchase_order_id BIGINT REFERENCES purchase_orders(id),
    status TEXT NOT NULL,
    line_total TEXT NOT NULL,
    tax_total TEXT NOT NULL,
    grand_total TEXT NOT NULL,
    warnings TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    imported_by BIGINT REFERENCES users(id),
    imported_at {TS} NOT NULL,
    storage_unit_id BIGINT REFERENCES storage_units(id),
    posted_by BIGINT REFERENCES users(id),
    posted_at {TS}
);
CREATE UNIQUE INDEX invoices_seller_number ON invoices (company_id, seller_key, number);
CREATE UNIQUE INDEX invoices_sha256 ON invoices (company_id, sha256);
CREATE INDEX invoices_listing ON invoices (company_id, status, id);
CREATE TABLE invoice_lines (
    id {PK},
    invoice_id BIGINT NOT NULL REFERENCES invoices(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    position BIGINT NOT NULL,
    line_id TEXT NOT NULL,
    name TEXT NOT NULL,
    seller_item_id TEXT,
    gtin TEXT,
    quantity TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    net_price TEXT NOT NULL,
    price_base_quantity TEXT,
    net_amount TEXT NOT NULL,
    vat_percent TEXT,
    match_kind TEXT NOT NULL,
    product_id BIGINT REFERENCES products(id)
);
CREATE UNIQUE INDEX invoice_lines_position ON invoice_lines (invoice_id, position);
CREATE TABLE invoice_originals (
    invoice_id BIGINT PRIMARY KEY REFERENCES invoices(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    content_type TEXT NOT NULL,
    bytes {BLOB} NOT NULL
);
CREATE TABLE invoice_line_choices (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    vendor_id BIGINT NOT NULL REFERENCES vendors(id),
    line_name TEXT NOT NULL,
    product_id BIGINT REFERENCES products(id)
);
CREATE UNIQUE INDEX invoice_line_choices_name ON invoice_line_choices (company_id, vendor_id, line_name)
"#;

const DOWN: &str = r#"
DROP TABLE invoice_line_choices;
DROP TABLE invoice_originals;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP INDEX products_gtin;
DROP INDEX vendors_vat_id;
ALTER TABLE products DROP COLUMN gtin;
ALTER TABLE vendors DROP COLUMN vat_id
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

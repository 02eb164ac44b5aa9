use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

const UP: &str = r#"
CREATE TABLE companies (
    id {PK},
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    timezone TEXT NOT NULL,
    business_day_start_hour INTEGER NOT NULL,
    archived_at {TS},
    created_at {TS} NOT NULL
);
CREATE TABLE users (
    id {PK},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_login_count INTEGER NOT NULL DEFAULT 0,
    locked_until {TS},
    created_at {TS} NOT NULL
);
CREATE TABLE memberships (
    id {PK},
    user_id BIGINT NOT NULL REFERENCES users(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    role TEXT NOT NULL,
    created_at {TS} NOT NULL,
    UNIQUE (user_id, company_id)
);
CREATE INDEX memberships_company ON memberships(company_id);
CREATE TABLE sessions (
    id {PK},
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at {TS} NOT NULL,
    created_at {TS} NOT NULL
);
CREATE TABLE api_tokens (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at {TS} NOT NULL,
    expires_at {TS},
    last_used_at {TS},
    revoked_at {TS}
);
CREATE INDEX api_tokens_company ON api_tokens(company_id);
CREATE TABLE storage_units (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    address TEXT,
    archived_at {TS},
    created_at {TS} NOT NULL,
    UNIQUE (company_id, name)
);
CREATE TABLE ingredients (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    base_unit TEXT NOT NULL CHECK (base_unit IN ('KG', 'L', 'PCS')),
    category TEXT,
    active {BOOL} NOT NULL DEFAULT {TRUE},
    archived_at {TS},
    created_at {TS} NOT NULL,
    UNIQUE (company_id, name)
);
CREATE TABLE packaging_levels (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    name TEXT NOT NULL,
    factor_micro BIGINT NOT NULL CHECK (factor_micro > 0),
    UNIQUE (ingredient_id, name)
);
CREATE TABLE recipes (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    yield_micro BIGINT NOT NULL CHECK (yield_micro > 0),
    active {BOOL} NOT NULL DEFAULT {TRUE},
    default_issue_storage_unit_id BIGINT REFERENCES storage_units(id),
    archived_at {TS},
    created_at {TS} NOT NULL,
    UNIQUE (company_id, name)
);
CREATE TABLE recipe_lines (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    recipe_id BIGINT NOT NULL REFERENCES recipes(id),
    position INTEGER NOT NULL,
    ingredient_id BIGINT REFERENCES ingredients(id),
    sub_recipe_id BIGINT REFERENCES recipes(id),
    quantity_micro BIGINT NOT NULL CHECK (quantity_micro > 0),
    unit TEXT NOT NULL,
    trim_percent_micro BIGINT NOT NULL DEFAULT 0,
    issue_storage_unit_id BIGINT REFERENCES storage_units(id),
    CHECK ((ingredient_id IS NULL) <> (sub_recipe_id IS NULL))
);
CREATE INDEX recipe_lines_recipe ON recipe_lines(recipe_id, position);
CREATE TABLE vendors (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    notes TEXT,
    archived_at {TS},
    created_at {TS} NOT NULL,
    UNIQUE (company_id, name)
);
CREATE TABLE products (
    id {PK},
    company_id BIGINT NOT NULL REFERENCES companies(id),
    vendor_id BIGINT NOT NULL REFERENCES vendors(id),
    ingredient_id BIGINT NOT NULL REFERENCES ingredients(id),
    name TEXT NOT NULL,
    sku TEXT NOT NULL,
    pack_name TEXT NOT NULL,
    packaging_factor_micro BIGINT NOT NULL CHECK (packaging_factor_micro > 0),
    archived_at {TS},
    created_at {TS} NOT NULL,
    UNIQUE (vendor_id, sku)
);
CREATE INDEX products_company ON products(company_id)
"#;

const DOWN: &str = r#"
DROP TABLE products;
DROP TABLE vendors;
DROP TABLE recipe_lines;
DROP TABLE recipes;
DROP TABLE packaging_levels;
DROP TABLE ingredients;
DROP TABLE storage_units;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE companies
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

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pos_integrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub provider: String,
    pub name: String,
    pub connection_state: String,
    pub automatic_transfer: String,
    pub paused_at: Option<DateTimeUtc>,
    pub csv_config: Option<String>,
    pub credentials_enc: Option<String>,
    pub webhook_secret_enc: String,
    pub previous_webhook_secret_enc: Option<String>,
    pub previous_secret_valid_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub connection_error: Option<String>,
    pub connected_at: Option<DateTimeUtc>,
    pub locations_synced_at: Option<DateTimeUtc>,
    pub items_synced_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

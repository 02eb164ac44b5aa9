use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pos_integrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub company_id: i64,
    pub provider: Provider,
    pub name: String,
    pub connection_state: ConnectionState,
    pub automatic_transfer: AutomaticTransfer,
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

/// The POS an integration reads its sales from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Provider {
    #[sea_orm(string_value = "LIGHTSPEED_K")]
    LightspeedK,
    #[sea_orm(string_value = "SIDES")]
    Sides,
    #[sea_orm(string_value = "CSV")]
    Csv,
}

/// Whether an integration can reach its POS: NEEDS_RECONNECT when the POS refused its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ConnectionState {
    #[sea_orm(string_value = "NOT_CONNECTED")]
    NotConnected,
    #[sea_orm(string_value = "CONNECTED")]
    Connected,
    #[sea_orm(string_value = "NEEDS_RECONNECT")]
    NeedsReconnect,
}

/// Whether completed business days are posted automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum AutomaticTransfer {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "PAUSED")]
    Paused,
}

crate::said_as_words!(Provider, ConnectionState, AutomaticTransfer);

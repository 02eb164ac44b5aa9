use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pos_oauth_states")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub state: String,
    pub integration_id: i64,
    pub user_id: i64,
    pub pkce_verifier_enc: String,
    pub code_enc: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

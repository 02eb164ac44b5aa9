//! DataLoaders, one set per request, so nested fields of a list cost one query per field, not
//! one per row.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;
use service::food_cost::CostBasis;
use service::food_cost::recipe_cost::{RecipeCost, recipe_costs};
use service::owned::ById;
use service::records;

/// Records `R` by id. Only reached from rows the caller may already see, in their company.
pub struct RecordLoader<R> {
    db: DatabaseConnection,
    record: PhantomData<R>,
}

impl<R: ById> Loader<i64> for RecordLoader<R> {
    type Value = R;
    type Error = Arc<service::ServiceError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, R>, Self::Error> {
        service::owned::by_ids::<R, _>(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

pub struct RecipeLinesLoader(DatabaseConnection);

impl Loader<i64> for RecipeLinesLoader {
    type Value = Vec<records::RecipeLine>;
    type Error = Arc<service::ServiceError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        service::recipes::lines_of(&self.0, keys)
            .await
            .map_err(Arc::new)
    }
}

pub struct PackagingLevelsLoader(DatabaseConnection);

impl Loader<i64> for PackagingLevelsLoader {
    type Value = Vec<records::PackagingLevel>;
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

/// Recipe costs on one basis, many recipes at a time: a recipe list costs one expansion book
/// and one cost table per company, not one per recipe.
pub struct RecipeCostLoader(DatabaseConnection);

impl Loader<(i64, CostBasis)> for RecipeCostLoader {
    type Value = Arc<RecipeCost>;
    type Error = Arc<service::ServiceError>;

    async fn load(
        &self,
        keys: &[(i64, CostBasis)],
    ) -> Result<HashMap<(i64, CostBasis), Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for basis in [CostBasis::Average, CostBasis::LatestReceipt] {
            let ids: Vec<i64> = keys.iter().filter(|k| k.1 == basis).map(|k| k.0).collect();
            if ids.is_empty() {
                continue;
            }
            let costs = recipe_costs(&self.0, &ids, basis).await.map_err(Arc::new)?;
            out.extend(
                costs
                    .into_iter()
                    .map(|(id, cost)| ((id, basis), Arc::new(cost))),
            );
        }
        Ok(out)
    }
}

/// All loaders of one request.
pub struct Loaders {
    pub companies: DataLoader<RecordLoader<records::Company>>,
    pub ingredients: DataLoader<RecordLoader<records::Ingredient>>,
    pub recipes: DataLoader<RecordLoader<records::Recipe>>,
    pub storage_units: DataLoader<RecordLoader<records::StorageUnit>>,
    pub storage_places: DataLoader<RecordLoader<records::StoragePlace>>,
    pub users: DataLoader<RecordLoader<records::User>>,
    pub vendors: DataLoader<RecordLoader<records::Vendor>>,
    pub products: DataLoader<RecordLoader<records::Product>>,
    pub recipe_lines: DataLoader<RecipeLinesLoader>,
    pub packaging_levels: DataLoader<PackagingLevelsLoader>,
    pub recipe_books: DataLoader<RecipeBookLoader, HashMapCache>,
    pub pending_transfers: DataLoader<PendingTransfersLoader>,
    pub recipe_costs: DataLoader<RecipeCostLoader>,
}

fn record_loader<R: ById>(db: &DatabaseConnection) -> DataLoader<RecordLoader<R>> {
    DataLoader::new(
        RecordLoader {
            db: db.clone(),
            record: PhantomData,
        },
        tokio::spawn,
    )
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            companies: record_loader(db),
            ingredients: record_loader(db),
            recipes: record_loader(db),
            storage_units: record_loader(db),
            storage_places: record_loader(db),
            users: record_loader(db),
            vendors: record_loader(db),
            products: record_loader(db),
            recipe_lines: DataLoader::new(RecipeLinesLoader(db.clone()), tokio::spawn),
            packaging_levels: DataLoader::new(PackagingLevelsLoader(db.clone()), tokio::spawn),
            pending_transfers: DataLoader::new(PendingTransfersLoader(db.clone()), tokio::spawn),
            recipe_costs: DataLoader::new(RecipeCostLoader(db.clone()), tokio::spawn),
            recipe_books: DataLoader::with_cache(
                RecipeBookLoader(db.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
        }
    }
}

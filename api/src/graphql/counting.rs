//! Counting anywhere over GraphQL: a storage unit's places and where ingredients stand, barcodes,
//! and the entries several counters make into one count. Every rule is in
//! `service::counting`; these resolvers parse ids and name fields.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::counting::{barcodes, entries, places};
use service::ingredients::QuantityUnit;
use service::quantity::from_micro;
use service::records;

use super::context::{ContextExt, id, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::loaders::Loaders;
use super::scalars::Unit;
use super::stock_counts::StockCount;
use super::types::{Ingredient, Product, User};

pub struct StoragePlace(pub records::StoragePlace);

#[Object]
impl StoragePlace {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 0, 1, 2 … in walking order among the storage unit's places.
    async fn position(&self) -> i32 {
        self.0.position as i32
    }
    /// The ingredients kept here, in the order a count walks them.
    async fn ingredients(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Ingredient>> {
        Ok(places::ingredients_at(ctx.db(), &self.0)
            .await
            .gql()?
            .into_iter()
            .map(Ingredient)
            .collect())
    }
    /// Removed from the walk (a count made before may still name it).
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
}

pub(super) async fn load_place(
    ctx: &Context<'_>,
    place_id: Option<i64>,
) -> async_graphql::Result<Option<StoragePlace>> {
    let Some(place_id) = place_id else {
        return Ok(None);
    };
    Ok(ctx
        .data_unchecked::<Loaders>()
        .storage_places
        .load_one(place_id)
        .await
        .map_err(internal)?
        .map(StoragePlace))
}

pub(super) async fn load_ingredient(
    ctx: &Context<'_>,
    ingredient_id: i64,
) -> async_graphql::Result<Ingredient> {
    ctx.data_unchecked::<Loaders>()
        .ingredients
        .load_one(ingredient_id)
        .await
        .map_err(internal)?
        .map(Ingredient)
        .ok_or_else(|| internal("a count names an ingredient that is gone"))
}

/// What a scanned code names.
pub struct BarcodeMatch(barcodes::BarcodeMatch);

#[Object]
impl BarcodeMatch {
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Null: no product of the company carries this code (offer to assign it).
    async fn product(&self) -> Option<Product> {
        self.0.product.clone().map(Product)
    }
    async fn ingredient(&self) -> Option<Ingredient> {
        self.0.ingredient.clone().map(Ingredient)
    }
}

/// What one counter found of one ingredient at one place.
pub struct CountEntry(pub records::CountEntry);

#[Object]
impl CountEntry {
    /// The id the counter's device made; saving it again changes nothing.
    async fn client_id(&self) -> &str {
        &self.0.client_id
    }
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Ingredient> {
        load_ingredient(ctx, self.0.ingredient_id).await
    }
    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StoragePlace>> {
        load_place(ctx, self.0.place_id).await
    }
    /// Packs and loose together, in the ingredient's base unit.
    async fn quantity(&self) -> Decimal {
        from_micro(self.0.quantity_micro)
    }
    /// The packs as counted (null: none were).
    async fn packs(&self) -> Option<Decimal> {
        self.0.packs_micro.map(from_micro)
    }
    /// Whose packs were counted (null: a packaging level's, or no packs).
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        let Some(product_id) = self.0.product_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .products
            .load_one(product_id)
            .await
            .map_err(internal)?
            .map(Product))
    }
    /// The loose part in the base unit (null: none was entered).
    async fn loose_quantity(&self) -> Option<Decimal> {
        self.0.loose_micro.map(from_micro)
    }
    async fn counted_at(&self) -> DateTime<Utc> {
        self.0.counted_at
    }
    async fn counted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        ctx.data_unchecked::<Loaders>()
            .users
            .load_one(self.0.counted_by)
            .await
            .map_err(internal)?
            .map(User)
            .ok_or_else(|| internal("a count entry names a user that is gone"))
    }
}

/// Two counters' entries at one place that disagree; the later stands until a newer entry
/// settles it.
pub struct CountConflict(pub entries::Conflict);

#[Object]
impl CountConflict {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Ingredient> {
        load_ingredient(ctx, self.0.ingredient_id).await
    }
    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StoragePlace>> {
        load_place(ctx, self.0.place_id).await
    }
    /// The earlier and the later (standing) entry.
    async fn entries(&self) -> Vec<CountEntry> {
        self.0.entries.iter().cloned().map(CountEntry).collect()
    }
}

#[derive(InputObject)]
pub struct CountEntryInput {
    /// Made by the device (a UUID): saving the same entry again changes nothing.
    pub client_id: String,
    pub ingredient_id: ID,
    /// A place of the count's storage unit; null: not at a place.
    pub place_id: Option<ID>,
    /// Packs of `productId` (default: the preferred product, else the smallest packaging level).
    pub packs: Option<Decimal>,
    pub product_id: Option<ID>,
    /// Loose, in `unit` (default: the base unit); added to the packs.
    pub quantity: Option<Decimal>,
    pub unit: Option<Unit>,
    pub counted_at: DateTime<Utc>,
}

fn entry_input(i: usize, e: CountEntryInput) -> async_graphql::Result<entries::CountEntryInput> {
    let at = |f: &str| format!("entries[{i}].{f}");
    Ok(entries::CountEntryInput {
        client_id: e.client_id,
        ingredient_id: parse_id(&e.ingredient_id, "ingredient", &at("ingredientId"))?,
        place_id: parse_opt_id(&e.place_id, places::ENTITY, &at("placeId"))?,
        packs: e.packs,
        product_id: parse_opt_id(&e.product_id, "product", &at("productId"))?,
        quantity: e.quantity,
        unit: e.unit.map(|u| QuantityUnit::Unit(u.into())),
        counted_at: e.counted_at,
    })
}

#[derive(Default)]
pub struct CountingQuery;

#[Object]
impl CountingQuery {
    /// The product and ingredient a scanned GTIN names in the company (both null: unknown).
    async fn find_by_barcode(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        code: String,
    ) -> async_graphql::Result<BarcodeMatch> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        Ok(BarcodeMatch(
            barcodes::find(ctx.db(), ctx.principal()?, company_id, &code)
                .await
                .gql()?,
        ))
    }
}

#[derive(Default)]
pub struct CountingMutation;

#[Object]
impl CountingMutation {
    /// A new place of the storage unit at `position` (default: last).
    async fn create_storage_place(
        &self,
        ctx: &Context<'_>,
        storage_unit_id: ID,
        name: String,
        position: Option<i32>,
    ) -> async_graphql::Result<StoragePlace> {
        let unit = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        Ok(StoragePlace(
            places::create(ctx.db(), ctx.principal()?, unit, &name, position)
                .await
                .gql()?,
        ))
    }

    async fn rename_storage_place(
        &self,
        ctx: &Context<'_>,
        id: ID,
        name: String,
    ) -> async_graphql::Result<StoragePlace> {
        let id = parse_id(&id, places::ENTITY, "id")?;
        Ok(StoragePlace(
            places::rename(ctx.db(), ctx.principal()?, id, &name)
                .await
                .gql()?,
        ))
    }

    /// Removes a place from the walk; its ingredients become unplaced.
    async fn remove_storage_place(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let id = parse_id(&id, places::ENTITY, "id")?;
        places::remove(ctx.db(), ctx.principal()?, id).await.gql()
    }

    /// The storage unit's places in a new order: every place once.
    async fn arrange_storage_places(
        &self,
        ctx: &Context<'_>,
        storage_unit_id: ID,
        place_ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<StoragePlace>> {
        let unit = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let ids = place_ids
            .iter()
            .enumerate()
            .map(|(i, p)| parse_id(p, places::ENTITY, &format!("placeIds[{i}]")))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(places::arrange(ctx.db(), ctx.principal()?, unit, &ids)
            .await
            .gql()?
            .into_iter()
            .map(StoragePlace)
            .collect())
    }

    /// Where an ingredient stands in a storage unit: a place (null: unplaced) and its position
    /// there (default: last).
    async fn set_ingredient_place(
        &self,
        ctx: &Context<'_>,
        ingredient_id: ID,
        storage_unit_id: ID,
        place_id: Option<ID>,
        position: Option<i32>,
    ) -> async_graphql::Result<bool> {
        let ingredient = parse_id(&ingredient_id, "ingredient", "ingredientId")?;
        let unit = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let place = parse_opt_id(&place_id, places::ENTITY, "placeId")?;
        places::place_ingredients(
            ctx.db(),
            ctx.principal()?,
            unit,
            place,
            &[ingredient],
            position,
        )
        .await
        .gql()?;
        Ok(true)
    }

    /// Many ingredients onto one place at once, in the order given, from `position` on
    /// (default: after what stands there).
    async fn place_ingredients(
        &self,
        ctx: &Context<'_>,
        storage_unit_id: ID,
        place_id: Option<ID>,
        ingredient_ids: Vec<ID>,
        position: Option<i32>,
    ) -> async_graphql::Result<bool> {
        let unit = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let place = parse_opt_id(&place_id, places::ENTITY, "placeId")?;
        let ids = ingredient_ids
            .iter()
            .enumerate()
            .map(|(i, p)| parse_id(p, "ingredient", &format!("ingredientIds[{i}]")))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        places::place_ingredients(ctx.db(), ctx.principal()?, unit, place, &ids, position)
            .await
            .gql()?;
        Ok(true)
    }

    /// Saves entries into an open count, each once by its client id (sending them again is
    /// safe); the counted quantities follow.
    async fn save_count_entries(
        &self,
        ctx: &Context<'_>,
        count_id: ID,
        entries: Vec<CountEntryInput>,
    ) -> async_graphql::Result<StockCount> {
        let id = parse_id(&count_id, service::stock_counts::ENTITY, "countId")?;
        let inputs = entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| entry_input(i, e))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(StockCount(
            entries::save(ctx.db(), ctx.principal()?, id, &inputs)
                .await
                .gql()?,
        ))
    }

    /// Gives a product without a GTIN the scanned code (a counter may fill a blank; changing one
    /// is `updateProduct`, for managers).
    async fn assign_barcode(
        &self,
        ctx: &Context<'_>,
        product_id: ID,
        code: String,
    ) -> async_graphql::Result<Product> {
        let id = parse_id(&product_id, "product", "productId")?;
        Ok(Product(
            barcodes::assign(ctx.db(), ctx.principal()?, id, &code)
                .await
                .gql()?,
        ))
    }
}

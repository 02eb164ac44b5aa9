//! Stock counts over GraphQL: sessions (start, save, post) and the one-step `postStockCount`.

use async_graphql::connection::{Connection, OpaqueCursor};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use service::counting::{entries, sheet};
use service::ingredients::QuantityUnit;
use service::records;
use service::stock_counts;
use service::storage_units;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::counting::{CountConflict, CountEntry, StoragePlace, load_place};
use super::errors::{GqlResult, internal};
use super::ledger::LedgerEntry;
use super::loaders::Loaders;
use super::paging::{PageArgs, TotalCount, paged};
use super::scalars::Unit;
use super::types::{Ingredient, StorageUnit};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::stock_counts::CountStatus")]
pub enum StockCountStatus {
    Open,
    Posted,
    Cancelled,
}

pub struct StockCount(pub records::StockCount);

#[Object]
impl StockCount {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// OPEN, POSTED or CANCELLED.
    async fn status(&self) -> StockCountStatus {
        self.0.status.into()
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        Ok(ctx
            .data_unchecked::<Loaders>()
            .storage_units
            .load_one(self.0.storage_unit_id)
            .await
            .map_err(internal)?
            .map(StorageUnit))
    }
    async fn counted_at(&self) -> Option<DateTime<Utc>> {
        self.0.counted_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// A line whose difference is over this share of its books (in percent) is flagged `check`.
    async fn check_above_percent(&self) -> i32 {
        stock_counts::CHECK_ABOVE_PERCENT as i32
    }
    /// Every listed line in walking order (places in order, positions within, the unplaced
    /// last), with its book quantity — now while open, at the count time once posted — except
    /// in a blind count read by staff.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StockCountLine>> {
        let mut out = Vec::new();
        for line in sheet::lines(ctx.db(), ctx.principal()?, &self.0)
            .await
            .gql()?
        {
            let ingredient = ctx
                .data_unchecked::<Loaders>()
                .ingredients
                .load_one(line.ingredient_id)
                .await
                .map_err(internal)?
                .map(Ingredient);
            out.push(StockCountLine {
                ingredient,
                place: load_place(ctx, line.place_id).await?,
                book_quantity: line.book,
                counted_quantity: line.counted,
                difference: line.difference,
                check: line.check,
            });
        }
        Ok(out)
    }
    /// Whether the books are withheld from the caller on this sheet (a blind count, read by
    /// staff).
    async fn blind(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let company = sheet::company_of(ctx.db(), &self.0).await.gql()?;
        Ok(!sheet::sees_books(ctx.principal()?, &company))
    }
    /// Every counter's entries, in the order they were counted.
    async fn entries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CountEntry>> {
        let mut rows = entries::list(ctx.db(), self.0.id).await.gql()?;
        rows.sort_by(|a, b| (a.counted_at, &a.client_id).cmp(&(b.counted_at, &b.client_id)));
        Ok(rows.into_iter().map(CountEntry).collect())
    }
    /// Places where two counters disagree and no newer entry has settled it yet.
    async fn conflicts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CountConflict>> {
        let rows = entries::list(ctx.db(), self.0.id).await.gql()?;
        Ok(entries::settle_all(&rows)
            .conflicts
            .into_iter()
            .map(CountConflict)
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct StockCountLine {
    pub ingredient: Option<Ingredient>,
    /// Where the ingredient stands in this storage unit (null: not placed).
    pub place: Option<StoragePlace>,
    /// Null in a blind count read by staff.
    pub book_quantity: Option<Decimal>,
    /// Null: not counted (left untouched when posting).
    pub counted_quantity: Option<Decimal>,
    pub difference: Option<Decimal>,
    /// The difference is over 20 % of the books: worth a second look before posting.
    pub check: bool,
}

#[derive(InputObject)]
pub struct CountDraftInput {
    pub ingredient_id: ID,
    /// Null clears the count of this line.
    pub counted_quantity: Option<Decimal>,
    pub unit: Option<Unit>,
}

#[derive(SimpleObject)]
pub struct PostedStockCount {
    pub count: StockCount,
    pub adjustments: Vec<LedgerEntry>,
}

#[derive(Default)]
pub struct StockCountQuery;

#[Object]
impl StockCountQuery {
    async fn stock_count(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<StockCount> {
        let id = parse_id(&id, stock_counts::ENTITY, "id")?;
        Ok(StockCount(
            stock_counts::get(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }

    /// Stock counts a page at a time, newest first: by status and storage unit.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::page_cost(first, last, 20, child_complexity)")]
    async fn stock_count_connection(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        status: Option<StockCountStatus>,
        storage_unit_id: Option<ID>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<i64>, StockCount, TotalCount>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = stock_counts::CountFilter {
            status: status.map(Into::into),
            storage_unit_id: parse_opt_id(
                &storage_unit_id,
                storage_units::ENTITY,
                "storageUnitId",
            )?,
        };
        let (db, principal) = (ctx.db(), ctx.principal()?);
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        paged(
            args,
            |request| async move {
                stock_counts::page(db, principal, company_id, &filter, &request)
                    .await
                    .gql()
            },
            |row| row.id,
            StockCount,
        )
        .await
    }

    async fn stock_counts(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        status: Option<StockCountStatus>,
    ) -> async_graphql::Result<Vec<StockCount>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let rows = stock_counts::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            status.map(Into::into),
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(StockCount).collect())
    }
}

#[derive(InputObject)]
pub struct CountLineInput {
    pub ingredient_id: ID,
    pub counted_quantity: Decimal,
    pub unit: Option<Unit>,
}

/// Line `i` of a count as the service takes it.
fn count_line(
    i: usize,
    ingredient_id: &ID,
    counted: Option<Decimal>,
    unit: Option<Unit>,
) -> async_graphql::Result<stock_counts::CountLineInput> {
    Ok(stock_counts::CountLineInput {
        ingredient_id: parse_id(
            ingredient_id,
            "ingredient",
            &format!("lines[{i}].ingredientId"),
        )?,
        counted,
        unit: unit.map(|u| QuantityUnit::Unit(u.into())),
    })
}

#[derive(Default)]
pub struct StockCountMutation;

#[Object]
impl StockCountMutation {
    /// Opens a count of the storage unit listing what it holds, or resumes the open one.
    async fn start_stock_count(
        &self,
        ctx: &Context<'_>,
        storage_unit_id: ID,
    ) -> async_graphql::Result<StockCount> {
        let id = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        Ok(StockCount(
            stock_counts::start(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }

    /// Saves counted quantities as a draft.
    async fn save_stock_count(
        &self,
        ctx: &Context<'_>,
        count_id: ID,
        lines: Vec<CountDraftInput>,
    ) -> async_graphql::Result<StockCount> {
        let id = parse_id(&count_id, stock_counts::ENTITY, "countId")?;
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| count_line(i, &l.ingredient_id, l.counted_quantity, l.unit))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        Ok(StockCount(
            stock_counts::save_lines(ctx.db(), ctx.principal()?, id, lines)
                .await
                .gql()?,
        ))
    }

    /// Counted quantities against the books at `countedAt`, in one step: the count is recorded
    /// posted, with one ADJUST per difference (those are returned).
    async fn post_stock_count(
        &self,
        ctx: &Context<'_>,
        storage_unit_id: ID,
        counted_at: DateTime<Utc>,
        lines: Vec<CountLineInput>,
    ) -> async_graphql::Result<Vec<LedgerEntry>> {
        let storage = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| count_line(i, &l.ingredient_id, Some(l.counted_quantity), l.unit))
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let (_, posted) =
            stock_counts::count_and_post(ctx.db(), ctx.principal()?, storage, counted_at, lines)
                .await
                .gql()?;
        Ok(posted.into_iter().map(LedgerEntry).collect())
    }

    /// Posts the count once: one ADJUST per counted line that differs from the books.
    async fn post_stock_count_session(
        &self,
        ctx: &Context<'_>,
        count_id: ID,
        counted_at: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<PostedStockCount> {
        let id = parse_id(&count_id, stock_counts::ENTITY, "countId")?;
        let (count, posted) = stock_counts::post(ctx.db(), ctx.principal()?, id, counted_at)
            .await
            .gql()?;
        Ok(PostedStockCount {
            count: StockCount(count),
            adjustments: posted.into_iter().map(LedgerEntry).collect(),
        })
    }

    async fn cancel_stock_count(
        &self,
        ctx: &Context<'_>,
        count_id: ID,
    ) -> async_graphql::Result<StockCount> {
        let id = parse_id(&count_id, stock_counts::ENTITY, "countId")?;
        Ok(StockCount(
            stock_counts::cancel(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }
}

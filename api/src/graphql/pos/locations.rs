//! POS locations over GraphQL: linking each to a storage unit, activating it (the 90-day
//! migration), the day-by-day sales imports and their log, manual imports.

use crate::graphql::context::{ContextExt, id, parse_id};
use crate::graphql::errors::{GqlResult, internal};
use crate::graphql::jobs::JobRun;
use crate::graphql::loaders::Loaders;
use crate::graphql::types::StorageUnit;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use service::access::Role as ServiceRole;
use service::job_runs;
use service::pos::{integrations, locations, pipeline};
use service::records;

pub struct PosLocation(pub records::PosLocation);

#[Object]
impl PosLocation {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// The POS's timezone for this location (Lightspeed lists one per business location).
    async fn timezone(&self) -> Option<&str> {
        self.0.timezone.as_deref()
    }
    /// False once a sync found the POS no longer lists this location (closed, or taken off the
    /// account): it keeps its setup and history, cannot be activated, and is not transferred
    /// automatically until a sync finds it again.
    async fn listed_by_pos(&self) -> bool {
        self.0.synced
    }
    async fn integration_id(&self) -> ID {
        id(self.0.integration_id)
    }
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn activated_at(&self) -> Option<DateTime<Utc>> {
        self.0.activated_at
    }
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        let Some(unit) = self.0.storage_unit_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .storage_units
            .load_one(unit)
            .await
            .map_err(internal)?
            .map(StorageUnit))
    }
    /// The location's latest job (its migration, a transfer or an import).
    async fn latest_job(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<JobRun>> {
        Ok(job_runs::list(
            ctx.db(),
            ctx.principal()?,
            self.0.company_id,
            1,
            Some(self.0.id),
        )
        .await
        .gql()?
        .into_iter()
        .next()
        .map(JobRun))
    }
    async fn untransferred_days(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<NaiveDate>> {
        locations::unimported_days(ctx.db(), &self.0).await.gql()
    }
    /// Transfer logs, newest first.
    #[graphql(complexity = "crate::graphql::page_cost(first, None, 30, child_complexity)")]
    async fn transfer_logs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<SalesImportLog>> {
        Ok(pipeline::day_logs(
            ctx.db(),
            ctx.principal()?,
            self.0.id,
            first.unwrap_or(30).max(1) as u64,
        )
        .await
        .gql()?
        .into_iter()
        .map(SalesImportLog)
        .collect())
    }
}

/// One import of a business day's sales into the ledger (GraphQL keeps the contract's name).
#[derive(Clone)]
pub struct SalesImportLog(pub records::SalesImport);

#[Object(name = "TransferLog")]
impl SalesImportLog {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn business_date(&self) -> NaiveDate {
        self.0.business_date
    }
    async fn job_id(&self) -> Option<ID> {
        self.0.job_run_id.map(id)
    }
    async fn transferred_at(&self) -> DateTime<Utc> {
        self.0.transferred_at
    }
    async fn lines_total(&self) -> i64 {
        self.0.lines_total
    }
    async fn lines_posted(&self) -> i64 {
        self.0.lines_posted
    }
    async fn lines_skipped(&self) -> i64 {
        self.0.lines_skipped
    }
    async fn lines_unmapped(&self) -> i64 {
        self.0.lines_unmapped
    }
    async fn entries_posted(&self) -> i64 {
        self.0.entries_posted
    }
    /// Skipped lines with why, unmapped items and errors, as JSON.
    async fn details(&self) -> &str {
        &self.0.log
    }
}

#[derive(Default)]
pub struct LocationQuery;

#[Object]
impl LocationQuery {
    async fn pos_location(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<PosLocation> {
        let id = parse_id(&id, locations::ENTITY, "id")?;
        Ok(PosLocation(
            locations::get(ctx.db(), ctx.principal()?, id, ServiceRole::Viewer)
                .await
                .gql()?,
        ))
    }
}

#[derive(Default)]
pub struct LocationMutation;

#[Object]
impl LocationMutation {
    /// A location of a CSV integration (live POSes sync theirs).
    async fn create_pos_location(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        external_id: String,
        name: String,
    ) -> async_graphql::Result<PosLocation> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        Ok(PosLocation(
            locations::create(
                ctx.db(),
                ctx.principal()?,
                integration_id,
                &external_id,
                &name,
            )
            .await
            .gql()?,
        ))
    }

    async fn link_storage_unit(
        &self,
        ctx: &Context<'_>,
        location_id: ID,
        storage_unit_id: ID,
    ) -> async_graphql::Result<PosLocation> {
        let location_id = parse_id(&location_id, locations::ENTITY, "locationId")?;
        let unit = parse_id(&storage_unit_id, "storage unit", "storageUnitId")?;
        Ok(PosLocation(
            locations::link_storage_unit(ctx.db(), ctx.principal()?, location_id, unit)
                .await
                .gql()?,
        ))
    }

    /// Activates a location and starts its 90-day historical migration.
    async fn activate_location(
        &self,
        ctx: &Context<'_>,
        location_id: ID,
    ) -> async_graphql::Result<JobRun> {
        let location_id = parse_id(&location_id, locations::ENTITY, "locationId")?;
        Ok(JobRun(
            locations::activate(ctx.db(), ctx.principal()?, location_id)
                .await
                .gql()?,
        ))
    }

    async fn deactivate_location(
        &self,
        ctx: &Context<'_>,
        location_id: ID,
    ) -> async_graphql::Result<PosLocation> {
        let location_id = parse_id(&location_id, locations::ENTITY, "locationId")?;
        Ok(PosLocation(
            locations::deactivate(ctx.db(), ctx.principal()?, location_id)
                .await
                .gql()?,
        ))
    }

    /// Runs the historical migration again (after mappings were added or fixed); each day posts
    /// only what changed.
    async fn rerun_migration(
        &self,
        ctx: &Context<'_>,
        location_id: ID,
    ) -> async_graphql::Result<JobRun> {
        let location_id = parse_id(&location_id, locations::ENTITY, "locationId")?;
        Ok(JobRun(
            locations::rerun_migration(ctx.db(), ctx.principal()?, location_id)
                .await
                .gql()?,
        ))
    }

    /// Transfers one completed business day of an active location.
    async fn start_manual_transfer(
        &self,
        ctx: &Context<'_>,
        location_id: ID,
        business_date: NaiveDate,
    ) -> async_graphql::Result<JobRun> {
        let location_id = parse_id(&location_id, locations::ENTITY, "locationId")?;
        Ok(JobRun(
            locations::start_manual_import(ctx.db(), ctx.principal()?, location_id, business_date)
                .await
                .gql()?,
        ))
    }

    /// Queues every untransferred day of the integration's active locations.
    async fn transfer_untransferred_days(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<Vec<JobRun>> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        Ok(
            locations::import_unimported(ctx.db(), ctx.principal()?, integration_id)
                .await
                .gql()?
                .into_iter()
                .map(JobRun)
                .collect(),
        )
    }
}

//! POS integrations, locations, mappings, CSV uploads, transfers and jobs over GraphQL. Each
//! resolver translates and calls one service function.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Upload};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{job_run, pos_day_transfer, pos_integration, pos_location, pos_mapping};
use rust_decimal::Decimal;
use service::access::Role as ServiceRole;
use service::job_runs;
use service::pos::csv_import::{self, CsvConfig};
use service::pos::live::{lightspeed, sides, sync};
use service::pos::mappings::{self, Target};
use service::pos::{Provider, integrations, locations, pipeline, uploads};
use service::quantity::from_micro;

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::loaders::Loaders;
use super::types::{Ingredient, Recipe, StorageUnit};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum PosProvider {
    LightspeedK,
    Sides,
    Csv,
}

impl From<PosProvider> for Provider {
    fn from(p: PosProvider) -> Self {
        match p {
            PosProvider::LightspeedK => Provider::LightspeedK,
            PosProvider::Sides => Provider::Sides,
            PosProvider::Csv => Provider::Csv,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum PosConnectionState {
    NotConnected,
    Connected,
    NeedsReconnect,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AutomaticTransferState {
    Active,
    Paused,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum JobKind {
    HistoricalMigration,
    ManualTransfer,
    AutomaticTransfer,
    CsvImport,
    SyncLocations,
    SyncItems,
}

async fn queue_sync(
    ctx: &Context<'_>,
    integration_id: &ID,
    kind: job_runs::JobKind,
) -> async_graphql::Result<JobRun> {
    let integration_id = parse_id(integration_id, "POS integration", "integrationId")?;
    Ok(JobRun(
        sync::queue(ctx.db(), ctx.principal()?, integration_id, kind)
            .await
            .gql()?,
    ))
}

/// A Sides login (checked with Sides before anything is stored).
#[derive(InputObject)]
pub struct SidesLoginInput {
    pub username: String,
    pub password: String,
}

impl From<SidesLoginInput> for sides::Login {
    fn from(l: SidesLoginInput) -> Self {
        Self {
            username: l.username,
            password: l.password,
        }
    }
}

/// Which items a mapping list shows.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum MappingFilter {
    All,
    Unmapped,
    Mapped,
    Ignored,
}

fn id(v: i64) -> ID {
    ID(v.to_string())
}

pub struct PosIntegration(pub pos_integration::Model);

#[Object]
impl PosIntegration {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn company_id(&self) -> ID {
        id(self.0.company_id)
    }
    async fn provider(&self) -> PosProvider {
        match self.0.provider.as_str() {
            "LIGHTSPEED_K" => PosProvider::LightspeedK,
            "SIDES" => PosProvider::Sides,
            _ => PosProvider::Csv,
        }
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn connection_state(&self) -> PosConnectionState {
        match self.0.connection_state.as_str() {
            "CONNECTED" => PosConnectionState::Connected,
            "NEEDS_RECONNECT" => PosConnectionState::NeedsReconnect,
            _ => PosConnectionState::NotConnected,
        }
    }
    async fn automatic_transfer(&self) -> AutomaticTransferState {
        if self.0.automatic_transfer == "PAUSED" {
            AutomaticTransferState::Paused
        } else {
            AutomaticTransferState::Active
        }
    }
    async fn paused_at(&self) -> Option<DateTime<Utc>> {
        self.0.paused_at
    }
    /// Why the connection needs attention (a refused token refresh), when it does.
    async fn connection_error(&self) -> Option<&str> {
        self.0.connection_error.as_deref()
    }
    async fn connected_at(&self) -> Option<DateTime<Utc>> {
        self.0.connected_at
    }
    async fn locations_synced_at(&self) -> Option<DateTime<Utc>> {
        self.0.locations_synced_at
    }
    async fn items_synced_at(&self) -> Option<DateTime<Utc>> {
        self.0.items_synced_at
    }
    async fn csv_config(&self) -> Option<CsvConfigView> {
        integrations::csv_config(&self.0).ok().map(CsvConfigView)
    }
    async fn locations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PosLocation>> {
        Ok(locations::list(ctx.db(), self.0.id)
            .await
            .gql()?
            .into_iter()
            .map(PosLocation)
            .collect())
    }
    /// Completed business days of active locations that were never transferred (missed while
    /// paused, or failed).
    async fn untransferred_days(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<UntransferredDay>> {
        Ok(locations::untransferred_by_location(ctx.db(), self.0.id)
            .await
            .gql()?
            .into_iter()
            .flat_map(|(location, dates)| {
                dates.into_iter().map(move |date| UntransferredDay {
                    location_id: id(location.id),
                    location_name: location.name.clone(),
                    business_date: date,
                })
            })
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct UntransferredDay {
    pub location_id: ID,
    pub location_name: String,
    pub business_date: NaiveDate,
}

pub struct CsvConfigView(CsvConfig);

#[Object(name = "CsvImportConfig")]
impl CsvConfigView {
    async fn delimiter(&self) -> &str {
        &self.0.delimiter
    }
    async fn has_header(&self) -> bool {
        self.0.has_header
    }
    async fn code_column(&self) -> &str {
        &self.0.code_column
    }
    async fn name_column(&self) -> Option<&str> {
        self.0.name_column.as_deref()
    }
    async fn quantity_column(&self) -> &str {
        &self.0.quantity_column
    }
    async fn sales_value_column(&self) -> Option<&str> {
        self.0.sales_value_column.as_deref()
    }
    async fn date_column(&self) -> &str {
        &self.0.date_column
    }
    async fn date_format(&self) -> &str {
        &self.0.date_format
    }
    async fn decimal_separator(&self) -> &str {
        self.0.decimal_separator.as_deref().unwrap_or(".")
    }
    async fn encoding(&self) -> &str {
        self.0.encoding.as_deref().unwrap_or("utf-8")
    }
}

pub struct PosLocation(pub pos_location::Model);

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
        locations::untransferred_days(ctx.db(), &self.0).await.gql()
    }
    /// Transfer logs, newest first.
    #[graphql(complexity = "super::page_cost(first, None, 30, child_complexity)")]
    async fn transfer_logs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<TransferLog>> {
        Ok(pipeline::day_logs(
            ctx.db(),
            ctx.principal()?,
            self.0.id,
            first.unwrap_or(30).max(1) as u64,
        )
        .await
        .gql()?
        .into_iter()
        .map(TransferLog)
        .collect())
    }
}

pub struct TransferLog(pub pos_day_transfer::Model);

#[Object]
impl TransferLog {
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

pub struct PosItem(pub mappings::ItemView);

#[Object]
impl PosItem {
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn mapping(&self) -> Option<PosMapping> {
        self.0.mapping.clone().map(PosMapping)
    }
    /// Units sold over the period asked for (all time by default); refunds subtract.
    async fn amount_sold(&self) -> Decimal {
        self.0.amount_sold
    }
    async fn sales_value(&self) -> Decimal {
        self.0.sales_value
    }
}

pub struct PosMapping(pub pos_mapping::Model);

#[Object]
impl PosMapping {
    async fn ingredient(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Ingredient>> {
        let Some(i) = self.0.ingredient_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .ingredients
            .load_one(i)
            .await
            .map_err(internal)?
            .map(Ingredient))
    }
    async fn recipe(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recipe>> {
        let Some(r) = self.0.recipe_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .recipes
            .load_one(r)
            .await
            .map_err(internal)?
            .map(Recipe))
    }
    async fn ignored(&self) -> bool {
        self.0.target == "IGNORE"
    }
    /// Base units (ingredient) or portions (recipe) per unit sold.
    async fn quantity_factor(&self) -> Decimal {
        from_micro(self.0.quantity_factor_micro)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(SimpleObject)]
pub struct UnmappedItem {
    pub external_id: String,
    pub name: String,
    pub amount_sold: Decimal,
    pub sales_value: Decimal,
}

#[derive(SimpleObject)]
pub struct MappingHealth {
    pub items: i64,
    pub mapped_items: i64,
    pub ignored_items: i64,
    pub unmapped_items: i64,
    /// Share of units sold that is mapped or ignored on purpose, in percent.
    pub sold_mapped_percent: Option<Decimal>,
    pub revenue_mapped_percent: Option<Decimal>,
    pub unmapped_revenue: Decimal,
}

pub struct JobRun(pub job_run::Model);

#[Object]
impl JobRun {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn company_id(&self) -> ID {
        id(self.0.company_id)
    }
    async fn kind(&self) -> JobKind {
        match self.0.kind.as_str() {
            "HISTORICAL_MIGRATION" => JobKind::HistoricalMigration,
            "MANUAL_TRANSFER" => JobKind::ManualTransfer,
            "AUTOMATIC_TRANSFER" => JobKind::AutomaticTransfer,
            "CSV_IMPORT" => JobKind::CsvImport,
            "SYNC_LOCATIONS" => JobKind::SyncLocations,
            _ => JobKind::SyncItems,
        }
    }
    async fn state(&self) -> JobState {
        match self.0.state.as_str() {
            "QUEUED" => JobState::Queued,
            "RUNNING" => JobState::Running,
            "SUCCEEDED" => JobState::Succeeded,
            "FAILED" => JobState::Failed,
            _ => JobState::Cancelled,
        }
    }
    async fn progress_done(&self) -> i32 {
        self.0.progress_done as i32
    }
    async fn progress_total(&self) -> i32 {
        self.0.progress_total as i32
    }
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
    async fn location_id(&self) -> Option<ID> {
        self.0.location_id.map(id)
    }
    async fn integration_id(&self) -> Option<ID> {
        self.0.integration_id.map(id)
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts as i32
    }
    /// The CSV import this job processes, with its row errors.
    async fn csv_import(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CsvImport>> {
        Ok(uploads::for_job(ctx.db(), &self.0)
            .await
            .gql()?
            .map(CsvImport))
    }
}

pub struct CsvImport(pub entity::csv_import::Model);

#[Object]
impl CsvImport {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    /// UPLOADED, CHECKED, INVALID (nothing posted) or IMPORTED.
    async fn state(&self) -> &str {
        &self.0.state
    }
    async fn post_valid_rows_only(&self) -> bool {
        self.0.post_valid_rows_only
    }
    async fn rows_total(&self) -> i64 {
        self.0.rows_total
    }
    async fn rows_invalid(&self) -> i64 {
        self.0.rows_invalid
    }
    /// The invalid rows (the first 1,000): row number as a spreadsheet shows it, column, what is
    /// wrong, the value found.
    async fn row_errors(&self) -> Vec<CsvRowError> {
        uploads::row_errors(&self.0)
            .into_iter()
            .map(CsvRowError::from)
            .collect()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(SimpleObject)]
pub struct CsvRowError {
    pub row: i64,
    pub column: String,
    pub message: String,
    pub value: String,
}

impl From<csv_import::RowError> for CsvRowError {
    fn from(e: csv_import::RowError) -> Self {
        Self {
            row: e.row as i64,
            column: e.column,
            message: e.message,
            value: e.value,
        }
    }
}

#[derive(SimpleObject)]
pub struct CsvPreviewRow {
    pub row: i64,
    pub code: Option<String>,
    pub name: Option<String>,
    pub quantity: Option<Decimal>,
    pub sales_value: Option<Decimal>,
    pub business_date: Option<NaiveDate>,
    pub sold_at: Option<DateTime<Utc>>,
    pub error: Option<CsvRowError>,
}

#[derive(SimpleObject)]
pub struct CsvPreview {
    pub header: Vec<String>,
    pub rows: Vec<CsvPreviewRow>,
}

#[derive(InputObject)]
pub struct CsvImportConfigInput {
    pub delimiter: String,
    pub has_header: bool,
    pub code_column: String,
    pub name_column: Option<String>,
    pub quantity_column: String,
    pub sales_value_column: Option<String>,
    pub date_column: String,
    pub date_format: String,
    pub decimal_separator: Option<String>,
    pub encoding: Option<String>,
}

impl From<CsvImportConfigInput> for CsvConfig {
    fn from(c: CsvImportConfigInput) -> Self {
        let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
        CsvConfig {
            delimiter: c.delimiter,
            has_header: c.has_header,
            code_column: c.code_column,
            name_column: blank(c.name_column),
            quantity_column: c.quantity_column,
            sales_value_column: blank(c.sales_value_column),
            date_column: c.date_column,
            date_format: c.date_format,
            decimal_separator: blank(c.decimal_separator),
            encoding: blank(c.encoding),
        }
    }
}

#[derive(Default)]
pub struct PosQuery;

#[Object]
impl PosQuery {
    async fn pos_integrations(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
    ) -> async_graphql::Result<Vec<PosIntegration>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        Ok(integrations::list(ctx.db(), ctx.principal()?, company_id)
            .await
            .gql()?
            .into_iter()
            .map(PosIntegration)
            .collect())
    }

    async fn pos_integration(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<PosIntegration> {
        let id = parse_id(&id, integrations::ENTITY, "id")?;
        Ok(PosIntegration(
            integrations::get(ctx.db(), ctx.principal()?, id, ServiceRole::Viewer)
                .await
                .gql()?,
        ))
    }

    async fn pos_location(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<PosLocation> {
        let id = parse_id(&id, locations::ENTITY, "id")?;
        Ok(PosLocation(
            locations::get(ctx.db(), ctx.principal()?, id, ServiceRole::Viewer)
                .await
                .gql()?,
        ))
    }

    /// The items of an integration with their mappings and amounts sold; unmapped first, then
    /// by amount sold.
    async fn pos_items(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        filter: Option<MappingFilter>,
        search: Option<String>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> async_graphql::Result<Vec<PosItem>> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let filter = match filter.unwrap_or(MappingFilter::All) {
            MappingFilter::All => mappings::ItemFilter::All,
            MappingFilter::Unmapped => mappings::ItemFilter::Unmapped,
            MappingFilter::Mapped => mappings::ItemFilter::Mapped,
            MappingFilter::Ignored => mappings::ItemFilter::Ignored,
        };
        let items = mappings::working_list(
            ctx.db(),
            ctx.principal()?,
            integration_id,
            filter,
            search.as_deref(),
            period(from, to),
        )
        .await
        .gql()?;
        Ok(items.into_iter().map(PosItem).collect())
    }

    /// Items sold with no mapping (never deducted until one exists), most sold first.
    async fn unmapped_items(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> async_graphql::Result<Vec<UnmappedItem>> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        Ok(
            mappings::unmapped(ctx.db(), ctx.principal()?, integration_id, period(from, to))
                .await
                .gql()?
                .into_iter()
                .map(|i| UnmappedItem {
                    external_id: i.external_id,
                    name: i.name,
                    amount_sold: i.amount_sold,
                    sales_value: i.sales_value,
                })
                .collect(),
        )
    }

    async fn mapping_health(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> async_graphql::Result<MappingHealth> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let items = mappings::items(ctx.db(), ctx.principal()?, integration_id, period(from, to))
            .await
            .gql()?;
        let h = mappings::health(&items);
        Ok(MappingHealth {
            items: h.items,
            mapped_items: h.mapped_items,
            ignored_items: h.ignored_items,
            unmapped_items: h.unmapped_items,
            sold_mapped_percent: h.sold_mapped_percent,
            revenue_mapped_percent: h.revenue_mapped_percent,
            unmapped_revenue: h.unmapped_revenue,
        })
    }

    async fn job(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<JobRun>> {
        let Ok(id) = id.parse::<i64>() else {
            return Ok(None);
        };
        match job_runs::get(ctx.db(), ctx.principal()?, id).await {
            Ok(job) => Ok(Some(JobRun(job))),
            Err(service::ServiceError::NotFound { .. }) => Ok(None),
            Err(e) => Err(super::errors::to_graphql(e)),
        }
    }

    /// The company's jobs, newest first.
    #[graphql(complexity = "super::page_cost(first, None, 50, child_complexity)")]
    async fn jobs(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        first: Option<i32>,
        location_id: Option<ID>,
    ) -> async_graphql::Result<Vec<JobRun>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let location_id = parse_opt_id(&location_id, locations::ENTITY, "locationId")?;
        Ok(job_runs::list(
            ctx.db(),
            ctx.principal()?,
            company_id,
            first.unwrap_or(50).max(1) as u64,
            location_id,
        )
        .await
        .gql()?
        .into_iter()
        .map(JobRun)
        .collect())
    }

    /// Parses the start of a file (base64, up to 256 KB) with a configuration, to show the
    /// rows as they will be read before anything is uploaded.
    async fn preview_csv(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        config: CsvImportConfigInput,
        sample_base64: String,
        rows: Option<i32>,
    ) -> async_graphql::Result<CsvPreview> {
        use base64::Engine;
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let integration = integrations::get(
            ctx.db(),
            ctx.principal()?,
            integration_id,
            ServiceRole::Viewer,
        )
        .await
        .gql()?;
        let company = locations::company_of(ctx.db(), integration.company_id)
            .await
            .gql()?;
        let sample = base64::engine::general_purpose::STANDARD
            .decode(sample_base64.trim())
            .map_err(|_| {
                super::errors::to_graphql(service::ServiceError::validation(
                    "sampleBase64",
                    "the sample is not base64",
                ))
            })?;
        let sample = &sample[..sample.len().min(256 * 1024)];
        let config: CsvConfig = config.into();
        let preview = csv_import::preview(
            sample,
            &config,
            &company,
            rows.unwrap_or(20).clamp(1, 200) as usize,
        )
        .gql()?;
        Ok(CsvPreview {
            header: preview.header,
            rows: preview
                .rows
                .into_iter()
                .map(|r| match r {
                    Ok(r) => CsvPreviewRow {
                        row: r.row as i64,
                        code: Some(r.code),
                        name: Some(r.name),
                        quantity: Some(from_micro(r.quantity_micro)),
                        sales_value: r.sales_value_micro.map(from_micro),
                        business_date: Some(r.business_date),
                        sold_at: Some(service::ledger::from_micros(r.sold_at)),
                        error: None,
                    },
                    Err(e) => CsvPreviewRow {
                        row: e.row as i64,
                        code: None,
                        name: None,
                        quantity: None,
                        sales_value: None,
                        business_date: None,
                        sold_at: None,
                        error: Some(e.into()),
                    },
                })
                .collect(),
        })
    }

    async fn csv_import(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<CsvImport> {
        let id = parse_id(&id, "CSV import", "id")?;
        Ok(CsvImport(
            uploads::get(ctx.db(), ctx.principal()?, id).await.gql()?,
        ))
    }

    /// The integration's webhook secret (managers), for configuring the sender.
    async fn webhook_secret(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<String> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        integrations::webhook_secret(ctx.db(), ctx.cipher(), ctx.principal()?, integration_id)
            .await
            .gql()
    }
}

fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    match (from, to) {
        (None, None) => None,
        (f, t) => Some((f.unwrap_or(NaiveDate::MIN), t.unwrap_or(NaiveDate::MAX))),
    }
}

#[derive(Default)]
pub struct PosMutation;

#[Object]
impl PosMutation {
    /// A new integration. Lightspeed then connects through `lightspeedAuthorizeUrl`; Sides may
    /// bring its login here (`sidesLogin`), and is then created only if Sides accepts it.
    async fn create_pos_integration(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        provider: PosProvider,
        name: String,
        sides_login: Option<SidesLoginInput>,
    ) -> async_graphql::Result<PosIntegration> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        Ok(PosIntegration(
            service::pos::live::create_integration(
                ctx.db(),
                ctx.live(),
                ctx.principal()?,
                company_id,
                provider.into(),
                &name,
                sides_login.map(Into::into),
            )
            .await
            .gql()?,
        ))
    }

    async fn configure_csv_import(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        config: CsvImportConfigInput,
    ) -> async_graphql::Result<PosIntegration> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        Ok(PosIntegration(
            integrations::configure_csv(ctx.db(), ctx.principal()?, integration_id, config.into())
                .await
                .gql()?,
        ))
    }

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

    /// Maps an item to an ingredient or a recipe (exactly one), or ignores it (`ignore: true`).
    // The arguments are the contract's; a GraphQL field takes them one by one.
    #[allow(clippy::too_many_arguments)]
    async fn map_pos_item(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        external_id: String,
        ingredient_id: Option<ID>,
        recipe_id: Option<ID>,
        quantity_factor: Decimal,
        ignore: Option<bool>,
    ) -> async_graphql::Result<PosItem> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let ingredient = parse_opt_id(&ingredient_id, "ingredient", "ingredientId")?;
        let recipe = parse_opt_id(&recipe_id, "recipe", "recipeId")?;
        let target = target_of(ingredient, recipe, ignore)?;
        let principal = ctx.principal()?;
        mappings::map_item(
            ctx.db(),
            principal,
            integration_id,
            &external_id,
            target,
            quantity_factor,
        )
        .await
        .gql()?;
        item_view(ctx, integration_id, &external_id).await
    }

    /// Maps many items at once, all or none.
    #[allow(clippy::too_many_arguments)]
    async fn map_pos_items(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        external_ids: Vec<String>,
        ingredient_id: Option<ID>,
        recipe_id: Option<ID>,
        quantity_factor: Decimal,
        ignore: Option<bool>,
    ) -> async_graphql::Result<i32> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let ingredient = parse_opt_id(&ingredient_id, "ingredient", "ingredientId")?;
        let recipe = parse_opt_id(&recipe_id, "recipe", "recipeId")?;
        let target = target_of(ingredient, recipe, ignore)?;
        let principal = ctx.principal()?;
        let txn = service::db::begin_write(ctx.db()).await.gql()?;
        for external_id in &external_ids {
            mappings::map_item(
                &txn,
                principal,
                integration_id,
                external_id,
                target,
                quantity_factor,
            )
            .await
            .gql()?;
        }
        txn.commit().await.map_err(internal)?;
        Ok(external_ids.len() as i32)
    }

    async fn unmap_pos_item(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        external_id: String,
    ) -> async_graphql::Result<PosItem> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        mappings::unmap_item(ctx.db(), ctx.principal()?, integration_id, &external_id)
            .await
            .gql()?;
        item_view(ctx, integration_id, &external_id).await
    }

    /// Uploads a sales file (GraphQL multipart) for a location; processing is a job.
    async fn upload_pos_csv(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        location_id: ID,
        file: Upload,
        post_valid_rows_only: Option<bool>,
    ) -> async_graphql::Result<JobRun> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        let location_id = parse_id(&location_id, locations::ENTITY, "locationId")?;
        let value = file.value(ctx).map_err(|e| {
            super::errors::to_graphql(service::ServiceError::validation("file", e.to_string()))
        })?;
        let file_name = value.filename.clone();
        let body = crate::uploads::file_stream(value.content);
        Ok(JobRun(
            uploads::stage(
                ctx.db(),
                ctx.principal()?,
                uploads::Upload {
                    integration_id,
                    location_id,
                    file_name,
                    body,
                    post_valid_rows_only: post_valid_rows_only.unwrap_or(false),
                    max_bytes: ctx.settings().csv_max_bytes,
                },
            )
            .await
            .gql()?,
        ))
    }

    /// Connects a Sides integration, or changes its login; refused (and nothing stored) if Sides
    /// does not accept it. Locations, mappings and history stay.
    async fn connect_sides(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        username: String,
        password: String,
    ) -> async_graphql::Result<PosIntegration> {
        let integration_id = parse_id(&integration_id, "POS integration", "integrationId")?;
        Ok(PosIntegration(
            sides::connect(
                ctx.db(),
                ctx.live(),
                ctx.principal()?,
                integration_id,
                sides::Login { username, password },
            )
            .await
            .gql()?,
        ))
    }

    /// True when the POS answers and accepts the stored credentials; otherwise an error
    /// (POS_UNAVAILABLE, or VALIDATION for a refused login) that says what is wrong.
    async fn test_pos_connection(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<bool> {
        let integration_id = parse_id(&integration_id, "POS integration", "integrationId")?;
        sync::test_connection(ctx.db(), ctx.live(), ctx.principal()?, integration_id)
            .await
            .gql()?;
        Ok(true)
    }

    /// Where to send the browser to connect (or reauthorize) Lightspeed; the callback finishes
    /// the connection and returns to the SPA.
    async fn lightspeed_authorize_url(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<String> {
        let integration_id = parse_id(&integration_id, "POS integration", "integrationId")?;
        lightspeed::authorize_url(ctx.db(), ctx.live(), ctx.principal()?, integration_id)
            .await
            .gql()
    }

    /// Finishes a Lightspeed authorization the callback received (`state` from the URL it sent the
    /// browser to); only the user who started it can.
    async fn finish_lightspeed_authorization(
        &self,
        ctx: &Context<'_>,
        state: String,
    ) -> async_graphql::Result<PosIntegration> {
        Ok(PosIntegration(
            lightspeed::finish_authorization(ctx.db(), ctx.live(), ctx.principal()?, &state)
                .await
                .gql()?,
        ))
    }

    /// Reads the POS's locations (stores) into Larder, as a job.
    async fn sync_locations(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<JobRun> {
        queue_sync(ctx, &integration_id, job_runs::JobKind::SyncLocations).await
    }

    /// Reads the POS's items (products) of every synced location into Larder, as a job.
    async fn sync_items(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<JobRun> {
        queue_sync(ctx, &integration_id, job_runs::JobKind::SyncItems).await
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
            locations::start_manual_transfer(
                ctx.db(),
                ctx.principal()?,
                location_id,
                business_date,
            )
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
            locations::transfer_untransferred(ctx.db(), ctx.principal()?, integration_id)
                .await
                .gql()?
                .into_iter()
                .map(JobRun)
                .collect(),
        )
    }

    async fn pause_automatic_transfer(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<PosIntegration> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        Ok(PosIntegration(
            integrations::set_automatic_transfer(ctx.db(), ctx.principal()?, integration_id, false)
                .await
                .gql()?,
        ))
    }

    async fn resume_automatic_transfer(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<PosIntegration> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        Ok(PosIntegration(
            integrations::set_automatic_transfer(ctx.db(), ctx.principal()?, integration_id, true)
                .await
                .gql()?,
        ))
    }

    /// Cancels a queued or running job; a running one stops after the day it is on.
    async fn cancel_job(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<JobRun> {
        let id = parse_id(&id, job_runs::ENTITY, "id")?;
        Ok(JobRun(
            job_runs::cancel(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        ))
    }

    /// A new webhook secret (returned once here); the old one works for 24 more hours.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
    ) -> async_graphql::Result<String> {
        let integration_id = parse_id(&integration_id, integrations::ENTITY, "integrationId")?;
        integrations::rotate_webhook_secret(
            ctx.db(),
            ctx.cipher(),
            ctx.principal()?,
            integration_id,
        )
        .await
        .gql()
    }
}

/// What a mapping points at; none of the three leaves the choice to the service's error.
fn target_of(
    ingredient: Option<i64>,
    recipe: Option<i64>,
    ignore: Option<bool>,
) -> async_graphql::Result<Option<Target>> {
    match (ingredient, recipe, ignore.unwrap_or(false)) {
        (None, None, true) => Ok(Some(Target::Ignore)),
        (Some(i), None, false) => Ok(Some(Target::Ingredient(i))),
        (None, Some(r), false) => Ok(Some(Target::Recipe(r))),
        (None, None, false) => Ok(None),
        _ => Err(super::errors::to_graphql(
            service::ServiceError::validation(
                "recipeId",
                "map to an ingredient, a recipe, or ignore — only one of them",
            ),
        )),
    }
}

async fn item_view(
    ctx: &Context<'_>,
    integration_id: i64,
    external_id: &str,
) -> async_graphql::Result<PosItem> {
    mappings::items(ctx.db(), ctx.principal()?, integration_id, None)
        .await
        .gql()?
        .into_iter()
        .find(|i| i.external_id == external_id)
        .map(PosItem)
        .ok_or_else(|| super::errors::to_graphql(service::ServiceError::not_found("POS item")))
}

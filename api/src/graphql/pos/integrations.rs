//! POS integrations over GraphQL: creating and connecting them (CSV, Sides, Lightspeed
//! K-Series), their webhook secret, syncing their locations and items, and pausing the
//! automatic daily transfer.

use super::locations::PosLocation;
use crate::graphql::context::{ContextExt, id, parse_id};
use crate::graphql::errors::GqlResult;
use crate::graphql::jobs::JobRun;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use service::access::Role as ServiceRole;
use service::job_runs;
use service::pos::csv_import::CsvConfig;
use service::pos::live::{lightspeed, sides, sync};
use service::pos::{integrations, locations};
use service::records;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::pos::Provider")]
pub enum PosProvider {
    LightspeedK,
    Sides,
    Csv,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::pos::ConnectionState")]
pub enum PosConnectionState {
    NotConnected,
    Connected,
    NeedsReconnect,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::pos::AutomaticTransfer")]
pub enum AutomaticTransferState {
    Active,
    Paused,
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

pub struct PosIntegration(pub records::PosIntegration);

#[Object]
impl PosIntegration {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// How much of its sales are mapped over a period of business days: `lastDays` (the
    /// company's last N business days, today included) or `from`/`to`; all time by default.
    async fn mapping_health(
        &self,
        ctx: &Context<'_>,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        last_days: Option<i32>,
    ) -> async_graphql::Result<super::mappings::MappingHealth> {
        let period = super::mappings::SalesPeriod {
            from,
            to,
            last_days,
        };
        super::mappings::health_of(ctx, self.0.id, period).await
    }
    async fn company_id(&self) -> ID {
        id(self.0.company_id)
    }
    async fn provider(&self) -> PosProvider {
        self.0.provider.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn connection_state(&self) -> PosConnectionState {
        self.0.connection_state.into()
    }
    async fn automatic_transfer(&self) -> AutomaticTransferState {
        self.0.automatic_transfer.into()
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
        Ok(locations::unimported_by_location(ctx.db(), self.0.id)
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
pub struct IntegrationQuery;

#[Object]
impl IntegrationQuery {
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

#[derive(Default)]
pub struct IntegrationMutation;

#[Object]
impl IntegrationMutation {
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

//! E-invoices over GraphQL (DESIGN.md, "E-invoices"): import a file, see it beside its order,
//! settle its vendor and unmatched lines, post or discard it.

use std::io::Read;

use async_graphql::connection::{Connection, OpaqueCursor};
use async_graphql::{Context, Enum, ID, Object, Upload};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use service::invoices::{
    self, InvoiceFilter, InvoiceUpload, LineView, PostInvoice, editing, records,
};

use super::context::{ContextExt, parse_id, parse_opt_id};
use super::errors::{GqlResult, internal};
use super::loaders::Loaders;
use super::orders::PurchaseOrder;
use super::paging::{PageArgs, TotalCount, paged};
use super::types::{Product, StorageUnit, Vendor, load_storage_unit};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::invoices::InvoiceKind")]
pub enum InvoiceKind {
    Invoice,
    CreditNote,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::invoices::InvoiceSyntax")]
pub enum InvoiceSyntax {
    Cii,
    Ubl,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::invoices::InvoiceStatus")]
pub enum InvoiceStatus {
    Open,
    Posted,
    Discarded,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "service::invoices::InvoiceLineMatch")]
pub enum InvoiceLineMatch {
    SellerItemId,
    Gtin,
    Remembered,
    Manual,
    NotStock,
    None,
}

pub struct Invoice(pub service::records::Invoice);

fn amount(text: &str) -> async_graphql::Result<Decimal> {
    invoices::view::amount(text).gql()
}

#[Object]
impl Invoice {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// BT-1.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn kind(&self) -> InvoiceKind {
        self.0.kind.into()
    }
    async fn syntax(&self) -> InvoiceSyntax {
        self.0.syntax.into()
    }
    /// BT-3 as the file gives it (380, 381, 384 …).
    async fn type_code(&self) -> &str {
        &self.0.type_code
    }
    async fn issue_date(&self) -> NaiveDate {
        self.0.issue_date
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn seller_name(&self) -> &str {
        &self.0.seller_name
    }
    async fn seller_vat_id(&self) -> Option<&str> {
        self.0.seller_vat_id.as_deref()
    }
    /// BT-13, the buyer's order reference.
    async fn order_reference(&self) -> Option<&str> {
        self.0.order_reference.as_deref()
    }
    async fn vendor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vendor>> {
        let Some(id) = self.0.vendor_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<Loaders>()
            .vendors
            .load_one(id)
            .await
            .map_err(internal)?
            .map(Vendor))
    }
    /// The order the invoice bills.
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PurchaseOrder>> {
        let Some(id) = self.0.purchase_order_id else {
            return Ok(None);
        };
        Ok(Some(PurchaseOrder(
            service::orders::get(ctx.db(), ctx.principal()?, id)
                .await
                .gql()?,
        )))
    }
    async fn status(&self) -> InvoiceStatus {
        self.0.status.into()
    }
    /// BT-106, BT-110, BT-112, with the decimals the invoice has.
    async fn line_total(&self) -> async_graphql::Result<Decimal> {
        amount(&self.0.line_total)
    }
    async fn tax_total(&self) -> async_graphql::Result<Decimal> {
        amount(&self.0.tax_total)
    }
    async fn grand_total(&self) -> async_graphql::Result<Decimal> {
        amount(&self.0.grand_total)
    }
    /// What does not add up (the lines against BT-106 …).
    async fn warnings(&self) -> Vec<String> {
        serde_json::from_str(&self.0.warnings).unwrap_or_default()
    }
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// Of the original file, hex; `GET /api/invoices/{id}/original` serves the file.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    async fn imported_at(&self) -> DateTime<Utc> {
        self.0.imported_at
    }
    async fn posted_at(&self) -> Option<DateTime<Utc>> {
        self.0.posted_at
    }
    /// Where a posted invoice's goods went.
    async fn storage_unit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<StorageUnit>> {
        load_storage_unit(ctx, self.0.storage_unit_id).await
    }
    /// Each line beside its match, the order and the last receipt.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<InvoiceLine>> {
        let shown = invoices::view(ctx.db(), self.0.clone()).await.gql()?;
        Ok(shown.lines.into_iter().map(InvoiceLine).collect())
    }
}

pub struct InvoiceLine(LineView);

#[Object]
impl InvoiceLine {
    /// BT-126.
    async fn line_id(&self) -> &str {
        &self.0.line.line_id
    }
    async fn name(&self) -> &str {
        &self.0.line.name
    }
    async fn seller_item_id(&self) -> Option<&str> {
        self.0.line.seller_item_id.as_deref()
    }
    async fn gtin(&self) -> Option<&str> {
        self.0.line.gtin.as_deref()
    }
    /// BT-129 in the unit BT-130 names.
    async fn quantity(&self) -> async_graphql::Result<Decimal> {
        amount(&self.0.line.quantity)
    }
    async fn unit_code(&self) -> &str {
        &self.0.line.unit_code
    }
    /// BT-146, per `priceBaseQuantity` (BT-149) of the unit.
    async fn net_price(&self) -> async_graphql::Result<Decimal> {
        amount(&self.0.line.net_price)
    }
    async fn price_base_quantity(&self) -> async_graphql::Result<Option<Decimal>> {
        self.0
            .line
            .price_base_quantity
            .as_deref()
            .map(amount)
            .transpose()
    }
    /// BT-131.
    async fn net_amount(&self) -> async_graphql::Result<Decimal> {
        amount(&self.0.line.net_amount)
    }
    async fn vat_percent(&self) -> async_graphql::Result<Option<Decimal>> {
        self.0.line.vat_percent.as_deref().map(amount).transpose()
    }
    #[graphql(name = "match")]
    async fn match_kind(&self) -> InvoiceLineMatch {
        self.0.line.match_kind.into()
    }
    async fn product(&self) -> Option<Product> {
        self.0.product.clone().map(Product)
    }
    /// In the ingredient's base unit.
    async fn base_quantity(&self) -> Option<Decimal> {
        self.0.base_quantity
    }
    /// Per base unit: line net amount ÷ base quantity.
    async fn unit_cost(&self) -> Option<Decimal> {
        self.0.unit_cost
    }
    async fn ordered_quantity(&self) -> Option<Decimal> {
        self.0.ordered_quantity
    }
    async fn received_quantity(&self) -> Option<Decimal> {
        self.0.received_quantity
    }
    async fn order_unit_cost(&self) -> Option<Decimal> {
        self.0.order_unit_cost
    }
    async fn previous_unit_cost(&self) -> Option<Decimal> {
        self.0.previous_unit_cost
    }
    /// Why the line cannot be posted as it is.
    async fn problem(&self) -> Option<&str> {
        self.0.problem.as_deref()
    }
}

#[derive(Default)]
pub struct InvoiceQuery;

#[Object]
impl InvoiceQuery {
    /// A company's invoices a page at a time, newest first, by status and vendor.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::page_cost(first, last, 20, child_complexity)")]
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        status: Option<InvoiceStatus>,
        vendor_id: Option<ID>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<OpaqueCursor<i64>, Invoice, TotalCount>> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let filter = InvoiceFilter {
            status: status.map(Into::into),
            vendor_id: parse_opt_id(&vendor_id, "vendor", "vendorId")?,
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
                records::page(db, principal, company_id, &filter, &request)
                    .await
                    .gql()
            },
            |row| row.id,
            Invoice,
        )
        .await
    }

    async fn invoice(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Invoice> {
        let id = parse_id(&id, invoices::ENTITY, "id")?;
        Ok(Invoice(
            records::find(
                ctx.db(),
                ctx.principal()?,
                id,
                service::access::Role::Viewer,
            )
            .await
            .gql()?,
        ))
    }
}

#[derive(Default)]
pub struct InvoiceMutation;

#[Object]
impl InvoiceMutation {
    /// Reads an e-invoice (XRechnung, ZUGFeRD, Factur-X, Peppol UBL; XML or PDF) and matches it.
    async fn import_invoice(
        &self,
        ctx: &Context<'_>,
        company_id: ID,
        file: Upload,
    ) -> async_graphql::Result<Invoice> {
        let company_id = parse_id(&company_id, "company", "companyId")?;
        let value = file.value(ctx).map_err(|e| {
            super::errors::to_graphql(service::ServiceError::validation("file", e.to_string()))
        })?;
        let file_name = value.filename.clone();
        let bytes = read_upload(value.content).await.gql()?;
        let upload = InvoiceUpload {
            file_name: Some(file_name),
            bytes,
        };
        Ok(Invoice(
            invoices::import(ctx.db(), ctx.principal()?, company_id, upload)
                .await
                .gql()?,
        ))
    }

    async fn set_invoice_vendor(
        &self,
        ctx: &Context<'_>,
        invoice_id: ID,
        vendor_id: ID,
    ) -> async_graphql::Result<Invoice> {
        let invoice_id = parse_id(&invoice_id, invoices::ENTITY, "invoiceId")?;
        let vendor_id = parse_id(&vendor_id, "vendor", "vendorId")?;
        Ok(Invoice(
            editing::set_vendor(ctx.db(), ctx.principal()?, invoice_id, vendor_id)
                .await
                .gql()?,
        ))
    }

    /// Matches a line to one of the vendor's products, or marks it not stock (`notStock: true`);
    /// remembered for the next invoice's line of the same name.
    async fn match_invoice_line(
        &self,
        ctx: &Context<'_>,
        invoice_id: ID,
        line_id: String,
        product_id: Option<ID>,
        not_stock: Option<bool>,
    ) -> async_graphql::Result<Invoice> {
        let invoice_id = parse_id(&invoice_id, invoices::ENTITY, "invoiceId")?;
        let product_id = parse_opt_id(&product_id, "product", "productId")?;
        Ok(Invoice(
            editing::match_line(
                ctx.db(),
                ctx.principal()?,
                invoice_id,
                &line_id,
                product_id,
                not_stock.unwrap_or(false),
            )
            .await
            .gql()?,
        ))
    }

    /// Posts the invoice: receipts at its cost, cost corrections for goods received at another
    /// price; a credit note's lines as returned when `postReturns`.
    async fn post_invoice(
        &self,
        ctx: &Context<'_>,
        invoice_id: ID,
        storage_unit_id: Option<ID>,
        post_returns: Option<bool>,
    ) -> async_graphql::Result<Invoice> {
        let request = PostInvoice {
            invoice_id: parse_id(&invoice_id, invoices::ENTITY, "invoiceId")?,
            storage_unit_id: parse_opt_id(&storage_unit_id, "storage unit", "storageUnitId")?,
            post_returns: post_returns.unwrap_or(false),
        };
        Ok(Invoice(
            invoices::post_invoice(ctx.db(), ctx.principal()?, request)
                .await
                .gql()?,
        ))
    }

    async fn discard_invoice(
        &self,
        ctx: &Context<'_>,
        invoice_id: ID,
    ) -> async_graphql::Result<Invoice> {
        let invoice_id = parse_id(&invoice_id, invoices::ENTITY, "invoiceId")?;
        Ok(Invoice(
            editing::discard(ctx.db(), ctx.principal()?, invoice_id)
                .await
                .gql()?,
        ))
    }
}

/// An uploaded file's bytes, at most one byte past the PDF limit (the service says which limit
/// a file passes).
async fn read_upload(file: std::fs::File) -> service::ServiceResult<Vec<u8>> {
    let limit = invoices::read::PDF_LIMIT as u64 + 1;
    tokio::task::spawn_blocking(move || {
        let mut bytes = Vec::new();
        file.take(limit)
            .read_to_end(&mut bytes)
            .map(|_| bytes)
            .map_err(|e| {
                service::ServiceError::validation("file", format!("the upload broke off: {e}"))
            })
    })
    .await
    .map_err(|e| service::ServiceError::Internal(e.to_string()))?
}

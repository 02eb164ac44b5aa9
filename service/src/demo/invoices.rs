//! The demo's e-invoices, so that a newcomer sees the flow on first start: the cheese order on
//! its way today comes with its vendor's XRechnung (CII) — mozzarella dearer than ordered, and
//! a crate deposit Larder cannot match to a product — and yesterday's produce delivery with its
//! UBL invoice, tomatoes billed above the price they were received at (posting it corrects the
//! receipt). Both wait, OPEN, on Orders → Invoices.

use chrono::NaiveDate;
use entity::purchase_order::{self, OrderStatus};
use entity::{product, purchase_order_item, vendor};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::Trattoria;
use super::restaurant::VENDORS;
use crate::db::Writer;
use crate::error::{ServiceError, ServiceResult};
use crate::invoices::{InvoiceUpload, import};
use crate::quantity::from_micro;

/// One line as the demo's vendors bill it.
struct Billed {
    name: String,
    sku: Option<String>,
    quantity: Decimal,
    unit_code: &'static str,
    price: Decimal,
}

impl Billed {
    fn amount(&self) -> Decimal {
        (self.quantity * self.price).round_dp(2)
    }
}

struct DemoInvoice<'a> {
    number: String,
    issued: NaiveDate,
    seller: &'a str,
    vat_id: &'a str,
    order_reference: Option<String>,
    lines: Vec<Billed>,
}

pub(super) async fn set_up<C: Writer>(
    db: &C,
    t: &Trattoria,
    today: NaiveDate,
) -> ServiceResult<()> {
    if let Some((order, vendor)) =
        latest_order(db, t, OrderStatus::Sent, "Caseificio Bianchi").await?
    {
        let mut lines = order_lines(db, &order, |name| {
            // Mozzarella costs 8 % more than the order said.
            if name.starts_with("Mozzarella") {
                dec!(1.08)
            } else {
                Decimal::ONE
            }
        })
        .await?;
        lines.push(Billed {
            name: "Pfand Kühlkiste".into(),
            sku: None,
            quantity: Decimal::from(2),
            unit_code: "H87",
            price: dec!(7.50),
        });
        let invoice = DemoInvoice {
            number: format!("CB-{}-0417", today.format("%Y")),
            issued: today,
            seller: &vendor.name,
            vat_id: vat_of(&vendor.name),
            order_reference: order.reference.clone(),
            lines,
        };
        store(db, t, cii(&invoice), "CB-0417_xrechnung.xml").await?;
    }
    if let Some((order, vendor)) =
        latest_order(db, t, OrderStatus::Received, "Green Valley Produce").await?
    {
        let lines = order_lines(db, &order, |name| {
            // The tomatoes were received at the order's price and billed 12 % higher.
            if name.starts_with("Tomatoes") {
                dec!(1.12)
            } else {
                Decimal::ONE
            }
        })
        .await?;
        let invoice = DemoInvoice {
            number: format!("GV-{}", order.id),
            issued: today - chrono::Duration::days(1),
            seller: &vendor.name,
            vat_id: vat_of(&vendor.name),
            order_reference: order.reference.clone(),
            lines,
        };
        store(db, t, cii(&invoice), "green-valley.xml").await?;
    }
    Ok(())
}

fn vat_of(vendor: &str) -> &'static str {
    VENDORS
        .iter()
        .find(|v| v.name == vendor)
        .map_or("", |v| v.vat_id)
}

async fn latest_order<C: Writer>(
    db: &C,
    t: &Trattoria,
    status: OrderStatus,
    vendor_name: &str,
) -> ServiceResult<Option<(purchase_order::Model, vendor::Model)>> {
    let Some(vendor) = vendor::Entity::find()
        .filter(vendor::Column::CompanyId.eq(t.company.id))
        .filter(vendor::Column::Name.eq(vendor_name))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let order = purchase_order::Entity::find()
        .filter(purchase_order::Column::VendorId.eq(vendor.id))
        .filter(purchase_order::Column::Status.eq(status))
        .order_by_desc(purchase_order::Column::Id)
        .one(db)
        .await?;
    Ok(order.map(|o| (o, vendor)))
}

/// The order's items as billed: packs ("CT", cartons) at the order's price × `markup`.
async fn order_lines<C: Writer>(
    db: &C,
    order: &purchase_order::Model,
    markup: impl Fn(&str) -> Decimal,
) -> ServiceResult<Vec<Billed>> {
    let items = purchase_order_item::Entity::find()
        .filter(purchase_order_item::Column::OrderId.eq(order.id))
        .order_by_asc(purchase_order_item::Column::Id)
        .all(db)
        .await?;
    let mut lines = Vec::new();
    for item in items {
        let product = product::Entity::find_by_id(item.product_id)
            .one(db)
            .await?
            .ok_or_else(|| ServiceError::Internal("a demo order's product is gone".into()))?;
        lines.push(Billed {
            price: (from_micro(item.price_per_pack_micro) * markup(&product.name)).round_dp(2),
            name: product.name,
            sku: Some(product.sku),
            quantity: from_micro(item.packs_micro),
            unit_code: "CT",
        });
    }
    Ok(lines)
}

async fn store<C: Writer>(db: &C, t: &Trattoria, bytes: Vec<u8>, name: &str) -> ServiceResult<()> {
    let upload = InvoiceUpload {
        file_name: Some(name.into()),
        bytes,
    };
    import(db, &t.owner, t.company.id, upload).await?;
    Ok(())
}

fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The invoice as XRechnung CII, VAT 7 % on food.
fn cii(invoice: &DemoInvoice) -> Vec<u8> {
    let line_total: Decimal = invoice.lines.iter().map(Billed::amount).sum();
    let tax = (line_total * dec!(0.07)).round_dp(2);
    let mut lines = String::new();
    for (k, l) in invoice.lines.iter().enumerate() {
        let sku = l
            .sku
            .as_deref()
            .map(|s| {
                format!(
                    "<ram:SellerAssignedID>{}</ram:SellerAssignedID>",
                    escaped(s)
                )
            })
            .unwrap_or_default();
        lines.push_str(&format!(
            "<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>{id}</ram:LineID></ram:AssociatedDocumentLineDocument>\
<ram:SpecifiedTradeProduct>{sku}<ram:Name>{name}</ram:Name></ram:SpecifiedTradeProduct>\
<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>{price}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>\
<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"{unit}\">{quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>\
<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>7</ram:RateApplicablePercent></ram:ApplicableTradeTax>\
<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{amount}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>",
            id = k + 1,
            name = escaped(&l.name),
            price = l.price,
            unit = l.unit_code,
            quantity = l.quantity,
            amount = l.amount(),
        ));
    }
    let order = invoice
        .order_reference
        .as_deref()
        .map(|o| format!("<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>", escaped(o)))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">\
<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\
<rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>380</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format=\"102\">{issued}</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>\
<rsm:SupplyChainTradeTransaction>{lines}<ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>{seller}</ram:Name><ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{vat}</ram:ID></ram:SpecifiedTaxRegistration></ram:SellerTradeParty>\
<ram:BuyerTradeParty><ram:Name>Trattoria Larder</ram:Name></ram:BuyerTradeParty>{order}</ram:ApplicableHeaderTradeAgreement><ram:ApplicableHeaderTradeDelivery/>\
<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode><ram:SpecifiedTradeSettlementHeaderMonetarySummation>\
<ram:LineTotalAmount>{line_total}</ram:LineTotalAmount><ram:TaxBasisTotalAmount>{line_total}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID=\"EUR\">{tax}</ram:TaxTotalAmount>\
<ram:GrandTotalAmount>{grand}</ram:GrandTotalAmount><ram:DuePayableAmount>{grand}</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>\
</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>\n",
        number = escaped(&invoice.number),
        issued = invoice.issued.format("%Y%m%d"),
        seller = escaped(invoice.seller),
        vat = invoice.vat_id,
        grand = line_total + tax,
    )
    .into_bytes()
}

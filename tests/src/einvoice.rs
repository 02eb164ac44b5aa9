//! E-invoices the tests write themselves for the restaurant's cases (kilograms and litres,
//! cases of six, a deposit, an allowance — written as an allowance element wherever a line's
//! net amount is below quantity × price —, a credit note), in either syntax: the KoSIT and
//! Mustang samples are real but sell magazines and office paper. Totals are computed here
//! from the lines, the way a vendor's system does.

use rust_decimal::Decimal;

pub struct Line<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub seller_item_id: Option<&'a str>,
    pub gtin: Option<&'a str>,
    pub quantity: &'a str,
    pub unit_code: &'a str,
    pub net_price: &'a str,
    /// BT-131; allowances of the line are in it.
    pub net_amount: &'a str,
    pub vat_percent: &'a str,
}

pub struct Invoice<'a> {
    pub number: &'a str,
    /// 380 invoice, 381 credit note.
    pub type_code: &'a str,
    /// YYYY-MM-DD.
    pub issue_date: &'a str,
    pub seller_name: &'a str,
    pub seller_vat_id: Option<&'a str>,
    pub order_reference: Option<&'a str>,
    pub lines: Vec<Line<'a>>,
}

struct Totals {
    lines: Decimal,
    tax: Decimal,
    grand: Decimal,
}

fn totals(invoice: &Invoice) -> Totals {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let lines: Decimal = invoice.lines.iter().map(|l| d(l.net_amount)).sum();
    let tax: Decimal = invoice
        .lines
        .iter()
        .map(|l| d(l.net_amount) * d(l.vat_percent) / Decimal::ONE_HUNDRED)
        .sum::<Decimal>()
        .round_dp(2);
    Totals {
        lines,
        tax,
        grand: lines + tax,
    }
}

/// The invoice in UN/CEFACT CII (XRechnung / ZUGFeRD 2 / Factur-X EN 16931).
pub fn cii(invoice: &Invoice) -> Vec<u8> {
    let t = totals(invoice);
    let mut lines = String::new();
    for l in &invoice.lines {
        let seller_id = l
            .seller_item_id
            .map(|s| format!("<ram:SellerAssignedID>{s}</ram:SellerAssignedID>"))
            .unwrap_or_default();
        let gtin = l
            .gtin
            .map(|g| format!("<ram:GlobalID schemeID=\"0160\">{g}</ram:GlobalID>"))
            .unwrap_or_default();
        lines.push_str(&format!(
            "<ram:IncludedSupplyChainTradeLineItem>\
<ram:AssociatedDocumentLineDocument><ram:LineID>{id}</ram:LineID></ram:AssociatedDocumentLineDocument>\
<ram:SpecifiedTradeProduct>{gtin}{seller_id}<ram:Name>{name}</ram:Name></ram:SpecifiedTradeProduct>\
<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>{price}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>\
<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"{unit}\">{qty}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>\
<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{vat}</ram:RateApplicablePercent></ram:ApplicableTradeTax>{discount}\
<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{amount}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>\
</ram:IncludedSupplyChainTradeLineItem>",
            id = l.id,
            name = xml_text(l.name),
            price = l.net_price,
            unit = l.unit_code,
            qty = l.quantity,
            vat = l.vat_percent,
            amount = l.net_amount,
            discount = allowance(l)
                .map(|a| format!("<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>{a}</ram:ActualAmount><ram:Reason>Rabatt</ram:Reason></ram:SpecifiedTradeAllowanceCharge>"))
                .unwrap_or_default(),
        ));
    }
    let vat = invoice
        .seller_vat_id
        .map(|v| format!("<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{v}</ram:ID></ram:SpecifiedTaxRegistration>"))
        .unwrap_or_default();
    let order = invoice
        .order_reference
        .map(|o| format!("<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{o}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">\
<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\
<rsm:ExchangedDocument><ram:ID>{number}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format=\"102\">{date}</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>\
<rsm:SupplyChainTradeTransaction>{lines}\
<ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>{seller}</ram:Name>{vat}</ram:SellerTradeParty><ram:BuyerTradeParty><ram:Name>Test Kitchen</ram:Name></ram:BuyerTradeParty>{order}</ram:ApplicableHeaderTradeAgreement>\
<ram:ApplicableHeaderTradeDelivery/>\
<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>\
<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:LineTotalAmount>{line_total}</ram:LineTotalAmount><ram:TaxBasisTotalAmount>{line_total}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID=\"EUR\">{tax}</ram:TaxTotalAmount><ram:GrandTotalAmount>{grand}</ram:GrandTotalAmount><ram:DuePayableAmount>{grand}</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>\
</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>",
        number = invoice.number,
        type_code = invoice.type_code,
        date = invoice.issue_date.replace('-', ""),
        seller = xml_text(invoice.seller_name),
        line_total = t.lines,
        tax = t.tax,
        grand = t.grand,
    )
    .into_bytes()
}

/// The invoice in UBL 2.1: an `Invoice`, or a `CreditNote` for type code 381.
pub fn ubl(invoice: &Invoice) -> Vec<u8> {
    let t = totals(invoice);
    let credit = invoice.type_code == "381";
    let (root, line_tag, qty_tag, type_tag) = if credit {
        (
            "CreditNote",
            "CreditNoteLine",
            "CreditedQuantity",
            "CreditNoteTypeCode",
        )
    } else {
        (
            "Invoice",
            "InvoiceLine",
            "InvoicedQuantity",
            "InvoiceTypeCode",
        )
    };
    let mut lines = String::new();
    for l in &invoice.lines {
        let seller_id = l
            .seller_item_id
            .map(|s| format!("<cac:SellersItemIdentification><cbc:ID>{s}</cbc:ID></cac:SellersItemIdentification>"))
            .unwrap_or_default();
        let gtin = l
            .gtin
            .map(|g| format!("<cac:StandardItemIdentification><cbc:ID schemeID=\"0160\">{g}</cbc:ID></cac:StandardItemIdentification>"))
            .unwrap_or_default();
        lines.push_str(&format!(
            "<cac:{line_tag}><cbc:ID>{id}</cbc:ID><cbc:{qty_tag} unitCode=\"{unit}\">{qty}</cbc:{qty_tag}>\
<cbc:LineExtensionAmount currencyID=\"EUR\">{amount}</cbc:LineExtensionAmount>{discount}\
<cac:Item><cbc:Name>{name}</cbc:Name>{seller_id}{gtin}<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{vat}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>\
<cac:Price><cbc:PriceAmount currencyID=\"EUR\">{price}</cbc:PriceAmount></cac:Price></cac:{line_tag}>",
            id = l.id,
            name = xml_text(l.name),
            price = l.net_price,
            unit = l.unit_code,
            qty = l.quantity,
            vat = l.vat_percent,
            amount = l.net_amount,
            discount = allowance(l)
                .map(|a| format!("<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator><cbc:AllowanceChargeReason>Rabatt</cbc:AllowanceChargeReason><cbc:Amount currencyID=\"EUR\">{a}</cbc:Amount></cac:AllowanceCharge>"))
                .unwrap_or_default(),
        ));
    }
    let vat = invoice
        .seller_vat_id
        .map(|v| format!("<cac:PartyTaxScheme><cbc:CompanyID>{v}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"))
        .unwrap_or_default();
    let order = invoice
        .order_reference
        .map(|o| format!("<cac:OrderReference><cbc:ID>{o}</cbc:ID></cac:OrderReference>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<{root} xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:{root}-2\" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\
<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID><cbc:ID>{number}</cbc:ID><cbc:IssueDate>{date}</cbc:IssueDate>\
<cbc:{type_tag}>{type_code}</cbc:{type_tag}><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>{order}\
<cac:AccountingSupplierParty><cac:Party>{vat}<cac:PartyLegalEntity><cbc:RegistrationName>{seller}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>\
<cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">{tax}</cbc:TaxAmount></cac:TaxTotal>\
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID=\"EUR\">{line_total}</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID=\"EUR\">{line_total}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID=\"EUR\">{grand}</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID=\"EUR\">{grand}</cbc:PayableAmount></cac:LegalMonetaryTotal>\
{lines}</{root}>",
        number = invoice.number,
        type_code = invoice.type_code,
        date = invoice.issue_date,
        seller = xml_text(invoice.seller_name),
        line_total = t.lines,
        tax = t.tax,
        grand = t.grand,
    )
    .into_bytes()
}

/// What a line's net amount is below quantity × price: an allowance the line carries (a
/// discount), written as the syntax writes one.
fn allowance(l: &Line) -> Option<Decimal> {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let gap = d(l.quantity) * d(l.net_price) - d(l.net_amount);
    (gap > Decimal::ZERO).then_some(gap.round_dp(2))
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// What the tests ask of an imported invoice.
pub const INVOICE_FIELDS: &str = "id number kind syntax issueDate currency sellerName sellerVatId orderReference status lineTotal taxTotal grandTotal warnings fileName sha256 vendor { id name vatId } order { id status } lines { lineId name sellerItemId gtin quantity unitCode netPrice netAmount vatPercent match product { id name } baseQuantity unitCost orderedQuantity receivedQuantity orderUnitCost previousUnitCost priceBaseQuantity problem }";

impl crate::TestApp {
    /// Imports an invoice file by GraphQL multipart; returns the whole response.
    pub async fn import_invoice(
        &self,
        token: &str,
        company: &str,
        name: &str,
        content: Vec<u8>,
    ) -> serde_json::Value {
        let operations = serde_json::json!({
            "query": format!("mutation($c: ID!, $f: Upload!) {{ importInvoice(companyId: $c, file: $f) {{ {INVOICE_FIELDS} }} }}"),
            "variables": {"c": company, "f": null},
        });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", serde_json::json!({"0": ["variables.f"]}).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(content).file_name(name.to_string()),
            );
        self.client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("upload reaches the server")
            .json()
            .await
            .expect("JSON answer")
    }

    /// Like [`import_invoice`](Self::import_invoice), but it must succeed: the invoice.
    pub async fn imported(
        &self,
        token: &str,
        company: &str,
        name: &str,
        content: Vec<u8>,
    ) -> serde_json::Value {
        let response = self.import_invoice(token, company, name, content).await;
        assert!(
            response.get("errors").is_none(),
            "import refused: {response:#}"
        );
        response["data"]["importInvoice"].clone()
    }
}

/// A PDF carrying `xml` as `factur-x.xml` the way ZUGFeRD 2 and Factur-X attach it (the
/// catalog's `/AF` and `/Names /EmbeddedFiles`), with one page whose content stream is
/// `filler` bytes long: a scanned page's weight, for the benchmark's 5 MB PDF.
pub fn zugferd_pdf(xml: &[u8], filler: usize) -> Vec<u8> {
    let mut content = Vec::with_capacity(filler);
    while content.len() < filler {
        content.extend_from_slice(b"% a scanned page weighs a few megabytes\n");
    }
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 4 0 R] >> >> /AF [4 0 R] >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R >>".to_vec(),
        b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Alternative /EF << /F 5 0 R >> >>".to_vec(),
        stream(b"/Type /EmbeddedFile /Subtype /text#2Fxml", xml),
        stream(b"", &content),
    ];
    let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

fn stream(dict: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = b"<< ".to_vec();
    out.extend_from_slice(dict);
    out.extend_from_slice(format!(" /Length {} >>\nstream\n", data.len()).as_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// An invoice of `lines` lines of the products `P-0` … from `seller`, each 2 packs at 10.00.
pub fn many_lines(number: &str, seller: &str, vat_id: &str, lines: usize) -> Vec<u8> {
    let ids: Vec<(String, String)> = (0..lines)
        .map(|k| ((k + 1).to_string(), format!("P-{k}")))
        .collect();
    let invoice = Invoice {
        number,
        type_code: "380",
        issue_date: "2026-12-01",
        seller_name: seller,
        seller_vat_id: Some(vat_id),
        order_reference: None,
        lines: ids
            .iter()
            .map(|(id, sku)| Line {
                id,
                name: "Ware",
                seller_item_id: Some(sku),
                gtin: None,
                quantity: "2",
                unit_code: "H87",
                net_price: "10.00",
                net_amount: "20.00",
                vat_percent: "7",
            })
            .collect(),
    };
    cii(&invoice)
}

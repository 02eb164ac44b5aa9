//! The JSON shapes Larder reads (reference/pos-apis.md §1.3); unknown fields are ignored. The
//! reference shows examples, not a schema, so a field is optional unless Larder cannot work
//! without it (a location's id, a sale line's id and quantity); lists may be missing or `null`;
//! decimals may be numbers or strings.

use serde::Deserialize;

use crate::pos::live::source::wire::{Amount, Id, null_as_default};

#[derive(Deserialize)]
pub struct Businesses {
    #[serde(rename = "_embedded", default, deserialize_with = "null_as_default")]
    pub embedded: Embedded,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Embedded {
    #[serde(default, deserialize_with = "null_as_default")]
    pub business_list: Vec<Business>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Business {
    pub business_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub business_locations: Vec<BusinessLocation>,
}

#[derive(Deserialize)]
pub struct BusinessLocation {
    #[serde(rename = "blName")]
    pub bl_name: Option<String>,
    #[serde(rename = "blID")]
    pub bl_id: Id,
    pub timezone: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub name: Option<String>,
    pub sku: Option<String>,
    pub accounting_group: Option<AccountingGroup>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub statistic_groups: Vec<StatisticGroup>,
}

#[derive(Deserialize)]
pub struct AccountingGroup {
    pub name: Option<String>,
}

#[derive(Deserialize)]
pub struct StatisticGroup {
    pub value: Option<String>,
}

/// `dataComplete` is in the reference's example only: without it, a past business day (the
/// only kind Larder asks for) is whole.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SalesDaily {
    #[serde(default, deserialize_with = "null_as_default")]
    pub sales: Vec<Sale>,
    pub data_complete: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sale {
    pub account_fisc_id: Option<String>,
    pub receipt_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub sales_lines: Vec<SaleLine>,
    pub time_closed: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub cancelled: bool,
    #[serde(rename = "type")]
    pub sale_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaleLine {
    pub id: String,
    pub sku: Option<String>,
    pub name: Option<String>,
    pub quantity: Amount,
    pub total_net_amount_with_tax: Option<Amount>,
    pub time_of_sale: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sales_daily_parses_the_documented_shape() {
        let body = r#"{"sales":[{"accountFiscId":"A1","receiptId":"R1","type":"REFUND","cancelled":false,
            "timeClosed":"2023-02-14T20:04:08.734Z",
            "salesLines":[{"id":"S1","sku":"52","name":"Burger","quantity":"1.000","totalNetAmountWithTax":"11.00",
            "timeOfSale":"2023-07-27T19:58:22.474Z","parentLineId":null}]}],
            "nextStartOfDayAsIso8601":"2023-07-28T05:30:00-05:00","dataComplete":true}"#;
        let parsed: SalesDaily = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.data_complete, Some(true));
        assert_eq!(parsed.sales[0].sales_lines[0].quantity.text(), "1.000");
        assert_eq!(parsed.sales[0].sale_type.as_deref(), Some("REFUND"));
    }

    #[test]
    fn documented_examples_read_with_missing_fields_nulls_and_numbers() {
        let body = r#"{"sales":[{"salesLines":[{"id":"S1","quantity":2,"totalNetAmountWithTax":11.5}],
            "cancelled":null}],"dataComplete":null}"#;
        let parsed: SalesDaily = serde_json::from_str(body).unwrap();
        assert_eq!(parsed.data_complete, None);
        assert_eq!(parsed.sales[0].sales_lines[0].quantity.text(), "2");
        assert!(!parsed.sales[0].cancelled);
        let businesses: Businesses = serde_json::from_str(
            r#"{"_embedded":{"businessList":[{"businessLocations":[{"blID":"42"}]}]}}"#,
        )
        .unwrap();
        assert_eq!(
            businesses.embedded.business_list[0].business_locations[0]
                .bl_id
                .to_string(),
            "42"
        );
        let empty: Businesses = serde_json::from_str("{}").unwrap();
        assert!(empty.embedded.business_list.is_empty());
        let missing: Result<SalesDaily, _> =
            serde_json::from_str(r#"{"sales":[{"salesLines":[{"quantity":"1"}]}]}"#);
        assert!(missing.err().unwrap().to_string().contains("`id`"));
    }
}

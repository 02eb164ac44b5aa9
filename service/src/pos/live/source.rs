//! What every live POS offers the pipeline ([`PosSource`]: locations, items, one business day)
//! and how providers read the values they all send (decimals, times, ids).

use chrono::NaiveDate;

use crate::error::{ServiceError, ServiceResult};
use crate::pos::Provider;
use crate::pos::sale_lines::NewSaleLine;

/// A location (Lightspeed business location, Sides store) as the POS lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteLocation {
    pub external_id: String,
    pub name: String,
    pub timezone: Option<String>,
}

/// A sellable item (Lightspeed item, Sides product) as the POS lists it; `external_id` is the
/// key sale lines carry, so mappings made on items apply to sales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    pub external_id: String,
    pub name: String,
    pub category: Option<String>,
}

/// One business day of one location: its sale lines, and whether the POS says it is complete
/// (a day that is not is never posted).
#[derive(Debug, Clone)]
pub struct RemoteDay {
    pub lines: Vec<NewSaleLine>,
    pub complete: bool,
}

/// What the pipeline needs of a live POS. Each provider keeps its wire format in its own module.
pub trait PosSource {
    /// Checks that the POS is reachable and accepts the stored credentials.
    fn check(&self) -> impl Future<Output = ServiceResult<()>> + Send;
    fn locations(&self) -> impl Future<Output = ServiceResult<Vec<RemoteLocation>>> + Send;
    fn items(&self, location: &str) -> impl Future<Output = ServiceResult<Vec<RemoteItem>>> + Send;
    fn day(
        &self,
        location: &str,
        date: NaiveDate,
    ) -> impl Future<Output = ServiceResult<RemoteDay>> + Send;
}

/// The provider's name as people know it, for messages.
pub fn provider_name(provider: Provider) -> &'static str {
    match provider {
        Provider::LightspeedK => "Lightspeed",
        Provider::Sides => "Sides",
        Provider::Csv => "CSV",
    }
}

/// Parses a POS decimal string ("1.000", "-2.5") into millionths, never through a float.
pub(crate) fn decimal_micro(provider: &str, what: &str, value: &str) -> ServiceResult<i64> {
    let parsed: rust_decimal::Decimal = value.trim().parse().map_err(|_| {
        ServiceError::provider(
            provider,
            format!("answered with data Larder cannot read ({what} {value:?} is not a number)"),
        )
    })?;
    // The input bound (a billion) holds for a POS as for a person.
    crate::quantity::to_micro(parsed, what).map_err(|_| {
        ServiceError::provider(
            provider,
            format!("answered with data Larder cannot read ({what} {value:?} is out of range)"),
        )
    })
}

/// An RFC 3339 time as microseconds since the epoch.
pub(crate) fn time_micros(provider: &str, what: &str, value: &str) -> ServiceResult<i64> {
    chrono::DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.timestamp_micros())
        .map_err(|_| {
            ServiceError::provider(
                provider,
                format!("answered with data Larder cannot read ({what} {value:?} is not a time)"),
            )
        })
}

/// Wire types every provider reads the same way: as documented, no stricter.
pub(crate) mod wire {
    use serde::{Deserialize, Deserializer};

    /// A decimal a contract documents as "decimal": a JSON number or a string.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Amount {
        Number(serde_json::Number),
        Text(String),
    }

    impl Amount {
        pub fn text(&self) -> String {
            match self {
                Amount::Number(n) => n.to_string(),
                Amount::Text(s) => s.clone(),
            }
        }
    }

    /// Ids may come as numbers or strings.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    pub enum Id {
        Number(i64),
        Text(String),
    }

    impl std::fmt::Display for Id {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Id::Number(n) => write!(f, "{n}"),
                Id::Text(s) => f.write_str(s),
            }
        }
    }

    /// A list or flag that may be missing or `null`: both read as its default.
    pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Default + Deserialize<'de>,
    {
        Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
    }
}

//! The server's states and kinds as the pages read them: one Rust enum each, spelled as the
//! GraphQL enum spells its values, so a page compares variants, never strings.

use serde::{Deserialize, Serialize};

macro_rules! states {
    ($($(#[$doc:meta])* $name:ident ($prefix:literal) { $($variant:ident = $code:literal),+ $(,)? })+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in the order people read them (for a select); not every kind has one.
            #[allow(dead_code)]
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The value as GraphQL spells it (a query variable, a select's value).
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            /// Its catalogue key: `order-status-sent`, `type-transfer-in`.
            pub fn key(self) -> String {
                format!("{}-{}", $prefix, self.code().to_lowercase().replace('_', "-"))
            }

            /// The value as people read it, in their language.
            pub fn label(self) -> String {
                crate::i18n::t(&self.key())
            }

            /// Every value as a select's (value, label) choices.
            #[allow(dead_code)]
            pub fn choices() -> Vec<(String, String)> {
                Self::ALL.iter().map(|v| (v.code().to_string(), v.label())).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    )+};
}

states! {
    /// What a member may do in a company.
    Role ("role") { Owner = "OWNER", Manager = "MANAGER", Staff = "STAFF", Viewer = "VIEWER" }
    OrderStatus ("order-status") {
        Draft = "DRAFT", Sent = "SENT", Partial = "PARTIAL", Received = "RECEIVED",
        Cancelled = "CANCELLED",
    }
    TransactionType ("type") {
        Receipt = "RECEIPT", Issue = "ISSUE", Waste = "WASTE", TransferOut = "TRANSFER_OUT",
        TransferIn = "TRANSFER_IN", Adjust = "ADJUST",
    }
    JobState ("job-state") {
        Queued = "QUEUED", Running = "RUNNING", Succeeded = "SUCCEEDED", Failed = "FAILED",
        Cancelled = "CANCELLED",
    }
    JobKind ("job-kind") {
        CsvImport = "CSV_IMPORT", HistoricalMigration = "HISTORICAL_MIGRATION",
        AutomaticTransfer = "AUTOMATIC_TRANSFER", ManualTransfer = "MANUAL_TRANSFER",
        SyncLocations = "SYNC_LOCATIONS", SyncItems = "SYNC_ITEMS",
    }
    PosProvider ("provider") { LightspeedK = "LIGHTSPEED_K", Sides = "SIDES", Csv = "CSV" }
    PosConnectionState ("connection-state") {
        NotConnected = "NOT_CONNECTED", Connected = "CONNECTED",
        NeedsReconnect = "NEEDS_RECONNECT",
    }
    AutomaticTransferState ("auto-transfer") { Active = "ACTIVE", Paused = "PAUSED" }
    TransferStatus ("transfer-status") {
        Draft = "DRAFT", Shipped = "SHIPPED", Closed = "CLOSED", Cancelled = "CANCELLED",
    }
    CountStatus ("count-status") { Open = "OPEN", Posted = "POSTED", Cancelled = "CANCELLED" }
    InvoiceStatus ("invoice-status") { Open = "OPEN", Posted = "POSTED", Discarded = "DISCARDED" }
    InvoiceKind ("invoice-kind") { Invoice = "INVOICE", CreditNote = "CREDIT_NOTE" }
    InvoiceLineMatch ("invoice-match") {
        SellerItemId = "SELLER_ITEM_ID", Gtin = "GTIN", Remembered = "REMEMBERED", Manual = "MANUAL",
        NotStock = "NOT_STOCK", None = "NONE",
    }
}

impl Role {
    /// Managers and owners edit master data; others see it read-only.
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Owner | Role::Manager)
    }
}

impl JobState {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobState::Succeeded | JobState::Failed | JobState::Cancelled
        )
    }
}

impl TransactionType {
    /// Stock coming in (drawn green) rather than going out.
    pub fn is_inflow(self) -> bool {
        matches!(self, TransactionType::Receipt | TransactionType::TransferIn)
    }

    pub fn is_transfer(self) -> bool {
        matches!(
            self,
            TransactionType::TransferIn | TransactionType::TransferOut
        )
    }
}

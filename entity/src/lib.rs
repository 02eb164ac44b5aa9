//! SeaORM entities: one module per table, column types only. Quantities and money are scaled
//! integers (`*_micro`: millionths), converted to `rust_decimal` in the service layer.

pub mod api_token;
pub mod company;
pub mod count_entry;
pub mod csv_import;
pub mod csv_upload_chunk;
pub mod ingredient;
pub mod ingredient_place;
pub mod invoice;
pub mod invoice_line;
pub mod invoice_line_choice;
pub mod invoice_original;
pub mod job_run;
pub mod ledger_entry;
pub mod membership;
pub mod packaging_level;
pub mod pos_integration;
pub mod pos_item;
pub mod pos_location;
pub mod pos_mapping;
pub mod pos_oauth_state;
pub mod pos_sale_line;
pub mod product;
pub mod purchase_order;
pub mod purchase_order_item;
pub mod recipe;
pub mod recipe_line;
pub mod sales_import;
pub mod session;
pub mod stock_balance;
pub mod stock_count;
pub mod stock_count_line;
pub mod stock_policy;
pub mod storage_place;
pub mod storage_unit;
pub mod transfer;
pub mod transfer_line;
pub mod user;
pub mod vendor;
pub mod webhook_event;

/// States and kinds read in messages as words: `NEEDS_RECONNECT` is "needs reconnect"; in files
/// and JSON as their stored code, `NEEDS_RECONNECT`.
#[macro_export]
macro_rules! said_as_words {
    ($($kind:ty),+ $(,)?) => {
        $(impl ::std::fmt::Display for $kind {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let stored = ::sea_orm::ActiveEnum::to_value(self);
                f.write_str(&stored.to_lowercase().replace('_', " "))
            }
        }

        impl $kind {
            /// The code as stored and as exports and JSON answers name it.
            pub fn code(&self) -> String {
                ::sea_orm::ActiveEnum::to_value(self)
            }
        })+
    };
}

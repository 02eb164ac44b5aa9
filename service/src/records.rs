//! The rows the service hands out, named for what they are. The API and the jobs read these
//! records; only the service's own modules reach the tables they come from.

pub use entity::api_token::Model as ApiToken;
pub use entity::company::Model as Company;
pub use entity::count_entry::Model as CountEntry;
pub use entity::csv_import::Model as CsvImport;
pub use entity::ingredient::Model as Ingredient;
pub use entity::invoice::Model as Invoice;
pub use entity::job_run::Model as JobRun;
pub use entity::ledger_entry::Model as LedgerEntry;
pub use entity::packaging_level::Model as PackagingLevel;
pub use entity::pos_integration::Model as PosIntegration;
pub use entity::pos_location::Model as PosLocation;
pub use entity::pos_mapping::Model as PosMapping;
pub use entity::product::Model as Product;
pub use entity::purchase_order::Model as PurchaseOrder;
pub use entity::purchase_order_item::Model as PurchaseOrderItem;
pub use entity::recipe::Model as Recipe;
pub use entity::recipe_line::Model as RecipeLine;
pub use entity::sales_import::Model as SalesImport;
pub use entity::stock_balance::Model as StockBalance;
pub use entity::stock_count::Model as StockCount;
pub use entity::stock_policy::Model as StockPolicy;
pub use entity::storage_place::Model as StoragePlace;
pub use entity::storage_unit::Model as StorageUnit;
pub use entity::transfer::Model as Transfer;
pub use entity::transfer_line::Model as TransferLine;
pub use entity::user::Model as User;
pub use entity::vendor::Model as Vendor;

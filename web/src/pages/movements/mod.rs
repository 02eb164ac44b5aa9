//! Forms that post stock movements: waste (one line or many, all or nothing), transfers between
//! storage units, and stock counts against the books.

mod choices;
mod count_list;
mod counts;
mod transfer_list;
mod transfers;
mod waste;

pub use counts::StockCounts;
pub use transfers::Transfers;
pub use waste::Waste;

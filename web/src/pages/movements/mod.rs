//! Forms that post stock movements: waste (one line or many, all or nothing) and transfers
//! between storage units. Stock counts are `pages::counting`.

mod choices;
mod transfer_list;
mod transfers;
mod waste;

pub use transfers::Transfers;
pub use waste::Waste;

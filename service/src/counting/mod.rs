//! Counting anywhere (DESIGN.md, "Counting anywhere"): the walk through a storage unit
//! (`places`), scanning packs (`barcodes`), several counters' entries (`entries`, settled place
//! by place in `settle`) and the count sheet in walking order, blind for staff where the company
//! asks (`sheet`). The count session itself — open, post, cancel — is `stock_counts`.

pub mod barcodes;
pub mod entries;
pub mod places;
pub mod settle;
pub mod sheet;

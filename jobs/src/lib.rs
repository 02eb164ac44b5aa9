//! Background work: the apalis queue, its workers and the scheduler. Until the POS pipeline
//! lands, Larder has no background work; this crate holds the place the layers reserve for it.

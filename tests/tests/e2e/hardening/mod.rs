//! Hostile input and failure: bounded bodies and strings, slow clients, panics and stalls that
//! hold up no one else, properties over random input, reference files from real systems.

mod faults;
mod http;
mod input;
mod properties;
mod reference;

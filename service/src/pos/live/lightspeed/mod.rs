//! Lightspeed Restaurant K-Series (reference/pos-apis.md §1): OAuth2 authorization code with
//! PKCE (V2 Keycloak realm by default, V1 selectable), tokens encrypted at rest and refreshed
//! one at a time per integration, and the three reads Larder needs — business locations
//! (`/f/data/businesses`), items (`/items/v1/items`, paged) and one business day of sales
//! (`/f/v2/business-location/{id}/sales-daily`).
//!
//! Choices where the vendor is silent (documented in the README): items are keyed by SKU (the
//! field sale lines carry), by `name:<name>` without one; REFUND accounts put stock back
//! (quantities made negative when they are not already); cancelled accounts and VOID/CANCEL
//! types deduct nothing; other account types that move no goods (TRANSFER, SPLIT, UPDATE, …)
//! are kept as VOID lines so they show as skipped in the log. Modifier lines (`parentLineId`)
//! are lines of their own.

mod client;
mod oauth;
pub(in crate::pos::live) mod settings;
mod wire;

pub use client::LightspeedClient;
pub use oauth::{
    Tokens, abandon_authorization, authorize_url, finish_authorization, integration_of_state,
    receive_callback, redirect_uri, refresh,
};
pub use settings::{LightspeedSettings, OAuthVersion, SCOPES};

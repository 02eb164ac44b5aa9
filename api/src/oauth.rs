//! `GET /oauth/lightspeed/callback`: where Lightspeed sends the browser back after the user
//! authorized (or declined) Larder. The code is kept with the pending authorization and the
//! browser returns to the integration's page, whose SPA — signed in as the user who started the
//! authorization — finishes it (`finishLightspeedAuthorization`). A callback alone cannot tell
//! whose browser it serves, so it never connects anything by itself.

use actix_web::{HttpResponse, web};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use service::pos::live::lightspeed;

use crate::graphql::context::AppSettings;

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn back_to(integration: Option<i64>, outcome: Result<&str, String>) -> HttpResponse {
    let page = match integration {
        Some(id) => format!("/integrations/{id}"),
        None => "/integrations".to_string(),
    };
    let query = match outcome {
        Ok(state) => format!("lightspeedAuthorization={}", urlencode(state)),
        Err(message) => format!("oauthError={}", urlencode(&message)),
    };
    HttpResponse::SeeOther()
        .insert_header(("Location", format!("{page}?{query}")))
        .finish()
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub async fn lightspeed_callback(
    db: web::Data<DatabaseConnection>,
    settings: web::Data<AppSettings>,
    query: web::Query<CallbackQuery>,
) -> HttpResponse {
    let Some(state) = query.state.as_deref().filter(|s| !s.is_empty()) else {
        return back_to(
            None,
            Err("Lightspeed sent the browser back without the state Larder gave it; start the connection again".into()),
        );
    };
    let integration = lightspeed::integration_of_state(db.get_ref(), state)
        .await
        .ok()
        .flatten();
    if let Some(error) = &query.error {
        let _ = lightspeed::abandon_authorization(db.get_ref(), state).await;
        let why = query.error_description.as_deref().unwrap_or(error);
        return back_to(
            integration,
            Err(format!("Lightspeed did not authorize Larder: {why}")),
        );
    }
    let Some(code) = query.code.as_deref().filter(|c| !c.is_empty()) else {
        return back_to(
            integration,
            Err("Lightspeed sent the browser back without an authorization code".into()),
        );
    };
    match lightspeed::receive_callback(db.get_ref(), &settings.live, state, code).await {
        Ok(id) => back_to(Some(id), Ok(state)),
        Err(e) => {
            let (_, message) = crate::graphql::errors::code_and_message(&e);
            back_to(integration, Err(message))
        }
    }
}

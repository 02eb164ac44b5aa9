//! Who is signed in and which company they are working in: the session every page reads.

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::json;

use crate::api;
use crate::model::Me;
use crate::states::Role;

/// Who is signed in and which company they are working in; shared by every page.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    pub company: RwSignal<Option<String>>,
    pub loaded: RwSignal<bool>,
}

impl Session {
    /// The app's one session, given to every page; a stored token is signed in again.
    pub fn provide() -> Self {
        let session = Session {
            me: RwSignal::new(None),
            company: RwSignal::new(None),
            loaded: RwSignal::new(false),
        };
        provide_context(session);
        if api::token().is_some() {
            session.reload();
        } else {
            session.loaded.set(true);
        }
        session
    }

    /// The company every page works in.
    pub fn company_id(&self) -> String {
        self.company.get().unwrap_or_default()
    }

    pub fn role(&self) -> Option<Role> {
        let company = self.company.get()?;
        self.me
            .get()?
            .memberships
            .into_iter()
            .find(|m| m.company.id == company)
            .map(|m| m.role)
    }

    /// Managers and owners edit master data; others see it read-only.
    pub fn can_manage(&self) -> bool {
        self.role().is_some_and(Role::can_manage)
    }

    pub fn is_owner(&self) -> bool {
        self.role() == Some(Role::Owner)
    }

    /// Keeps a new session's token and loads who it belongs to.
    pub fn sign_in(self, token: &str) {
        api::set_token(Some(token));
        self.reload();
    }

    /// Reloads the user and their memberships (after sign-in, or a company change).
    pub fn reload(self) {
        // Pages wait for the answer instead of taking "no user yet" for "signed out".
        self.loaded.set(false);
        leptos::task::spawn_local(async move {
            #[derive(Deserialize)]
            struct Data {
                me: Me,
            }
            match api::gql::<Data>(ME, json!({})).await {
                Ok(data) => {
                    let stored = api::stored_company();
                    let pick = stored
                        .filter(|c| data.me.memberships.iter().any(|m| &m.company.id == c))
                        .or_else(|| data.me.memberships.first().map(|m| m.company.id.clone()));
                    crate::i18n::remember(
                        data.me
                            .locale
                            .as_deref()
                            .and_then(crate::i18n::Lang::from_tag),
                    );
                    self.company.set(pick);
                    api::keep_me(&data.me);
                    self.me.set(Some(data.me));
                }
                // No signal: the user last seen here stays signed in (their token is kept), so a
                // count started online goes on after a reload. Any other answer signs out.
                Err(e) if e.code == "NETWORK" => match api::kept_me() {
                    Some(me) => {
                        self.company.set(
                            api::stored_company()
                                .or_else(|| me.memberships.first().map(|m| m.company.id.clone())),
                        );
                        self.me.set(Some(me));
                    }
                    None => self.me.set(None),
                },
                Err(_) => self.me.set(None),
            }
            self.loaded.set(true);
        });
    }
}

const ME: &str = "{ me { id name email locale memberships { role company { id name currency timezone businessDayStartHour salesVatPercent priceAlertPercent blindCounts } } } }";

pub fn use_session() -> Session {
    expect_context::<Session>()
}

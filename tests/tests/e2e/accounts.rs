//! Sign-up, login, sessions, lockout, roles and API tokens, end to end over GraphQL.

use serde_json::json;
use tests::{Backend, TestApp, error_code, error_field, on_both_backends};

const ME: &str = "{ me { email memberships { role company { name timezone currency } } } }";
const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { email } } }";

async fn sign_up_login_logout(app: TestApp) {
    let (token, _) = app.sign_up("owner@example.com").await;
    let me = app.ok(&token, ME, json!({})).await;
    assert_eq!(me["me"]["email"], "owner@example.com");
    assert_eq!(me["me"]["memberships"][0]["role"], "OWNER");
    assert_eq!(
        me["me"]["memberships"][0]["company"]["timezone"],
        "Europe/Berlin"
    );

    let wrong = app
        .gql(
            None,
            LOGIN,
            json!({"e": "owner@example.com", "p": "not the password"}),
        )
        .await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    assert!(wrong["data"].is_null());
    let unknown = app
        .gql(
            None,
            LOGIN,
            json!({"e": "nobody@example.com", "p": "whatever1"}),
        )
        .await;
    assert_eq!(error_code(&unknown), "UNAUTHENTICATED");
    assert_eq!(
        wrong["errors"][0]["message"], unknown["errors"][0]["message"],
        "no hint which emails exist"
    );

    let login = app
        .gql(
            None,
            LOGIN,
            json!({"e": "OWNER@example.com ", "p": "correct horse battery"}),
        )
        .await;
    let second = login["data"]["login"]["token"]
        .as_str()
        .expect("login token")
        .to_string();
    assert_ne!(second, token);

    assert_eq!(
        app.ok(&second, "mutation { logout }", json!({})).await["logout"],
        true
    );
    let after = app.gql(Some(&second), ME, json!({})).await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
    // The first session is untouched by the second one's logout.
    app.ok(&token, ME, json!({})).await;

    let anonymous = app.gql(None, ME, json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let garbage = app.gql(Some("lds_forged"), ME, json!({})).await;
    assert_eq!(error_code(&garbage), "UNAUTHENTICATED");
}
on_both_backends!(sign_up_login_logout_works, sign_up_login_logout);

async fn sign_up_validation(app: TestApp) {
    let query = "mutation($input: SignUpInput!) { signUp(input: $input) { token } }";
    let base = json!({"email": "chef@example.com", "password": "long enough", "name": "Chef", "companyName": "Bistro"});
    let cases = [
        ("email", json!("not-an-email")),
        ("password", json!("short")),
        ("companyName", json!("  ")),
        ("timezone", json!("Mars/Olympus")),
        ("currency", json!("EURO")),
    ];
    for (field, value) in cases {
        let mut input = base.clone();
        input[field] = value;
        let response = app.gql(None, query, json!({"input": input})).await;
        assert_eq!(error_code(&response), "VALIDATION", "{field}: {response}");
        assert_eq!(error_field(&response), field);
    }
    app.sign_up("chef@example.com").await;
    let again = app.gql(None, query, json!({"input": base})).await;
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(error_field(&again), "email");
    // Nothing half-written by the refused sign-ups: one user, one company.
    let (token, _) = app.sign_up("second@example.com").await;
    let me = app.ok(&token, ME, json!({})).await;
    assert_eq!(me["me"]["memberships"].as_array().unwrap().len(), 1);
}
on_both_backends!(sign_up_refuses_bad_input, sign_up_validation);

async fn expired_session(app: TestApp) {
    let (token, _) = app.sign_up("brief@example.com").await;
    app.ok(&token, ME, json!({})).await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let response = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(error_code(&response), "UNAUTHENTICATED");
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{response}"
    );
}

mod expired_session_is_refused {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        expired_session(TestApp::spawn_with(Backend::Sqlite, |s| s.session_ttl_seconds = 1).await)
            .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        expired_session(TestApp::spawn_with(Backend::Postgres, |s| s.session_ttl_seconds = 1).await)
            .await
    }
}

async fn lockout(app: TestApp) {
    app.sign_up("target@example.com").await;
    for _ in 0..5 {
        let r = app
            .gql(
                None,
                LOGIN,
                json!({"e": "target@example.com", "p": "guess-guess"}),
            )
            .await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED");
    }
    // Even the right password is refused while the account is locked.
    let locked = app
        .gql(
            None,
            LOGIN,
            json!({"e": "target@example.com", "p": "correct horse battery"}),
        )
        .await;
    assert_eq!(error_code(&locked), "UNAUTHENTICATED");
    let retry = locked["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_i64()
        .expect("retryAfterSeconds");
    assert!((1..=60).contains(&retry), "{locked}");
    assert!(
        locked["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too many failed logins")
    );
}
on_both_backends!(repeated_failed_logins_lock_the_account, lockout);

const CREATE_UNIT: &str =
    "mutation($c: ID!, $n: String!) { createStorageUnit(companyId: $c, name: $n) { id name } }";
const UNITS: &str = "query($c: ID!) { storageUnits(companyId: $c) { name } }";

async fn roles(app: TestApp) {
    let (owner, company) = app.sign_up("owner@example.com").await;
    let mut tokens = std::collections::HashMap::new();
    for role in ["MANAGER", "STAFF", "VIEWER"] {
        let email = format!("{}@example.com", role.to_lowercase());
        let (token, _) = app.sign_up(&email).await;
        let added = app
            .ok(&owner, "mutation($c: ID!, $e: String!, $r: Role!) { addMember(companyId: $c, email: $e, role: $r) { role email } }", json!({"c": company, "e": email, "r": role}))
            .await;
        assert_eq!(added["addMember"]["role"], role);
        tokens.insert(role, token);
    }
    // Master data needs MANAGER or OWNER; everyone in the company may read.
    for (role, expect_ok) in [("MANAGER", true), ("STAFF", false), ("VIEWER", false)] {
        let token = &tokens[role];
        let r = app
            .gql(
                Some(token),
                CREATE_UNIT,
                json!({"c": company, "n": format!("Unit by {role}")}),
            )
            .await;
        if expect_ok {
            assert!(r.get("errors").is_none(), "{role}: {r}");
        } else {
            assert_eq!(error_code(&r), "FORBIDDEN", "{role}: {r}");
        }
        app.ok(token, UNITS, json!({"c": company})).await;
    }
    // Members and tokens are the owner's.
    let r = app
        .gql(Some(&tokens["MANAGER"]), "mutation($c: ID!) { addMember(companyId: $c, email: \"viewer@example.com\", role: OWNER) { role } }", json!({"c": company}))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    let members = app
        .ok(
            &owner,
            "query($c: ID!) { members(companyId: $c) { email role } }",
            json!({"c": company}),
        )
        .await;
    assert_eq!(members["members"].as_array().unwrap().len(), 4);
    // The last owner cannot leave.
    let me = app.ok(&owner, "{ me { id } }", json!({})).await;
    let r = app
        .gql(
            Some(&owner),
            "mutation($c: ID!, $u: ID!) { removeMember(companyId: $c, userId: $u) }",
            json!({"c": company, "u": me["me"]["id"]}),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT");
    let units = app.ok(&owner, UNITS, json!({"c": company})).await;
    assert_eq!(
        units["storageUnits"].as_array().unwrap().len(),
        1,
        "only the manager's unit was created"
    );
}
on_both_backends!(roles_are_enforced, roles);

const CREATE_TOKEN: &str = "mutation($c: ID!, $r: Role!) { createApiToken(companyId: $c, name: \"POS bridge\", role: $r) { token apiToken { id prefix role } } }";

async fn api_tokens(app: TestApp) {
    let (owner, company) = app.sign_up("owner@example.com").await;
    let viewer = app
        .ok(&owner, CREATE_TOKEN, json!({"c": company, "r": "VIEWER"}))
        .await;
    let viewer_token = viewer["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        viewer_token.starts_with(
            viewer["createApiToken"]["apiToken"]["prefix"]
                .as_str()
                .unwrap()
        )
    );
    let manager = app
        .ok(&owner, CREATE_TOKEN, json!({"c": company, "r": "MANAGER"}))
        .await;
    let manager_token = manager["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_string();

    app.ok(&viewer_token, UNITS, json!({"c": company})).await;
    let denied = app
        .gql(
            Some(&viewer_token),
            CREATE_UNIT,
            json!({"c": company, "n": "Cellar"}),
        )
        .await;
    assert_eq!(error_code(&denied), "FORBIDDEN");
    app.ok(
        &manager_token,
        CREATE_UNIT,
        json!({"c": company, "n": "Cellar"}),
    )
    .await;
    // A token cannot mint tokens, even for its own company.
    let r = app
        .gql(
            Some(&manager_token),
            CREATE_TOKEN,
            json!({"c": company, "r": "OWNER"}),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");

    let listed = app
        .ok(
            &owner,
            "query($c: ID!) { apiTokens(companyId: $c) { id name lastUsedAt revokedAt } }",
            json!({"c": company}),
        )
        .await;
    assert_eq!(listed["apiTokens"].as_array().unwrap().len(), 2);
    assert!(
        !listed.to_string().contains(&viewer_token),
        "the secret is never listed"
    );

    let id = viewer["createApiToken"]["apiToken"]["id"].clone();
    let revoked = app
        .ok(
            &owner,
            "mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }",
            json!({"id": id}),
        )
        .await;
    assert!(revoked["revokeApiToken"]["revokedAt"].is_string());
    let after = app
        .gql(Some(&viewer_token), UNITS, json!({"c": company}))
        .await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
    assert!(
        after["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );

    let past = app
        .gql(Some(&owner), "mutation($c: ID!) { createApiToken(companyId: $c, name: \"old\", role: VIEWER, expiresAt: \"2020-01-01T00:00:00Z\") { token } }", json!({"c": company}))
        .await;
    assert_eq!(error_code(&past), "VALIDATION");
    assert_eq!(error_field(&past), "expiresAt");
}
on_both_backends!(api_tokens_are_scoped_and_revocable, api_tokens);

const UPDATE_ME: &str = "mutation($in: UpdateMeInput!) { updateMe(input: $in) { name locale } }";

/// A user's language is theirs to choose, kept on the server; null follows the browser again.
async fn a_user_chooses_their_language(app: TestApp) {
    let (token, company) = app.sign_up("sprache@example.com").await;
    let me = app.ok(&token, "{ me { locale } }", json!({})).await;
    assert!(
        me["me"]["locale"].is_null(),
        "the browser's language at first"
    );
    let set = app
        .ok(&token, UPDATE_ME, json!({"in": {"locale": "DE"}}))
        .await;
    assert_eq!(set["updateMe"]["locale"], "DE");
    let me = app.ok(&token, "{ me { name locale } }", json!({})).await;
    assert_eq!(me["me"]["locale"], "DE");
    // Changing the name leaves the language alone.
    let renamed = app
        .ok(&token, UPDATE_ME, json!({"in": {"name": "Greta"}}))
        .await;
    assert_eq!(
        renamed["updateMe"],
        json!({"name": "Greta", "locale": "DE"})
    );
    let cleared = app
        .ok(&token, UPDATE_ME, json!({"in": {"locale": null}}))
        .await;
    assert!(cleared["updateMe"]["locale"].is_null());
    // Bad input changes nothing.
    let bad = app
        .gql(Some(&token), UPDATE_ME, json!({"in": {"name": "   "}}))
        .await;
    assert_eq!(error_code(&bad), "VALIDATION");
    assert_eq!(error_field(&bad), "name");
    let unknown = app
        .gql(Some(&token), UPDATE_ME, json!({"in": {"locale": "FR"}}))
        .await;
    assert!(unknown["errors"].is_array(), "{unknown}");
    let me = app.ok(&token, "{ me { name locale } }", json!({})).await;
    assert_eq!(me["me"], json!({"name": "Greta", "locale": null}));
    // An API token speaks for a company, not a person.
    let api = app
        .ok(&token, CREATE_TOKEN, json!({"c": company, "r": "MANAGER"}))
        .await;
    let api = api["createApiToken"]["token"].as_str().unwrap();
    let refused = app
        .gql(Some(api), UPDATE_ME, json!({"in": {"locale": "EN"}}))
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
}
on_both_backends!(a_user_chooses_their_language);

//! The simulator itself enforces the OAuth rules the connector must follow.

use super::*;

/// The simulator holds Lightspeed's OAuth rules (so the tests above mean something): the
/// client's secret, the PKCE verifier, single-use codes and refresh tokens, scopes, expiry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_enforces_the_oauth_rules() {
    use base64::Engine;
    use sha2::Digest;
    let sim = Simulator::start(tests::sim::SimConfig::default(), "127.0.0.1:0")
        .await
        .unwrap();
    let client = tests::live::browser_like_client();
    let config = sim.state().config.clone();
    let verifier = "a-verifier-that-is-long-enough-for-pkce-0123456789";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    let redirect = "http://127.0.0.1:9/oauth/lightspeed/callback";
    // Consent for `financial-api` only.
    let code = |scope: &'static str| {
        let (client, sim_auth, challenge) =
            (client.clone(), sim.lightspeed_auth_url(), challenge.clone());
        let client_id = config.client_id.clone();
        async move {
            let r = client
                .post(sim_auth)
                .form(&[
                    ("decision", "allow"),
                    ("client_id", &client_id),
                    ("redirect_uri", redirect),
                    ("scope", scope),
                    ("state", "s1"),
                    ("code_challenge", &challenge),
                ])
                .send()
                .await
                .unwrap();
            let location = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
            location
                .query_pairs()
                .find(|(k, _)| k == "code")
                .unwrap()
                .1
                .into_owned()
        }
    };
    let token = |form: Vec<(&'static str, String)>, secret: String| {
        let (client, url, id) = (
            client.clone(),
            sim.lightspeed_token_url(),
            config.client_id.clone(),
        );
        async move {
            let r = client
                .post(url)
                .basic_auth(id, Some(secret))
                .form(&form)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let secret = config.client_secret.clone();
    let c = code("financial-api").await;
    let (status, body) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c.clone()),
            ("redirect_uri", redirect.into()),
            ("code_verifier", verifier.into()),
        ],
        "wrong".into(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c.clone()),
            ("redirect_uri", redirect.into()),
            ("code_verifier", "not-the-verifier".into()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The code was spent by the failed try: a code works once.
    let (status, _) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c),
            ("redirect_uri", redirect.into()),
            ("code_verifier", verifier.into()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(status, 400);
    let c = code("financial-api").await;
    let (status, tokens) = token(
        vec![
            ("grant_type", "authorization_code".into()),
            ("code", c),
            ("redirect_uri", redirect.into()),
            ("code_verifier", verifier.into()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let get = |path: String, token: String| {
        let (client, base) = (client.clone(), sim.url());
        async move {
            client
                .get(format!("{base}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(get("/f/data/businesses".into(), access.clone()).await, 200);
    assert_eq!(
        get(
            format!("/items/v1/items?businessLocationId={LOCATION}"),
            access.clone()
        )
        .await,
        403,
        "no items scope"
    );
    // Refresh tokens rotate and work once.
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let (status, rotated) = token(
        vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh.clone()),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(status, 200);
    assert_ne!(rotated["refresh_token"], refresh.as_str());
    let (status, body) = token(
        vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", refresh),
        ],
        secret.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // Expired access tokens are refused.
    sim.state().expire_access_tokens();
    assert_eq!(
        get(
            "/f/data/businesses".into(),
            rotated["access_token"].as_str().unwrap().into()
        )
        .await,
        401
    );
    sim.stop().await;
}

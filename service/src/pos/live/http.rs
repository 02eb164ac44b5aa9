//! Calling a POS over HTTP: a timeout on every request, retries with exponential backoff and
//! jitter for network errors and 5xx answers, 429 honoured with its `Retry-After`, and after
//! the last try an error that carries the provider's own message.

use std::time::Duration;

use rand::Rng;
use reqwest::StatusCode;

use crate::error::ServiceError;

/// How hard a provider is tried before a job gives up on it.
#[derive(Debug, Clone)]
pub struct HttpPolicy {
    /// Whole request, connect to last byte of the body.
    pub timeout: Duration,
    /// Tries of one request (the first included).
    pub attempts: u32,
    /// The first backoff; each next one doubles, up to `max_delay`, with ±50% jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the job fails with the message instead.
    pub max_retry_after: Duration,
}

impl Default for HttpPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// A provider's answer, body read in full (inside the timeout).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body decoded as `T`, or a clear error naming what was wrong with it.
    pub fn json<T: serde::de::DeserializeOwned>(&self, provider: &str) -> Result<T, ServiceError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ServiceError::provider(
                provider,
                format!("answered with data Larder cannot read ({e})"),
            )
        })
    }

    /// The provider's own error message: a JSON `error`/`message`, else the start of the body.
    pub fn message(&self) -> String {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&self.body) {
            for key in ["error_description", "message", "error"] {
                if let Some(text) = value.get(key).and_then(|v| v.as_str()) {
                    return text.to_string();
                }
            }
        }
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        if text.is_empty() {
            self.status.to_string()
        } else {
            text.chars().take(300).collect()
        }
    }
}

/// One call to a POS API in the metrics (`status` is the HTTP status, or `unanswered`).
fn pos_call(provider: &str, status: &str) {
    metrics::counter!(
        "larder_pos_api_calls_total",
        "provider" => provider.to_string(),
        "status" => status.to_string()
    )
    .increment(1);
}

/// Sends the request `make` builds, retrying as [`HttpPolicy`] says. Statuses other than 429 and
/// 5xx come back as a [`Reply`] for the caller to judge (401 means "refresh and call again").
pub async fn send(
    provider: &str,
    policy: &HttpPolicy,
    make: impl Fn() -> reqwest::RequestBuilder,
) -> Result<Reply, ServiceError> {
    let attempts = policy.attempts.max(1);
    let mut last_error = String::new();
    for attempt in 1..=attempts {
        let wait = match make().timeout(policy.timeout).send().await {
            Ok(response) => {
                let status = response.status();
                pos_call(provider, status.as_str());
                let retry_after = retry_after(&response);
                match response.bytes().await {
                    Ok(body) => {
                        let reply = Reply {
                            status,
                            body: body.to_vec(),
                        };
                        if status == StatusCode::TOO_MANY_REQUESTS {
                            let wait = retry_after.unwrap_or_else(|| backoff(policy, attempt));
                            last_error = format!(
                                "is limiting requests (429, retry after {} s)",
                                wait.as_secs()
                            );
                            if wait > policy.max_retry_after {
                                return Err(ServiceError::provider(provider, last_error));
                            }
                            wait
                        } else if status.is_server_error() {
                            last_error = format!("answered {}: {}", status, reply.message());
                            backoff(policy, attempt)
                        } else {
                            return Ok(reply);
                        }
                    }
                    Err(e) => {
                        last_error = describe(&e);
                        backoff(policy, attempt)
                    }
                }
            }
            Err(e) => {
                pos_call(provider, "unanswered");
                last_error = describe(&e);
                backoff(policy, attempt)
            }
        };
        if attempt < attempts {
            tracing::warn!(provider, attempt, error = %last_error, wait_ms = wait.as_millis() as u64, "POS request failed, retrying");
            tokio::time::sleep(wait).await;
        }
    }
    Err(ServiceError::provider(
        provider,
        format!("{last_error} (gave up after {attempts} tries)"),
    ))
}

/// GETs `url` with a bearer token (each try as [`send`] does); on a 401 the token is renewed once
/// with `renew(rejected token)` and the call repeated. The caller judges the status it gets.
pub async fn get_authorized<F, Fut>(
    provider: &str,
    policy: &HttpPolicy,
    client: &reqwest::Client,
    url: &str,
    query: &[(&str, String)],
    token: String,
    renew: F,
) -> Result<Reply, ServiceError>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, ServiceError>>,
{
    let call = |token: &str| {
        let token = token.to_string();
        send(provider, policy, move || {
            client.get(url).bearer_auth(&token).query(query)
        })
    };
    let reply = call(&token).await?;
    if reply.status != StatusCode::UNAUTHORIZED {
        return Ok(reply);
    }
    let renewed = renew(token).await?;
    call(&renewed).await
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "did not answer in time".into()
    } else if e.is_connect() {
        "could not be reached".into()
    } else {
        format!("could not be read: {e}")
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and falls back to backoff).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn backoff(policy: &HttpPolicy, attempt: u32) -> Duration {
    let exponential = policy
        .base_delay
        .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
        .min(policy.max_delay);
    // Full range jitter around the exponential step keeps many workers from retrying in step.
    let factor = rand::thread_rng().gen_range(0.5..1.5);
    exponential.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = HttpPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..Default::default()
        };
        let first = backoff(&policy, 1);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(150));
        let fourth = backoff(&policy, 4);
        assert!(fourth >= Duration::from_millis(400) && fourth <= Duration::from_millis(1200));
        let tenth = backoff(&policy, 10);
        assert!(tenth <= Duration::from_millis(1500));
    }

    #[test]
    fn provider_message_prefers_the_json_error() {
        let reply = Reply {
            status: StatusCode::BAD_REQUEST,
            body: br#"{"error":"Invalid date format: 12/12/2023"}"#.to_vec(),
        };
        assert_eq!(reply.message(), "Invalid date format: 12/12/2023");
        let reply = Reply {
            status: StatusCode::BAD_GATEWAY,
            body: b"<html>bad gateway</html>".to_vec(),
        };
        assert_eq!(reply.message(), "<html>bad gateway</html>");
    }
}

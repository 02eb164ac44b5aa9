//! Rate limits for the operations a stranger can call without an account — `login` and
//! `signUp`, each a password hash: so many a minute per client address and per account
//! (e-mail), answered past the limit with RATE_LIMITED and `retryAfterSeconds`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use service::ServiceError;

const WINDOW: Duration = Duration::from_secs(60);
/// Keys kept at the most; past it, windows that ended are dropped (and, if none has, all).
const MAX_KEYS: usize = 100_000;

/// A fixed one-minute window of attempts per key.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, Window>>,
}

#[derive(Debug)]
struct Window {
    started: Instant,
    count: u32,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt for `key`; past the limit, how long until the window ends.
    pub fn attempt(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= MAX_KEYS && !windows.contains_key(key) {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
            if windows.len() >= MAX_KEYS {
                windows.clear();
            }
        }
        let window = windows.entry(key.to_string()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        if window.count >= self.per_minute {
            return Err(WINDOW.saturating_sub(now.duration_since(window.started)));
        }
        window.count += 1;
        Ok(())
    }
}

/// The limits of `login` and `signUp`.
#[derive(Debug)]
pub struct LoginLimits {
    by_address: RateLimiter,
    by_account: RateLimiter,
}

impl LoginLimits {
    pub fn new(per_address_per_minute: u32, per_account_per_minute: u32) -> Self {
        Self {
            by_address: RateLimiter::new(per_address_per_minute),
            by_account: RateLimiter::new(per_account_per_minute),
        }
    }

    /// Counts an attempt from `address` for `email`; refused past either limit.
    pub fn check(&self, address: Option<IpAddr>, email: &str) -> Result<(), ServiceError> {
        let refuse = |wait: Duration, what: &str| ServiceError::RateLimited {
            retry_after_seconds: wait.as_secs().max(1) as i64,
            message: format!("too many sign-ins {what}"),
        };
        if let Some(address) = address {
            self.by_address
                .attempt(&address.to_string())
                .map_err(|wait| refuse(wait, "from this address"))?;
        }
        self.by_account
            .attempt(&email.trim().to_lowercase())
            .map_err(|wait| refuse(wait, "for this account"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_per_key_and_says_how_long() {
        let limiter = RateLimiter::new(3);
        for _ in 0..3 {
            assert!(limiter.attempt("a").is_ok());
        }
        let wait = limiter.attempt("a").unwrap_err();
        assert!(wait <= WINDOW && wait > Duration::from_secs(50), "{wait:?}");
        assert!(
            limiter.attempt("b").is_ok(),
            "another key has its own window"
        );
    }

    #[test]
    fn an_account_is_limited_whatever_the_address() {
        let limits = LoginLimits::new(100, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limits.check(Some(a), "chef@example.com").is_ok());
        assert!(limits.check(Some(b), "Chef@Example.com ").is_ok());
        let err = limits.check(Some(a), "chef@example.com").unwrap_err();
        assert!(err.to_string().contains("for this account"), "{err}");
    }
}

//! Limits per client, so that one client cannot take the server from the others:
//! * rates for the operations a stranger can call without an account — `login` and `signUp`,
//!   each a password hash: so many a minute per client address and per account (e-mail);
//! * [`InFlight`]: how many requests one client address may have running at once at a door
//!   (GraphQL requests, uploads and exports, sockets).
//!
//! Past a limit the answer is RATE_LIMITED (HTTP 429) with `retryAfterSeconds`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
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

/// Requests running at once per client address, at one door.
#[derive(Debug)]
pub struct InFlight {
    /// What the door is, for the refusal: "GraphQL requests", "uploads and exports"…
    what: &'static str,
    per_address: usize,
    running: Mutex<HashMap<IpAddr, usize>>,
}

/// One running request; its place is given back when it is dropped (the request ended, the
/// socket closed, or the work was dropped at a time limit).
#[derive(Debug)]
pub struct Slot {
    door: Arc<InFlight>,
    address: IpAddr,
}

impl InFlight {
    pub fn new(what: &'static str, per_address: usize) -> Arc<Self> {
        Arc::new(Self {
            what,
            per_address: per_address.max(1),
            running: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more request from `address`, or RATE_LIMITED when it has its limit
    /// running. A request without a peer address (a Unix socket) is not limited here.
    pub fn enter(self: &Arc<Self>, address: Option<IpAddr>) -> Result<Option<Slot>, ServiceError> {
        let Some(address) = address else {
            return Ok(None);
        };
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let count = running.entry(address).or_insert(0);
        if *count >= self.per_address {
            return Err(ServiceError::RateLimited {
                retry_after_seconds: 1,
                message: format!(
                    "this address has {} {} running, the most allowed at once; wait for one to finish",
                    self.per_address, self.what
                ),
            });
        }
        *count += 1;
        Ok(Some(Slot {
            door: self.clone(),
            address,
        }))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut running = self.door.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = running.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                running.remove(&self.address);
            }
        }
    }
}

/// The doors with a limit on requests running at once per address.
#[derive(Debug, Clone)]
pub struct InFlightLimits {
    /// GraphQL over HTTP.
    pub requests: Arc<InFlight>,
    /// CSV uploads (REST and GraphQL multipart) and CSV exports: disk, parsing, long reads.
    pub files: Arc<InFlight>,
    /// Open GraphQL sockets.
    pub sockets: Arc<InFlight>,
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
    fn a_place_is_given_back_when_its_request_ends() {
        let door = InFlight::new("uploads", 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = door.enter(Some(a)).unwrap();
        let _second = door.enter(Some(a)).unwrap();
        let refused = door.enter(Some(a)).unwrap_err();
        assert!(
            refused.to_string().contains("2 uploads running"),
            "{refused}"
        );
        assert!(
            door.enter(Some(b)).is_ok(),
            "another address has its own places"
        );
        drop(first);
        assert!(door.enter(Some(a)).is_ok());
        assert!(door.enter(None).unwrap().is_none(), "no address, no limit");
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

//! Callers remembered between requests. Authenticating a bearer token reads its session (or API
//! token) and memberships: a round trip before every request's own work. On PostgreSQL each
//! process keeps what it read, keyed by the token's hash, and forgets all of it the moment
//! anything changes who a token speaks for:
//!
//! * in this process, at once: the service functions that change it call [`auth_changed`];
//! * in every process, at the writer's commit: triggers on `sessions`, `memberships` and
//!   `api_tokens` (migration m0016) `NOTIFY larder_auth`, which a task here `LISTEN`s to.
//!
//! The cache is used only while that task is listening: a lost connection may have missed a
//! notification, so until it listens again every request reads the database. A reading that
//! raced an invalidation is not kept (a generation number), and nothing is kept longer than
//! [`MAX_AGE`] (an API token's last use is still recorded about once a minute). SQLite keeps
//! no cache: its read is a call into the library, not a round trip, and it has no `NOTIFY`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseBackend, DatabaseConnection};

use crate::access::Principal;

/// The channel the triggers of migration m0016 notify.
pub const NOTIFY_CHANNEL: &str = "larder_auth";

/// How long a caller is remembered at most.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// Tokens remembered at most; past it the cache starts over (a flood of distinct tokens must
/// not grow memory).
const MAX_ENTRIES: usize = 10_000;

/// Bumped by every change made in this process: caches compare it with the one they saw.
static LOCAL_CHANGES: AtomicU64 = AtomicU64::new(0);

/// This process changed who some token speaks for (after the change is committed): every
/// cache here forgets what it knew.
pub fn auth_changed() {
    LOCAL_CHANGES.fetch_add(1, Ordering::SeqCst);
}

/// A caller as read from the database: who, and until when the token is good (a session's or
/// an API token's end, if it has one).
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub expires_at: Option<DateTime<Utc>>,
}

/// How many changes this process has made so far ([`auth_changed`]).
pub fn local_changes() -> u64 {
    LOCAL_CHANGES.load(Ordering::SeqCst)
}

#[derive(Debug)]
struct Remembered {
    principal: Principal,
    /// When the token ends, if it does.
    expires_at: Option<DateTime<Utc>>,
    read_at: Instant,
}

#[derive(Debug, Default)]
struct Entries {
    by_token_hash: HashMap<String, Remembered>,
    /// [`LOCAL_CHANGES`] when these were read.
    local_changes: u64,
}

/// One process's memory of callers for one database.
#[derive(Debug)]
pub struct PrincipalCache {
    entries: Mutex<Entries>,
    /// Bumped whenever the entries are dropped: a reading begun before is not kept.
    generation: AtomicU64,
    listening: AtomicBool,
}

/// Where a caller's reading started, to keep it only if nothing changed meanwhile.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    generation: u64,
    local_changes: u64,
}

impl PrincipalCache {
    /// A cache for `db`; on PostgreSQL it starts listening for changes (a task that ends when
    /// the cache is dropped), on SQLite it never remembers anything.
    pub fn start(db: &DatabaseConnection) -> Arc<Self> {
        let cache = Arc::new(Self {
            entries: Mutex::new(Entries::default()),
            generation: AtomicU64::new(0),
            listening: AtomicBool::new(false),
        });
        if db.get_database_backend() == DatabaseBackend::Postgres {
            let pool = db.get_postgres_connection_pool().clone();
            tokio::spawn(listen(Arc::downgrade(&cache), pool));
        }
        cache
    }

    /// The caller behind `token_hash`, if remembered and still good at `now`.
    pub fn get(&self, token_hash: &str, now: DateTime<Utc>) -> Option<Principal> {
        if !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        let mut entries = self.lock();
        let local = LOCAL_CHANGES.load(Ordering::SeqCst);
        if entries.local_changes != local {
            entries.by_token_hash.clear();
            entries.local_changes = local;
            self.generation.fetch_add(1, Ordering::SeqCst);
            return None;
        }
        let found = entries.by_token_hash.get(token_hash)?;
        let fresh = found.read_at.elapsed() < MAX_AGE && found.expires_at.is_none_or(|e| e > now);
        if !fresh {
            entries.by_token_hash.remove(token_hash);
            return None;
        }
        Some(found.principal.clone())
    }

    /// Marks the start of a database read whose result may be kept.
    pub fn reading(&self) -> Reading {
        Reading {
            generation: self.generation.load(Ordering::SeqCst),
            local_changes: LOCAL_CHANGES.load(Ordering::SeqCst),
        }
    }

    /// Keeps what a read found, unless something changed since it began.
    pub fn keep(
        &self,
        since: Reading,
        token_hash: String,
        principal: Principal,
        expires_at: Option<DateTime<Utc>>,
    ) {
        if !self.listening.load(Ordering::SeqCst) {
            return;
        }
        let mut entries = self.lock();
        let unchanged = self.generation.load(Ordering::SeqCst) == since.generation
            && LOCAL_CHANGES.load(Ordering::SeqCst) == since.local_changes
            && entries.local_changes == since.local_changes;
        if !unchanged {
            return;
        }
        if entries.by_token_hash.len() >= MAX_ENTRIES {
            entries.by_token_hash.clear();
        }
        entries.by_token_hash.insert(
            token_hash,
            Remembered {
                principal,
                expires_at,
                read_at: Instant::now(),
            },
        );
    }

    /// Drops everything remembered (a notification, or the listener lost).
    fn forget_all(&self) {
        let mut entries = self.lock();
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.by_token_hash.clear();
    }

    fn set_listening(&self, listening: bool) {
        if !listening {
            self.listening.store(false, Ordering::SeqCst);
        }
        self.forget_all();
        if listening {
            self.listening.store(true, Ordering::SeqCst);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Listens for [`NOTIFY_CHANNEL`] while the cache lives; reconnects after a loss, and keeps
/// the cache unused until it listens again.
async fn listen(cache: Weak<PrincipalCache>, pool: sea_orm::sqlx::PgPool) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let listener = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(NOTIFY_CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        }
        .await;
        match listener {
            Ok(mut listener) => {
                let Some(c) = cache.upgrade() else { return };
                c.set_listening(true);
                drop(c);
                // A notification, or the connection lost: whatever it missed is unknown.
                // (The task ends at the first of them after the cache is dropped.)
                loop {
                    let next = listener.try_recv().await;
                    let Some(c) = cache.upgrade() else { return };
                    match next {
                        Ok(Some(_)) => c.forget_all(),
                        Ok(None) | Err(_) => {
                            c.set_listening(false);
                            break;
                        }
                    }
                }
            }
            Err(e) => {
                let Some(c) = cache.upgrade() else { return };
                c.set_listening(false);
                tracing::warn!(error = %e, "could not LISTEN for sign-in changes; callers are read from the database meanwhile");
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

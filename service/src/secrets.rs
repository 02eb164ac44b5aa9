//! Passwords (argon2id) and bearer tokens (random, stored only as SHA-256).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::error::{ServiceError, ServiceResult};

/// Argon2id with the crate's defaults (19 MiB, 2 passes), off the async runtime.
/// Password hashes running at once, whoever asks: argon2 takes ~19 MiB and a core's worth of
/// time each, so a flood of logins queues here instead of taking every core and all memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);
/// Longest a login waits for a hashing slot before it is told to come back.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

async fn hashing_slot() -> ServiceResult<tokio::sync::SemaphorePermit<'static>> {
    match tokio::time::timeout(HASHING_WAIT, HASHING.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(ServiceError::RateLimited {
            retry_after_seconds: HASHING_WAIT.as_secs() as i64,
            message: "the server is busy checking passwords".into(),
        }),
    }
}

pub async fn hash_password(password: String) -> ServiceResult<String> {
    let _slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
}

pub async fn verify_password(password: String, hash: String) -> ServiceResult<bool> {
    let _slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| ServiceError::Internal(format!("stored hash unreadable: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
}

/// A new random token with a readable prefix (`lds_` session, `ldt_` API token).
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn random_password() -> String {
    let mut bytes = [0u8; 9];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

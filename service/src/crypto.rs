//! Encryption at rest for secrets Larder must read back (webhook secrets, POS credentials and
//! tokens): AES-256-GCM with a random nonce per value, the key from configuration.

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

use crate::error::{ServiceError, ServiceResult};

#[derive(Clone)]
pub struct Cipher {
    key: Key<Aes256Gcm>,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(..)")
    }
}

impl Cipher {
    /// From a key written as 64 hex digits (32 bytes).
    pub fn from_hex(hex_key: &str) -> ServiceResult<Self> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| ServiceError::Internal("the secret key is not hex".into()))?;
        if bytes.len() != 32 {
            return Err(ServiceError::Internal(
                "the secret key must be 32 bytes (64 hex digits)".into(),
            ));
        }
        Ok(Self {
            key: *Key::<Aes256Gcm>::from_slice(&bytes),
        })
    }

    pub fn generate_hex() -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes)
    }

    /// `base64(nonce ‖ ciphertext)`.
    pub fn encrypt(&self, plain: &str) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = Aes256Gcm::new(&self.key)
            .encrypt(&nonce, plain.as_bytes())
            .expect("AES-GCM encryption of a short secret cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        STANDARD.encode(out)
    }

    pub fn decrypt(&self, sealed: &str) -> ServiceResult<String> {
        let unreadable =
            || ServiceError::Internal("a stored secret cannot be decrypted with this key".into());
        let bytes = STANDARD.decode(sealed).map_err(|_| unreadable())?;
        if bytes.len() < 12 {
            return Err(unreadable());
        }
        let (nonce, body) = bytes.split_at(12);
        let plain = Aes256Gcm::new(&self.key)
            .decrypt(Nonce::from_slice(nonce), body)
            .map_err(|_| unreadable())?;
        String::from_utf8(plain).map_err(|_| unreadable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_another_key() {
        let a = Cipher::from_hex(&Cipher::generate_hex()).unwrap();
        let b = Cipher::from_hex(&Cipher::generate_hex()).unwrap();
        let sealed = a.encrypt("s3cret");
        assert_ne!(sealed, a.encrypt("s3cret"), "nonces differ");
        assert_eq!(a.decrypt(&sealed).unwrap(), "s3cret");
        assert!(b.decrypt(&sealed).is_err());
        assert!(Cipher::from_hex("abcd").is_err());
    }
}

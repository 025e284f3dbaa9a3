//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes) and the rules a
//! new password must meet.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

/// Hashes a password into a PHC string (`$argon2id$v=19$…`).
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

/// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weak {
    TooShort,
    TooLong,
    OneKind,
}

/// 8–128 characters, with at least two of: letters, digits, other characters.
pub fn check_strength(password: &str) -> Result<(), Weak> {
    let n = password.chars().count();
    if n < 8 {
        return Err(Weak::TooShort);
    }
    if n > 128 {
        return Err(Weak::TooLong);
    }
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    let other = password.chars().any(|c| !c.is_alphanumeric());
    if [letters, digits, other].iter().filter(|b| **b).count() < 2 {
        return Err(Weak::OneKind);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("duban2026");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("duban2026", &h));
        assert!(!verify("duban2027", &h));
        assert!(!verify("duban2026", "not a hash"));
    }

    #[test]
    fn new_passwords_need_length_and_two_kinds_of_character() {
        assert_eq!(check_strength("abc123"), Err(Weak::TooShort));
        assert_eq!(check_strength("abcdefghij"), Err(Weak::OneKind));
        assert_eq!(check_strength("12345678"), Err(Weak::OneKind));
        assert_eq!(check_strength("abcd1234"), Ok(()));
        assert_eq!(check_strength("永康督考办2026"), Ok(()));
    }
}

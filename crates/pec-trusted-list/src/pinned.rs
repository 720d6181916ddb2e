//! The certificates that may sign the EU list of trusted lists, compiled in from `pinned/*.pem`
//! (see `pinned/README.md` for each one's origin and fingerprint: the Official Journal publication).
//!
//! Used by `TrustedLists::new`. Callers add certificates explicitly with `TrustedLists::pin` (future OJ
//! updates, tests); no test key is ever pinned by default.

use base64::Engine as _;

/// The PEM files pinned by default.
const PINNED: &[(&str, &[u8])] = &[(
    "ec-lotl-signer-2023.pem",
    include_bytes!("../pinned/ec-lotl-signer-2023.pem"),
)];

/// The default pinned LOTL signers, DER.
pub fn official_lotl_signers() -> Vec<Vec<u8>> {
    PINNED
        .iter()
        .filter_map(|(_, pem)| pem_to_der(pem))
        .collect()
}

/// The DER of a single-certificate PEM (`-----BEGIN CERTIFICATE-----`), or `None`.
pub fn pem_to_der(pem: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(pem).ok()?;
    let start = text.find("-----BEGIN CERTIFICATE-----")? + "-----BEGIN CERTIFICATE-----".len();
    let end = text[start..].find("-----END CERTIFICATE-----")? + start;
    let body: String = text[start..end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

#[cfg(test)]
mod tests {
    use sha2::{Digest as _, Sha256};

    use super::*;

    #[test]
    fn the_pinned_lotl_signer_is_the_commission_certificate_of_the_readme() {
        let certs = official_lotl_signers();
        assert_eq!(certs.len(), PINNED.len());
        let hex: String = Sha256::digest(&certs[0])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "f7e8e4e554fb7c7a8f6f360e0ca2f59d466c8f9539a25963f5ed37e905f0c797"
        );
    }
}

//! Provider presets: the servers of the big PEC providers (PEC rules §9), all implicit TLS.
//!
//! Limits are conservative defaults (providers publish "tens of MB", and caps of 50 or 500 recipients);
//! a user can change them by editing the account.

use pec_mail::{Endpoint, Security};
use serde::Serialize;

/// A provider's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    /// Mail domains of this provider (to suggest the preset from an address).
    pub domains: &'static [&'static str],
    pub imap: (&'static str, u16),
    pub smtp: (&'static str, u16),
    /// Whether the login is the address itself (Legalmail uses an InfoCert user id instead).
    pub login_is_address: bool,
    pub max_message_bytes: u64,
    pub max_recipients: usize,
    /// Something the user should know when configuring.
    pub note: &'static str,
}

impl Preset {
    pub fn imap(&self) -> Endpoint {
        Endpoint::new(self.imap.0, self.imap.1, Security::ImplicitTls)
    }

    pub fn smtp(&self) -> Endpoint {
        Endpoint::new(self.smtp.0, self.smtp.1, Security::ImplicitTls)
    }
}

const MB: u64 = 1024 * 1024;

/// The presets, in the order a user is offered them.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "aruba",
        name: "Aruba PEC",
        domains: &[
            "pec.it",
            "arubapec.it",
            "pec.aruba.it",
            "mypec.eu",
            "gigapec.it",
            "casellapec.com",
        ],
        imap: ("imaps.pec.aruba.it", 993),
        smtp: ("smtps.pec.aruba.it", 465),
        login_is_address: true,
        max_message_bytes: 100 * MB,
        max_recipients: 500,
        note: "With two-factor login, use the password for mail programs (it expires every 3 months).",
    },
    Preset {
        id: "poste",
        name: "Poste Italiane (PostaCertificat@)",
        domains: &["postecert.it"],
        imap: ("mail.postecert.it", 993),
        smtp: ("mail.postecert.it", 465),
        login_is_address: true,
        max_message_bytes: 30 * MB,
        max_recipients: 50,
        note: "",
    },
    Preset {
        id: "legalmail",
        name: "InfoCert Legalmail",
        domains: &["legalmail.it"],
        imap: ("mbox.cert.legalmail.it", 993),
        smtp: ("sendm.cert.legalmail.it", 465),
        login_is_address: false,
        max_message_bytes: 100 * MB,
        max_recipients: 500,
        note: "The login is your InfoCert user id, not the address.",
    },
    Preset {
        id: "namirial",
        name: "Namirial",
        domains: &["sicurezzapostale.it"],
        imap: ("imaps.sicurezzapostale.it", 993),
        smtp: ("smtps.sicurezzapostale.it", 465),
        login_is_address: true,
        max_message_bytes: 50 * MB,
        max_recipients: 500,
        note: "",
    },
];

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// The preset whose domains include `address`'s domain.
pub fn for_address(address: &str) -> Option<&'static Preset> {
    let domain = address.rsplit('@').next()?.to_ascii_lowercase();
    PRESETS
        .iter()
        .find(|p| p.domains.contains(&domain.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_the_providers_of_the_pec_rules_with_implicit_tls() {
        let aruba = find("aruba").unwrap();
        assert_eq!(aruba.imap().to_string(), "imaps.pec.aruba.it:993");
        assert_eq!(aruba.smtp().to_string(), "smtps.pec.aruba.it:465");
        assert_eq!(for_address("studio@pec.it").unwrap().id, "aruba");
        assert_eq!(for_address("x@legalmail.it").unwrap().id, "legalmail");
        assert!(!find("legalmail").unwrap().login_is_address);
        assert!(for_address("x@example.org").is_none());
        for p in PRESETS {
            assert_eq!(p.imap().security, Security::ImplicitTls);
            assert_eq!(p.smtp.1, 465);
        }
    }
}

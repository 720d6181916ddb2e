//! Who is who in the lab: two PEC providers with their mailboxes, a certified domain whose provider never
//! answers, an external (non-PEC) domain. Fixed names, fresh random passwords at every start-up.

use rand::Rng as _;

/// One lab provider, before it runs.
pub(crate) struct ProviderPlan {
    pub id: &'static str,
    pub name: &'static str,
    pub domain: &'static str,
    pub stores_sent_copy: bool,
    pub max_message_bytes: u64,
    pub max_recipients: usize,
    pub mailboxes: &'static [&'static str],
}

pub(crate) const PROVIDERS: [ProviderPlan; 2] = [
    ProviderPlan {
        id: "alfa",
        name: "Lab PEC Alfa",
        domain: "alfa.pec.lab",
        stores_sent_copy: true,
        max_message_bytes: 30_000_000,
        max_recipients: 50,
        mailboxes: &["mario.rossi", "giulia.verdi", "studio.legale"],
    },
    ProviderPlan {
        id: "beta",
        name: "Lab PEC Beta",
        domain: "beta.pec.lab",
        stores_sent_copy: false,
        max_message_bytes: 100_000_000,
        max_recipients: 500,
        mailboxes: &["anna.bianchi", "paolo.neri", "protocollo"],
    },
];

/// A certified domain whose provider never answers (no delivery receipt ever comes: 12 h and 24 h notices).
pub(crate) const SILENT_DOMAIN: &str = "gamma.pec.lab";
pub(crate) const SILENT_MAILBOXES: &[&str] = &["ufficio"];
/// A domain outside PEC.
pub(crate) const EXTERNAL_DOMAIN: &str = "esterno.lab";
/// A lab address with no mailbox behind it.
pub(crate) const UNKNOWN_EXAMPLE: &str = "nessuno@beta.pec.lab";

/// A password for a lab mailbox: 20 letters and digits from the OS generator.
pub(crate) fn password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

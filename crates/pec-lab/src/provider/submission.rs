//! What a client submitted, read with mail-parser: the header facts the formal checks and the
//! certification need (PEC rules §2, §8). Reading is total: a message that cannot be parsed gives empty
//! facts, which the checks then refuse.

use mail_parser::{Address, MessageParser};

use crate::compose::ReceiptType;

/// One SMTP transaction as the access point received it.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Index of the provider whose access point received it.
    pub provider: usize,
    /// The authenticated account.
    pub login: String,
    /// `MAIL FROM`.
    pub mail_from: String,
    /// `RCPT TO`, in order.
    pub rcpt_to: Vec<String>,
    /// The DATA bytes, dot-unstuffed (cut short when `size` went past the limit).
    pub raw: Vec<u8>,
    /// The full size of DATA, even when `raw` was cut short.
    pub size: u64,
}

/// The facts read from the submitted headers.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub subject: String,
    /// Without brackets.
    pub msgid: Option<String>,
    pub receipt_type: ReceiptType,
    /// `REM-RelayToNonERDS: evidence-required` (ETSI EN 319 532-4): the sender of a REM message asks
    /// for signed evidence of a relay to an ordinary mailbox.
    pub rem_relay_evidence: bool,
}

fn addresses(a: Option<&Address<'_>>) -> Vec<String> {
    a.map(|a| {
        a.iter()
            .filter_map(|addr| addr.address())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Header text safe to repeat in a header line and in daticert: control characters become spaces.
pub fn clean_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

impl Headers {
    /// Read the headers of `raw`.
    pub fn read(raw: &[u8]) -> Headers {
        let Some(m) = MessageParser::default().parse_headers(raw) else {
            return Headers::default();
        };
        Headers {
            from: addresses(m.from()),
            to: addresses(m.to()),
            cc: addresses(m.cc()),
            bcc: addresses(m.bcc()),
            subject: clean_text(m.subject().unwrap_or_default()),
            msgid: m
                .message_id()
                .map(clean_text)
                .filter(|id| !id.is_empty() && !id.contains(['<', '>', ' '])),
            receipt_type: m
                .header_raw("X-TipoRicevuta")
                .map(ReceiptType::from_header)
                .unwrap_or_default(),
            rem_relay_evidence: m
                .header_raw("REM-RelayToNonERDS")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("evidence-required")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_facts_come_from_the_headers() {
        let raw =
            b"From: Mario <mario.rossi@alfa.pec.lab>\r\nTo: a@beta.pec.lab, b@esterno.lab\r\n\
                    Cc: c@beta.pec.lab\r\nSubject: =?UTF-8?B?RmF0dHVyYSDDqA==?=\r\n\
                    Message-ID: <abc@client>\r\nX-Tiporicevuta: breve\r\n\r\nbody\r\n";
        let h = Headers::read(raw);
        assert_eq!(h.from, ["mario.rossi@alfa.pec.lab"]);
        assert_eq!(h.to, ["a@beta.pec.lab", "b@esterno.lab"]);
        assert_eq!(h.cc, ["c@beta.pec.lab"]);
        assert_eq!(h.subject, "Fattura è");
        assert_eq!(h.msgid.as_deref(), Some("abc@client"));
        assert_eq!(h.receipt_type, ReceiptType::Breve);
    }

    #[test]
    fn garbage_gives_empty_facts() {
        let h = Headers::read(b"\x00\x01\xff");
        assert!(h.from.is_empty() && h.to.is_empty());
    }
}

//! What the sender's client submitted: the original message, byte for byte as a client would write it.

use base64::Engine;
use chrono::{DateTime, Utc};

use super::mime::{base64_lines, rfc2822_date};
use super::original::Original;

/// A file attached to the original message.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// One submission: sender, recipients (To and Cc, each certified or external), subject, body, attachments.
#[derive(Debug, Clone)]
pub struct Send {
    pub sender: String,
    pub to: Vec<(String, bool)>,
    pub cc: Vec<(String, bool)>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
    /// The Message-ID the client gave, without brackets.
    pub msgid: String,
    pub sent_at: DateTime<Utc>,
    /// `completa`, `breve` or `sintetica`.
    pub receipt_type: &'static str,
}

impl Send {
    /// A simple send from `sender` to certified `to` recipients.
    pub fn new(sender: &str, to: &[&str], subject: &str, sent_at: DateTime<Utc>) -> Send {
        Send {
            sender: sender.into(),
            to: to.iter().map(|a| ((*a).to_owned(), true)).collect(),
            cc: Vec::new(),
            subject: subject.into(),
            body: format!(
                "Gentile destinatario,\r\nsi trasmette quanto in oggetto: {subject}.\r\n"
            ),
            attachments: Vec::new(),
            msgid: format!("{}.{}@client.example", sent_at.timestamp(), subject.len()),
            sent_at,
            receipt_type: "completa",
        }
    }

    /// Every recipient, To first, with whether it is certified.
    pub fn recipients(&self) -> impl Iterator<Item = &(String, bool)> {
        self.to.iter().chain(self.cc.iter())
    }

    /// The facts a provider certifies about this send, without the bytes.
    pub fn facts(&self) -> Original {
        Original {
            sender: self.sender.clone(),
            to: self.to.clone(),
            cc: self.cc.clone(),
            subject: self.subject.clone(),
            msgid: Some(self.msgid.clone()),
            receipt_type: self.receipt_type.to_owned(),
            raw: Vec::new(),
            breve: None,
        }
    }

    /// The original message exactly as the client submits it (CRLF line endings).
    pub fn original(&self) -> Vec<u8> {
        self.original_with(|a| Part::Encoded(base64_lines(&a.bytes)))
    }

    /// The original as a `breve` receipt carries it: each attachment replaced by `<name>.hash`, the SHA-1 of
    /// the attachment part as transmitted (its base64 text), 40 hex characters (PEC rules §5).
    pub fn original_breve(&self) -> Vec<u8> {
        self.original_with(|a| {
            use sha1::{Digest, Sha1};
            let transmitted = base64_lines(&a.bytes);
            let digest = Sha1::digest(transmitted.as_bytes());
            Part::Hash(digest.iter().map(|b| format!("{b:02x}")).collect())
        })
    }

    fn original_with(&self, attachment: impl Fn(&Attachment) -> Part) -> Vec<u8> {
        let boundary = format!("----=_orig_{}", self.sent_at.timestamp());
        let list = |v: &[(String, bool)]| {
            v.iter()
                .map(|(a, _)| a.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut m = String::new();
        m += &format!("Message-ID: <{}>\r\n", self.msgid);
        m += &format!("Date: {}\r\n", rfc2822_date(self.sent_at));
        m += &format!("From: {}\r\n", self.sender);
        m += &format!("To: {}\r\n", list(&self.to));
        if !self.cc.is_empty() {
            m += &format!("Cc: {}\r\n", list(&self.cc));
        }
        m += &format!("Subject: {}\r\n", encode_subject(&self.subject));
        m += &format!("X-TipoRicevuta: {}\r\n", self.receipt_type);
        m += "MIME-Version: 1.0\r\n";
        m += &format!("Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n");
        m += &format!("--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n");
        m += "Content-Transfer-Encoding: 8bit\r\n\r\n";
        m += &self.body;
        m += "\r\n";
        for a in &self.attachments {
            m += &format!("--{boundary}\r\n");
            match attachment(a) {
                Part::Encoded(text) => {
                    m += &format!("Content-Type: {}; name=\"{}\"\r\n", a.content_type, a.name);
                    m += &format!(
                        "Content-Disposition: attachment; filename=\"{}\"\r\n",
                        a.name
                    );
                    m += "Content-Transfer-Encoding: base64\r\n\r\n";
                    m += &text;
                }
                Part::Hash(hex) => {
                    let name = format!("{}.hash", a.name);
                    m += &format!("Content-Type: text/plain; name=\"{name}\"\r\n");
                    m += &format!("Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n");
                    m += &hex;
                    m += "\r\n";
                }
            }
        }
        m += &format!("--{boundary}--\r\n");
        m.into_bytes()
    }
}

enum Part {
    Encoded(String),
    Hash(String),
}

/// RFC 2047 for non-ASCII subjects, as clients do.
fn encode_subject(subject: &str) -> String {
    if subject.is_ascii() {
        subject.to_owned()
    } else {
        let b64 = base64::engine::general_purpose::STANDARD.encode(subject.as_bytes());
        format!("=?UTF-8?B?{b64}?=")
    }
}

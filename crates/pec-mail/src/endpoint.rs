//! A server to connect to, and how (PEC rules §9).

use serde::{Deserialize, Serialize};

/// How the connection is secured. There is no plaintext option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// TLS from the first byte (IMAPS 993, SMTPS 465): what PEC providers offer.
    ImplicitTls,
    /// Plain connection upgraded with STARTTLS before anything else (SMTP 587); refused if the server
    /// does not offer it.
    StartTls,
}

/// A host, a port, and how to secure the connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl Endpoint {
    pub fn new(host: &str, port: u16, security: Security) -> Endpoint {
        Endpoint {
            host: host.to_owned(),
            port,
            security,
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

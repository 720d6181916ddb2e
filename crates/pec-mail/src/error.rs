//! What can go wrong on the wire, typed so the engine and the UI can tell the user what to do.

/// A network or protocol failure. Messages are short lowercase phrases.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("cannot connect to {server}: {detail}")]
    Connect { server: String, detail: String },
    #[error(
        "the TLS certificate of {server} is not trusted ({detail}); the connection was refused"
    )]
    Certificate { server: String, detail: String },
    #[error("TLS with {server} failed: {detail}")]
    Tls { server: String, detail: String },
    #[error("{server} refused the login for {login}: wrong user name or password ({detail})")]
    Login {
        server: String,
        login: String,
        detail: String,
    },
    #[error("{server} offers no STARTTLS; Attesta never sends credentials in the clear")]
    NoStartTls { server: String },
    #[error("the connection to {server} was lost")]
    Dropped { server: String },
    #[error("{server} did not answer in time")]
    Timeout { server: String },
    #[error("{server} answered unexpectedly: {detail}")]
    Protocol { server: String, detail: String },
    #[error("{server} has no folder {folder:?}")]
    NoFolder { server: String, folder: String },
    #[error("{server} refused the message: {detail}")]
    Rejected { server: String, detail: String },
    #[error("the TLS roots are not usable: {0}")]
    Roots(String),
}

impl MailError {
    /// Whether trying again later may work (the network, not the settings, failed).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            MailError::Connect { .. }
                | MailError::Dropped { .. }
                | MailError::Timeout { .. }
                | MailError::Tls { .. }
        )
    }
}

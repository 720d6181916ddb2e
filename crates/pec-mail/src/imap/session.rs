//! One authenticated IMAP session over verified TLS (RFC 9051 / 3501), read-only by default.
//!
//! Connect (implicit TLS, or STARTTLS before anything else), read the greeting, log in, enable CONDSTORE
//! when offered (RFC 7162) so `EXAMINE` reports HIGHESTMODSEQ. Folders are only ever `EXAMINE`d and
//! bodies fetched with `BODY.PEEK[]`: syncing changes nothing on the server. Every command has a
//! timeout, so a server that stops answering becomes an error instead of a hang.

use std::collections::BTreeSet;
use std::time::Duration;

use async_imap::types::{Fetch, Mailbox, NameAttribute};
use futures::StreamExt;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::folders::{Folder, role_of};
use super::plan::{ServerFolder, uid_set};
use crate::tls::handshake_error;
use crate::{Endpoint, MailError, Security, TlsRoots};

type Stream = TlsStream<TcpStream>;

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one command may take (a large FETCH streams; each step has this long).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// A logged-in session.
pub struct Session {
    inner: async_imap::Session<Stream>,
    server: String,
    condstore: bool,
}

/// One message fetched.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub uid: u32,
    pub bytes: Vec<u8>,
    /// The server's INTERNALDATE (RFC 3501 §2.3.3): when it received the message. A time the signer
    /// did not write, against which the signingTime is judged (issue 13 §4).
    pub received: Option<chrono::DateTime<chrono::Utc>>,
}

async fn timed<T>(
    server: &str,
    limit: Duration,
    fut: impl std::future::Future<Output = T>,
) -> Result<T, MailError> {
    tokio::time::timeout(limit, fut)
        .await
        .map_err(|_| MailError::Timeout {
            server: server.to_owned(),
        })
}

fn protocol(server: &str, e: async_imap::error::Error) -> MailError {
    match e {
        async_imap::error::Error::ConnectionLost => MailError::Dropped {
            server: server.to_owned(),
        },
        async_imap::error::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::BrokenPipe => MailError::Dropped {
                server: server.to_owned(),
            },
            _ => MailError::Protocol {
                server: server.to_owned(),
                detail: io.to_string(),
            },
        },
        other => MailError::Protocol {
            server: server.to_owned(),
            detail: other.to_string(),
        },
    }
}

async fn tcp(endpoint: &Endpoint) -> Result<TcpStream, MailError> {
    let server = endpoint.to_string();
    let addr = (endpoint.host.as_str(), endpoint.port);
    timed(&server, CONNECT_TIMEOUT, TcpStream::connect(addr))
        .await?
        .map_err(|e| MailError::Connect {
            server,
            detail: e.to_string(),
        })
}

async fn tls(
    endpoint: &Endpoint,
    roots: &TlsRoots,
    stream: TcpStream,
) -> Result<Stream, MailError> {
    let server = endpoint.to_string();
    let name = rustls::pki_types::ServerName::try_from(endpoint.host.clone()).map_err(|e| {
        MailError::Connect {
            server: server.clone(),
            detail: e.to_string(),
        }
    })?;
    let connector = TlsConnector::from(roots.client_config()?);
    timed(&server, CONNECT_TIMEOUT, connector.connect(name, stream))
        .await?
        .map_err(|e| handshake_error(&server, &e))
}

impl Session {
    /// Connects to `endpoint`, verifies its certificate against `roots`, and logs in.
    pub async fn connect(
        endpoint: &Endpoint,
        roots: &TlsRoots,
        login: &str,
        password: &str,
    ) -> Result<Session, MailError> {
        let server = endpoint.to_string();
        let mut stream = tcp(endpoint).await?;
        if endpoint.security == Security::StartTls {
            stream = starttls(&server, stream).await?;
        }
        let stream = tls(endpoint, roots, stream).await?;
        let mut client = async_imap::Client::new(stream);
        if endpoint.security == Security::ImplicitTls {
            // NOTE: the greeting must be read before the first command (async-imap does not).
            timed(&server, COMMAND_TIMEOUT, client.read_response())
                .await?
                .map_err(|e| protocol(&server, e.into()))?
                .ok_or_else(|| MailError::Dropped {
                    server: server.clone(),
                })?;
        }
        let mut inner = match timed(&server, COMMAND_TIMEOUT, client.login(login, password)).await?
        {
            Ok(s) => s,
            Err((async_imap::error::Error::No(detail), _)) => {
                return Err(MailError::Login {
                    server,
                    login: login.to_owned(),
                    detail,
                });
            }
            Err((e, _)) => return Err(protocol(&server, e)),
        };
        let caps = timed(&server, COMMAND_TIMEOUT, inner.capabilities())
            .await?
            .map_err(|e| protocol(&server, e))?;
        let condstore = caps.has_str("CONDSTORE") || caps.has_str("QRESYNC");
        if condstore {
            timed(
                &server,
                COMMAND_TIMEOUT,
                inner.run_command_and_check_ok("ENABLE CONDSTORE"),
            )
            .await?
            .map_err(|e| protocol(&server, e))?;
        }
        Ok(Session {
            inner,
            server,
            condstore,
        })
    }

    /// The server, for messages.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Whether the server reports modification sequences.
    pub fn condstore(&self) -> bool {
        self.condstore
    }

    /// Every selectable folder, with its role (INBOX, Sent by SPECIAL-USE or by name, others).
    pub async fn folders(&mut self) -> Result<Vec<Folder>, MailError> {
        let server = self.server.clone();
        let names: Vec<_> = {
            let stream = timed(
                &server,
                COMMAND_TIMEOUT,
                self.inner.list(Some(""), Some("*")),
            )
            .await?
            .map_err(|e| protocol(&server, e))?;
            timed(&server, COMMAND_TIMEOUT, stream.collect::<Vec<_>>()).await?
        };
        let mut listed = Vec::new();
        for name in names {
            let name = name.map_err(|e| protocol(&server, e))?;
            let attrs = name.attributes();
            if attrs.iter().any(|a| matches!(a, NameAttribute::NoSelect)) {
                continue;
            }
            let special_sent = attrs.iter().any(|a| matches!(a, NameAttribute::Sent));
            listed.push((name.name().to_owned(), special_sent));
        }
        Ok(role_of(listed))
    }

    /// Opens `folder` read-only and says where it stands.
    pub async fn examine(&mut self, folder: &str) -> Result<ServerFolder, MailError> {
        let server = self.server.clone();
        let mailbox: Mailbox =
            match timed(&server, COMMAND_TIMEOUT, self.inner.examine(folder)).await? {
                Ok(m) => m,
                Err(async_imap::error::Error::No(_)) => {
                    return Err(MailError::NoFolder {
                        server,
                        folder: folder.to_owned(),
                    });
                }
                Err(e) => return Err(protocol(&server, e)),
            };
        Ok(ServerFolder {
            uidvalidity: mailbox.uid_validity.unwrap_or(0),
            uid_next: mailbox.uid_next,
            exists: mailbox.exists,
            highest_modseq: mailbox.highest_modseq,
        })
    }

    /// Every UID in the folder opened last.
    pub async fn uids(&mut self) -> Result<BTreeSet<u32>, MailError> {
        let server = self.server.clone();
        let found = timed(&server, COMMAND_TIMEOUT, self.inner.uid_search("ALL"))
            .await?
            .map_err(|e| protocol(&server, e))?;
        Ok(found.into_iter().collect())
    }

    /// UIDs of the messages whose `Message-ID` header contains `message_id`, in the folder opened last.
    pub async fn find_message_id(&mut self, message_id: &str) -> Result<BTreeSet<u32>, MailError> {
        let server = self.server.clone();
        let quoted = message_id.replace(['"', '\\', '\r', '\n'], "");
        let found = timed(
            &server,
            COMMAND_TIMEOUT,
            self.inner
                .uid_search(format!("HEADER Message-ID \"{quoted}\"")),
        )
        .await?
        .map_err(|e| protocol(&server, e))?;
        Ok(found.into_iter().collect())
    }

    /// Fetches the exact bytes of `uids` (in the folder opened last) without marking them read, handing
    /// each to `each` as it arrives. Messages that vanished meanwhile are simply not returned.
    pub async fn fetch(
        &mut self,
        uids: &[u32],
        each: &mut (dyn FnMut(Fetched) -> bool + Send),
    ) -> Result<(), MailError> {
        let server = self.server.clone();
        if uids.is_empty() {
            return Ok(());
        }
        let set = uid_set(uids);
        let mut stream = timed(
            &server,
            COMMAND_TIMEOUT,
            self.inner.uid_fetch(&set, "(UID INTERNALDATE BODY.PEEK[])"),
        )
        .await?
        .map_err(|e| protocol(&server, e))?;
        loop {
            let next: Option<Result<Fetch, _>> =
                timed(&server, COMMAND_TIMEOUT, stream.next()).await?;
            let Some(item) = next else { break };
            let fetch = item.map_err(|e| protocol(&server, e))?;
            let (Some(uid), Some(body)) = (fetch.uid, fetch.body()) else {
                continue;
            };
            if !each(Fetched {
                uid,
                bytes: body.to_vec(),
                received: fetch.internal_date().map(|d| d.to_utc()),
            }) {
                break;
            }
        }
        Ok(())
    }

    /// Stores `bytes` in `folder` with the `\Seen` flag (a sent copy). The one write Attesta makes, and
    /// only when the engine asks for it.
    pub async fn append(&mut self, folder: &str, bytes: &[u8]) -> Result<(), MailError> {
        let server = self.server.clone();
        timed(
            &server,
            COMMAND_TIMEOUT,
            self.inner.append(folder, Some("(\\Seen)"), None, bytes),
        )
        .await?
        .map_err(|e| protocol(&server, e))
    }

    /// Waits (IMAP IDLE, RFC 2177) in `folder` until the server reports a change or `limit` passes.
    /// Returns the session and whether something changed.
    pub async fn idle(
        mut self,
        folder: &str,
        limit: Duration,
    ) -> Result<(Session, bool), MailError> {
        let server = self.server.clone();
        self.examine(folder).await?;
        let mut handle = self.inner.idle();
        timed(&server, COMMAND_TIMEOUT, handle.init())
            .await?
            .map_err(|e| protocol(&server, e))?;
        let (wait, _stop) = handle.wait_with_timeout(limit);
        let changed = match wait.await {
            Ok(async_imap::extensions::idle::IdleResponse::NewData(_)) => true,
            Ok(_) => false,
            Err(e) => return Err(protocol(&server, e)),
        };
        let inner = timed(&server, COMMAND_TIMEOUT, handle.done())
            .await?
            .map_err(|e| protocol(&server, e))?;
        Ok((
            Session {
                inner,
                server,
                condstore: self.condstore,
            },
            changed,
        ))
    }

    /// Says goodbye (errors ignored: the session ends either way).
    pub async fn logout(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.inner.logout()).await;
    }
}

/// Upgrades a plain IMAP connection with STARTTLS before any credential is sent.
async fn starttls(server: &str, stream: TcpStream) -> Result<TcpStream, MailError> {
    let mut client = async_imap::Client::new(stream);
    timed(server, COMMAND_TIMEOUT, client.read_response())
        .await?
        .map_err(|e| protocol(server, e.into()))?;
    match timed(
        server,
        COMMAND_TIMEOUT,
        client.run_command_and_check_ok("STARTTLS", None),
    )
    .await?
    {
        Ok(()) => Ok(client.into_inner()),
        Err(_) => Err(MailError::NoStartTls {
            server: server.to_owned(),
        }),
    }
}

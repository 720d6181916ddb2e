//! The address of a firm's archive server, as the user writes it (`postgres://user@host:port/db`,
//! libpq's URL form), checked before anything is sent: TLS always, with the server's certificate and
//! name verified (`sslmode=verify-full`, the default and the only mode accepted), against the CA file
//! named by `sslrootcert` or else the public web roots. A password never travels in the address: it
//! lives in the OS keyring and is given beside it.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::db::Error;

/// How long reaching the server may take before it is said to be unreachable (an address may set
/// its own `connect_timeout`).
pub const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A checked server address.
#[derive(Clone)]
pub struct Address {
    pub(super) config: tokio_postgres::Config,
    pub(super) tls: Arc<rustls::ClientConfig>,
    /// The address as shown to people (never holds a password).
    pub shown: String,
}

impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

fn refuse(why: impl Into<String>) -> Error {
    Error::Connect(why.into())
}

impl Address {
    /// Reads `url`; `password` comes from the keyring (none for a server that trusts the user's
    /// certificate or network, which this layer does not judge).
    pub fn parse(url: &str, password: Option<&str>) -> Result<Address, Error> {
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or_else(|| refuse("a shared archive's address starts with postgres://"))?;
        let (base, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = base.split('/').next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && userinfo.contains(':')
        {
            return Err(refuse(
                "the address holds a password: passwords are kept in the system keyring, never in the address",
            ));
        }
        let mut root_file = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" if value == "verify-full" => {}
                "sslmode" => {
                    return Err(refuse(format!(
                        "sslmode={value} is not accepted: Attesta always verifies the server's certificate and name (sslmode=verify-full)"
                    )));
                }
                "sslrootcert" => root_file = Some(percent_decode(value)),
                "password" => {
                    return Err(refuse(
                        "the address holds a password: passwords are kept in the system keyring, never in the address",
                    ));
                }
                _ => kept.push(pair),
            }
        }
        kept.push("sslmode=require");
        let plain = format!("postgres://{base}?{}", kept.join("&"));
        let mut config: tokio_postgres::Config = plain
            .parse()
            .map_err(|e| refuse(format!("the address does not read ({e})")))?;
        if let Some(p) = password {
            config.password(p);
        }
        // NOTE: issue 18 §6: a server that went away must be said so in seconds, not after the
        // system's TCP retries (minutes). The connect timeout bounds reaching the port (the whole
        // handshake is bounded by `PgConn::connect`); unacknowledged data for longer than
        // `tcp_user_timeout` and keepalives that go unanswered close a connection that was open.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(std::time::Duration::from_secs(20));
        }
        config
            .keepalives(true)
            .keepalives_idle(std::time::Duration::from_secs(15))
            .keepalives_interval(std::time::Duration::from_secs(5))
            .keepalives_retries(3);
        config.application_name("Attesta");
        let tls = client_config(root_file.as_deref())?;
        Ok(Address {
            config,
            tls,
            shown: url.to_owned(),
        })
    }

    /// The throwaway server `scripts/lib/postgres-cluster` started for the test suites and benchmarks
    /// (`ATTESTA_TEST_POSTGRES`, its password in `ATTESTA_TEST_POSTGRES_PASSWORD`); `None` outside it.
    pub fn test_server() -> Option<Result<Address, Error>> {
        let url = std::env::var("ATTESTA_TEST_POSTGRES").ok()?;
        Some(Address::parse(&url, Address::test_password().as_deref()))
    }

    /// The test server's password, to open again an address a test made.
    pub fn test_password() -> Option<String> {
        std::env::var("ATTESTA_TEST_POSTGRES_PASSWORD").ok()
    }

    /// Creates a new database named after `prefix`, this process and a counter (so parallel tests
    /// never share one), and returns its address: see [`Address::create_database`].
    pub fn create_fresh_database(&self, prefix: &str) -> Result<Address, Error> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        self.create_database(&format!("{prefix}{}_{n}", std::process::id()))
    }

    /// The database name (for messages).
    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or("postgres")
    }

    /// The same server, user and TLS, another database.
    pub fn with_database(&self, name: &str) -> Address {
        let mut config = self.config.clone();
        config.dbname(name);
        let (before, after) = self.shown.split_once('?').unwrap_or((&self.shown, ""));
        let base = before.rsplit_once('/').map_or(before, |(b, _)| b);
        let shown = if after.is_empty() {
            format!("{base}/{name}")
        } else {
            format!("{base}/{name}?{after}")
        };
        Address {
            config,
            tls: self.tls.clone(),
            shown,
        }
    }

    /// Creates database `name` (letters, digits, `_`) on this server with this address's role (which
    /// must be allowed to), and returns its address: for the test suites, the benchmarks and the
    /// tools that make a fresh archive.
    pub fn create_database(&self, name: &str) -> Result<Address, Error> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(refuse(format!(
                "`{name}` is not a database name Attesta creates"
            )));
        }
        let admin = crate::db::Db::Postgres(super::PgConn::connect(self)?);
        admin.execute_batch(&format!("CREATE DATABASE {name}"))?;
        Ok(self.with_database(name))
    }

    /// Which archive this is, as a file name may say it: `host-port-database` (every host and port
    /// the address lists; not the user, who may change while the archive stays the same). A desktop
    /// keeps its witness of each server archive it uses under this name.
    pub fn file_key(&self) -> String {
        let hosts: Vec<String> = self
            .config
            .get_hosts()
            .iter()
            .map(|h| match h {
                tokio_postgres::config::Host::Tcp(name) => name.to_lowercase(),
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .collect();
        let ports: Vec<String> = match self.config.get_ports() {
            [] => vec!["5432".into()],
            ports => ports.iter().map(u16::to_string).collect(),
        };
        let database = self
            .config
            .get_dbname()
            .or(self.config.get_user())
            .unwrap_or("postgres");
        format!("{}-{}-{database}", hosts.join(","), ports.join(","))
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ',') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// `%XX` escapes of a URL parameter (a CA file path may hold spaces).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// TLS that verifies the server against `root_file` (PEM) or, without one, the public web roots.
fn client_config(root_file: Option<&str>) -> Result<Arc<rustls::ClientConfig>, Error> {
    let mut roots = RootCertStore::empty();
    match root_file {
        Some(path) => {
            let pem = std::fs::read(path)
                .map_err(|e| refuse(format!("cannot read the server's CA file {path}: {e}")))?;
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<_, _>>()
                .map_err(|e| refuse(format!("the CA file {path} does not read ({e})")))?;
            if certs.is_empty() {
                return Err(refuse(format!("the CA file {path} holds no certificate")));
            }
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| refuse(format!("the CA file {path}: {e}")))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| refuse(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> String {
        Address::parse(url, None).unwrap_err().to_string()
    }

    #[test]
    fn only_verified_tls_is_accepted() {
        for mode in ["disable", "allow", "prefer", "require", "verify-ca"] {
            let why = refused(&format!(
                "postgres://u@db.studio.example/attesta?sslmode={mode}"
            ));
            assert!(why.contains("verify-full"), "{mode}: {why}");
        }
        let a = Address::parse("postgres://u@db.studio.example:5433/attesta", None).unwrap();
        assert_eq!(a.database(), "attesta");
        assert_eq!(
            a.config.get_ssl_mode(),
            tokio_postgres::config::SslMode::Require
        );
    }

    #[test]
    fn an_archive_is_named_by_its_server_and_database_not_its_user() {
        let key = |url| Address::parse(url, None).unwrap().file_key();
        assert_eq!(
            key("postgres://u@DB.Studio.example:5433/attesta?sslmode=verify-full"),
            "db.studio.example-5433-attesta"
        );
        assert_eq!(
            key("postgres://other@db.studio.example/attesta"),
            "db.studio.example-5432-attesta"
        );
        assert_ne!(
            key("postgres://u@db.studio.example/attesta"),
            key("postgres://u@db.studio.example/prova")
        );
    }

    #[test]
    fn a_password_in_the_address_is_refused() {
        assert!(refused("postgres://u:secret@db.example/attesta").contains("keyring"));
        assert!(refused("postgres://u@db.example/attesta?password=secret").contains("keyring"));
    }

    #[test]
    fn a_missing_ca_file_is_named() {
        let why = refused("postgres://u@db.example/attesta?sslrootcert=/nonexistent/ca%20x.pem");
        assert!(why.contains("/nonexistent/ca x.pem"), "{why}");
    }
}

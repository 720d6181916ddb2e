//! A TCP relay that cuts a server off and lets it back (issue 18 §6 tests): a local port relayed to
//! the test server, closed with every connection through it by [`Relay::cut`]. Stopping the test
//! server itself would cut off every other test running beside the one that needs it gone. A relay
//! that takes connections and never answers ([`Answer::Never`]) stands for a server behind a firewall
//! that drops packets.

use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Whether the relay passes connections on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Relayed to the server, both ways.
    Relayed,
    /// Taken, and never answered.
    Never,
}

/// A relay from a local port to a server; dropped, it is cut.
pub struct Relay {
    /// The local port it listens on.
    pub port: u16,
    open: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    /// Relays local `port` (0: any free one) to `to`. A connection the server refuses is dropped.
    pub fn start(port: u16, to: SocketAddr, answer: Answer) -> Relay {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let open = Arc::new(AtomicBool::new(true));
        let streams = Arc::new(Mutex::new(Vec::new()));
        let (still, kept) = (Arc::clone(&open), Arc::clone(&streams));
        std::thread::spawn(move || {
            while still.load(Ordering::Relaxed) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                kept.lock().unwrap().push(client.try_clone().unwrap());
                if answer == Answer::Never {
                    continue;
                }
                let Ok(server) = TcpStream::connect(to) else {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                };
                kept.lock().unwrap().push(server.try_clone().unwrap());
                for (mut from, mut into) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut into);
                        let _ = into.shutdown(Shutdown::Both);
                    });
                }
            }
            // The listener is dropped here: the port refuses connections.
        });
        Relay {
            port,
            open,
            streams,
        }
    }

    /// The server goes away: the port closes, every connection through it is cut.
    pub fn cut(&self) {
        self.open.store(false, Ordering::Relaxed);
        for s in self.streams.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
    }
}

/// The local address a server URL (`scheme://user@host:port/db…`) names, on 127.0.0.1.
pub fn server_of(url: &str) -> SocketAddr {
    let rest = url.split_once("://").unwrap().1;
    let authority = rest.split('/').next().unwrap();
    let port: u16 = authority.rsplit_once(':').unwrap().1.parse().unwrap();
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// `url` reached through local `port` instead (the same host name, so its certificate holds).
pub fn through(url: &str, port: u16) -> String {
    let (head, rest) = url.split_once("://").unwrap();
    let (authority, tail) = rest.split_once('/').unwrap();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    format!("{head}://{host}:{port}/{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_reached_through_another_port_under_the_same_name() {
        let url = "postgres://attesta_admin@localhost:25432/attesta_t1?sslmode=verify-full";
        assert_eq!(server_of(url), SocketAddr::from(([127, 0, 0, 1], 25432)));
        assert_eq!(
            through(url, 40000),
            "postgres://attesta_admin@localhost:40000/attesta_t1?sslmode=verify-full"
        );
    }
}

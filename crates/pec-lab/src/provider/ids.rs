//! The providers' message identifiers: one `identificativo` per transport message (shared by its
//! envelope and every receipt about it) and one Message-ID per generated message, as real providers do
//! (`opec296.20211214143608.11149.382.1.69@pec.aruba.it`).

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use rand::RngCore;

/// Makes identifiers unique across messages, processes and restarts.
pub struct IdGenerator {
    counter: AtomicU64,
    instance: u32,
}

impl Default for IdGenerator {
    fn default() -> Self {
        IdGenerator {
            counter: AtomicU64::new(1),
            instance: rand::rngs::OsRng.next_u32() % 100_000,
        }
    }
}

impl IdGenerator {
    /// A new identifier in `domain` at `at`.
    pub fn next(&self, domain: &str, at: DateTime<Utc>) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!(
            "opec-lab.{}.{}.{n}@{domain}",
            at.format("%Y%m%d%H%M%S"),
            self.instance
        )
    }
}

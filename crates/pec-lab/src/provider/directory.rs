//! Where an address goes in the lab: a mailbox of a lab provider, an unknown mailbox in a lab domain, the
//! silent certified domain, or outside PEC. Certified = any lab domain, including the silent one (PEC
//! rules §1: certified recipients get receipts; external ones never do).

use std::collections::HashSet;

use crate::info::{LabInfo, ProviderInfo};

/// The route of one recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A mailbox of provider `provider` (index into [`Directory::providers`]).
    Mailbox { provider: usize },
    /// A lab provider's domain, but no such mailbox: a delivery failure (`no-dest`).
    Unknown { provider: usize },
    /// The silent certified domain: its provider never answers (12 h, 24 h notices).
    Silent,
    /// Not a PEC domain: `esterno`, never a receipt.
    External,
}

/// The lab's address book.
#[derive(Debug, Clone)]
pub struct Directory {
    pub providers: Vec<ProviderInfo>,
    mailboxes: HashSet<String>,
    silent_domain: String,
}

impl Directory {
    pub fn new(info: &LabInfo) -> Directory {
        Directory {
            providers: info.providers.clone(),
            mailboxes: info
                .accounts
                .iter()
                .map(|a| a.address.to_ascii_lowercase())
                .collect(),
            silent_domain: info.silent_domain.to_ascii_lowercase(),
        }
    }

    /// Where `address` goes.
    pub fn route(&self, address: &str) -> Route {
        let address = address.trim().to_ascii_lowercase();
        let domain = address.rsplit_once('@').map_or("", |(_, d)| d);
        if let Some(provider) = self.providers.iter().position(|p| p.domain == domain) {
            if self.mailboxes.contains(&address) {
                Route::Mailbox { provider }
            } else {
                Route::Unknown { provider }
            }
        } else if domain == self.silent_domain {
            Route::Silent
        } else {
            Route::External
        }
    }

    /// Whether `address` is a certified (PEC) recipient.
    pub fn is_certified(&self, address: &str) -> bool {
        self.route(address) != Route::External
    }

    /// The provider an account belongs to.
    pub fn provider_of(&self, address: &str) -> Option<usize> {
        match self.route(address) {
            Route::Mailbox { provider } => Some(provider),
            _ => None,
        }
    }
}

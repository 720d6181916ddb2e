//! Correlation: which sent message each receipt certifies, and what that says per recipient.
//!
//! PEC rules §1 and §7. The key is the Message-ID the sender's client put on the submitted message; it
//! comes back **signed** in daticert `msgid` and unsigned in `X-Riferimento-Message-ID` (a fallback,
//! reported, never relied on). One send yields an acceptance (or a non-acceptance), then per certified
//! recipient one delivery or failure, maybe preceded by the 12 h warning, or the final 24 h notice.
//! Receipts arrive in any order and the sent copy may never arrive: [`correlate`] takes whatever evidence
//! is known for one key, in any order, and gives one state per recipient plus a message-level summary.
//!
//! Only signed facts move a state (issue 13 §3): `evidence` says which receipts are trustworthy, `bind`
//! whether one is about *this* send, `fold` applies them, `said` lists what is shown but not relied on.
//!
//! Pure: no clock. Overdue is judged against a `now` the caller passes ([`overdue`]).
//! Used by the archive (materialised per sent message) and by the UI's views.

mod bind;
mod breve_check;
mod evidence;
mod flow;
mod fold;
mod link;
mod outcome;
mod overdue;
mod recipients;
mod said;
mod state;
mod summary;
#[cfg(test)]
mod tests;

pub use bind::{CLOCK_SKEW, TIMEOUT_NOTICE_EARLIEST};
pub use evidence::{Evidence, EvidenceRole};
pub use flow::{FlowPlace, FlowStep, flow_place};
pub use fold::correlate;
pub use link::{LinkBasis, LinkKey, link_key};
pub use outcome::{RecipientOutcome, SentFinding, SentFindingCode, SentOutcome, SentSummary};
pub use overdue::{Overdue, overdue, overdue_if_accepted_by};
pub use state::RecipientState;

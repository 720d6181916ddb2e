//! End to end against the lab provider on a real Dovecot: send, sync, receipts, failures, notices,
//! resync, a restarted server, a renumbered folder, wrong certificates and passwords (issue 5).
//!
//! Each test starts its own lab in a temporary directory and drives the engine the way the `attesta`
//! command and the app do. Skipped, saying so, where Dovecot is not installed (CI installs it).

#[path = "pec_flow/harness.rs"]
mod harness;
#[path = "pec_flow/receipts.rs"]
mod receipts;
#[path = "pec_flow/rem.rs"]
mod rem;
#[path = "pec_flow/resilience.rs"]
mod resilience;

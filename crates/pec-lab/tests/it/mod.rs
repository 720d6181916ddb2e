//! The integration tests, one file per subject; `support` starts labs and speaks SMTPS and IMAPS to them.

mod anomaly;
mod clock;
mod fill;
mod lifecycle;
mod rem;
mod signing;
mod submission;
mod support;

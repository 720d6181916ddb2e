//! Signed documents end to end: the real shared set read in place, OpenSSL as an oracle, hostile
//! inputs.

mod corpus;
mod dss;
mod hostile;
mod oracle;
mod renewal;
mod substitution;
mod support;

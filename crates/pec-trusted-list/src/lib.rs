//! ETSI TS 119 612 Trusted Lists, pure: read a list, verify its own XML signature against certificates
//! the caller accepts, and ask which qualified CAs, time-stamping authorities and registered-delivery
//! services were in force at a given time.
//!
//! No files, no sockets, no clock: lists are bytes, times are arguments. Every reading is total: hostile
//! XML (DTDs, deep nesting, huge input) gives a typed error, never a panic or a hang. The EU list of lists
//! is verified against the certificates the Official Journal publishes (`pinned`); a national list against
//! the certificates the list of lists names for its territory. Used by the engine's `trust import-tl`.

mod dsig;
pub mod error;
pub mod model;
pub mod pinned;
pub mod qualification;
pub mod read;
pub mod refused;
pub mod service_type;
pub mod set;
pub mod status;
pub mod subtree;
pub mod verify;
pub mod xml;

pub use error::ReadError;
pub use model::{
    DigitalIdentity, ListPointer, ListType, SchemeInfo, ServicePhase, TrustService,
    TrustServiceProvider, TrustedList,
};
pub use qualification::{AdditionalInfo, CriteriaList, Qualification, Qualifier};
pub use read::read;
pub use refused::ListRefused;
pub use service_type::ServiceType;
pub use set::{Anchor, QualifiedCa, QualifiedService, TrustedLists};
pub use status::ServiceStatus;
pub use verify::{VerifiedList, verify};

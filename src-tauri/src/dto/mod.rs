//! What crosses the IPC boundary: plain types with `specta::Type`, so `ui/src/lib/bindings.ts` is
//! generated from them. Built from the engine's types; ids are `u32` and sizes `f64` (JavaScript numbers).

pub mod account;
pub mod app;
pub mod archive_place;
pub mod compose;
pub mod document;
pub mod launch;
pub mod list;
pub mod message;
pub mod recorded;
pub mod rem;
pub mod sent;
pub mod timeline;
pub mod update;
pub mod words;

use chrono::{DateTime, Utc};

/// A time as the window gets it: RFC 3339, UTC.
pub fn when(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// An archive id as the window gets it.
pub fn id(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

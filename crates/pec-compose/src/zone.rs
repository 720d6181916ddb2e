//! Italian local time (Europe/Rome), as providers write it in daticert `data zona` and in `Date`: the
//! rule is `pec_core::italian_time`'s, the one copy of it (issue 16 §3).

pub use pec_core::italian_time::{cet, italian_offset, zona};

//! Times as an Italian reader expects them: in Italian time, with the offset from UTC shown, so that
//! each one is also unambiguous (PEC daticert gives local time with its `zona`, e.g. `+0100`).
//!
//! The offset is `pec_core::italian_time`'s, the one copy of Italy's rule.

use chrono::{DateTime, Utc};
use pec_core::italian_time::italian_offset;

use crate::Language;

/// `02/03/2026 10:15:00 ora italiana (UTC+1)` or `2026-03-02 10:15:00 Italian time (UTC+1)`.
pub fn long(language: Language, t: DateTime<Utc>) -> String {
    let offset = italian_offset(t);
    let local = t.with_timezone(&offset);
    let hours = offset.local_minus_utc() / 3600;
    match language {
        Language::It => format!(
            "{} ora italiana (UTC+{hours})",
            local.format("%d/%m/%Y %H:%M:%S")
        ),
        Language::En => format!(
            "{} Italian time (UTC+{hours})",
            local.format("%Y-%m-%d %H:%M:%S")
        ),
    }
}

/// A time, or the words for "not known".
pub fn long_or(language: Language, t: Option<DateTime<Utc>>) -> String {
    match t {
        Some(t) => long(language, t),
        None => crate::words::Words::of(language).unknown.to_owned(),
    }
}

/// UTC, to the minute, for file names: `2026-03-02T0915Z`.
pub fn for_file_name(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H%MZ").to_string()
}

/// RFC 3339 UTC to the second (`2026-03-02T09:15:00Z`), as JSON and indexes write times.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn times_are_written_in_italian_time_with_the_offset() {
        let t = utc(2026, 3, 2, 9, 15);
        assert_eq!(
            long(Language::It, t),
            "02/03/2026 10:15:00 ora italiana (UTC+1)"
        );
        assert_eq!(
            long(Language::En, t),
            "2026-03-02 10:15:00 Italian time (UTC+1)"
        );
        assert_eq!(for_file_name(t), "2026-03-02T0915Z");
        assert_eq!(rfc3339(t), "2026-03-02T09:15:00Z");
    }
}

//! Times as an Italian reader expects them: in Italian time, with the offset from UTC shown, so that
//! each one is also unambiguous (PEC daticert gives local time with its `zona`, e.g. `+0100`).
//!
//! Italy keeps the EU summer-time rule (Directive 2000/84/EC; the same dates since 1996): UTC+2 from
//! 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, UTC+1 otherwise.
//! No time-zone database is needed for that, and PEC began in 2005.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, Utc, Weekday};

use crate::Language;

/// The offset of Italian civil time from UTC at instant `t`.
pub fn italian_offset(t: DateTime<Utc>) -> FixedOffset {
    let year = t.year();
    let start = last_sunday_at_one_utc(year, 3);
    let end = last_sunday_at_one_utc(year, 10);
    let hours = match (start, end) {
        (Some(s), Some(e)) if t >= s && t < e => 2,
        _ => 1,
    };
    FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| Utc.fix())
}

fn last_sunday_at_one_utc(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    Some(day.and_hms_opt(1, 0, 0)?.and_utc())
}

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
    fn summer_time_starts_and_ends_at_one_utc_on_the_last_sundays() {
        // 2026: 29 March and 25 October.
        assert_eq!(
            italian_offset(utc(2026, 3, 29, 0, 59)).local_minus_utc(),
            3600
        );
        assert_eq!(
            italian_offset(utc(2026, 3, 29, 1, 0)).local_minus_utc(),
            7200
        );
        assert_eq!(
            italian_offset(utc(2026, 10, 25, 0, 59)).local_minus_utc(),
            7200
        );
        assert_eq!(
            italian_offset(utc(2026, 10, 25, 1, 0)).local_minus_utc(),
            3600
        );
        assert_eq!(
            italian_offset(utc(2014, 1, 10, 12, 0)).local_minus_utc(),
            3600
        );
        assert_eq!(
            italian_offset(utc(2021, 7, 1, 12, 0)).local_minus_utc(),
            7200
        );
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

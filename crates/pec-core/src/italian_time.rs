//! Italian civil time (Europe/Rome), the one copy of its rule (issue 16 §3): what offset Italy uses at an
//! instant, and how daticert's `zona` and RFC 5322 dates spell an offset.
//!
//! PEC rules §4: `giorno` and `ora` are local time at the offset given in `zona`. Italy keeps Central
//! European Time (UTC+1) and the EU summer-time rule (Directive 2000/84/EC, the same dates since 1996):
//! UTC+2 from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. No
//! time-zone database is needed for that, and PEC began in 2005. Used by the evidence pack (times as an
//! Italian reader expects them) and by the lab (the times its providers certify). Pure: the instant is
//! an argument.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, Utc, Weekday};

const CET: i32 = 3600;
const CEST: i32 = 7200;

/// The offset of Italian civil time from UTC at instant `t`.
pub fn italian_offset(t: DateTime<Utc>) -> FixedOffset {
    let year = t.year();
    let summer = match (
        last_sunday_at_one_utc(year, 3),
        last_sunday_at_one_utc(year, 10),
    ) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    fixed(if summer { CEST } else { CET })
}

/// Central European Time (UTC+1), Italy's offset outside summer time.
pub fn cet() -> FixedOffset {
    fixed(CET)
}

/// `+0100` / `+0200`, as daticert's `zona` attribute and RFC 5322 dates write an offset.
pub fn zona(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

fn fixed(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn winter_is_plus_one_and_summer_plus_two() {
        assert_eq!(zona(italian_offset(at("2026-12-02T10:00:00Z"))), "+0100");
        assert_eq!(zona(italian_offset(at("2026-07-01T10:00:00Z"))), "+0200");
        assert_eq!(zona(italian_offset(at("2014-01-10T12:00:00Z"))), "+0100");
        assert_eq!(zona(italian_offset(at("2021-07-01T12:00:00Z"))), "+0200");
    }

    #[test]
    fn the_change_happens_at_one_in_the_morning_utc_on_the_last_sunday() {
        // 2026: summer time from Sunday 29 March to Sunday 25 October.
        assert_eq!(zona(italian_offset(at("2026-03-29T00:59:59Z"))), "+0100");
        assert_eq!(zona(italian_offset(at("2026-03-29T01:00:00Z"))), "+0200");
        assert_eq!(zona(italian_offset(at("2026-10-25T00:59:59Z"))), "+0200");
        assert_eq!(zona(italian_offset(at("2026-10-25T01:00:00Z"))), "+0100");
    }

    #[test]
    fn offsets_west_of_utc_are_spelled_with_a_minus() {
        assert_eq!(
            zona(FixedOffset::west_opt(5 * 3600 + 1800).unwrap()),
            "-0530"
        );
        assert_eq!(zona(cet()), "+0100");
    }
}

//! Italian local time (Europe/Rome), as providers write it in daticert `data zona` and in `Date`.
//!
//! PEC rules §4: `giorno` and `ora` are local time at the offset given in `zona`. Italy keeps Central
//! European Time (+0100) and, from the last Sunday of March to the last Sunday of October (01:00 UTC both
//! ways, the EU rule since 1996), summer time (+0200). The rule is small enough to write down here rather
//! than pull in a whole time-zone database.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

const CET: i32 = 3600;
const CEST: i32 = 7200;

/// The offset Italy uses at instant `t`.
pub fn italian_offset(t: DateTime<Utc>) -> FixedOffset {
    let year = t.year();
    let summer = match (last_sunday_1am_utc(year, 3), last_sunday_1am_utc(year, 10)) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    fixed(if summer { CEST } else { CET })
}

/// Central European Time, the offset the test kit always writes.
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

trait FixUtc {
    fn fix_utc(&self) -> FixedOffset;
}

impl FixUtc for Utc {
    fn fix_utc(&self) -> FixedOffset {
        use chrono::Offset;
        self.fix()
    }
}

fn fixed(seconds: i32) -> FixedOffset {
    FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix_utc())
}

fn last_sunday_1am_utc(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    Some(Utc.from_utc_datetime(&day.and_hms_opt(1, 0, 0)?))
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
    }

    #[test]
    fn the_change_happens_at_one_in_the_morning_utc_on_the_last_sunday() {
        // 2026: summer time from Sunday 29 March to Sunday 25 October.
        assert_eq!(zona(italian_offset(at("2026-03-29T00:59:59Z"))), "+0100");
        assert_eq!(zona(italian_offset(at("2026-03-29T01:00:00Z"))), "+0200");
        assert_eq!(zona(italian_offset(at("2026-10-25T00:59:59Z"))), "+0200");
        assert_eq!(zona(italian_offset(at("2026-10-25T01:00:00Z"))), "+0100");
    }
}

//! The certified time of a daticert: `giorno` (dd/mm/yyyy) + `ora` (hh:mm:ss) at offset `zona` (+hhmm),
//! turned into a UTC instant (PEC rules §4).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// Build the UTC instant from the three daticert fields; `None` if any of them is not a valid value.
pub fn certified_instant(giorno: &str, ora: &str, zona: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(giorno.trim(), "%d/%m/%Y").ok()?;
    let time = NaiveTime::parse_from_str(ora.trim(), "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(ora.trim(), "%H:%M"))
        .ok()?;
    let offset = parse_zone(zona)?;
    let local = offset.from_local_datetime(&date.and_time(time)).single()?;
    Some(local.with_timezone(&Utc))
}

/// `+0100`, `-0530`, `+01:00`, `Z`, or empty (read as UTC).
fn parse_zone(zona: &str) -> Option<FixedOffset> {
    let z = zona.trim();
    if z.is_empty() || z.eq_ignore_ascii_case("z") || z.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, digits) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => (1, z),
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_time_in_italy_is_one_hour_ahead_of_utc() {
        let t = certified_instant("14/12/2021", "14:36:08", "+0100").unwrap();
        assert_eq!(t.to_rfc3339(), "2021-12-14T13:36:08+00:00");
    }

    #[test]
    fn a_zone_with_a_colon_and_a_negative_offset_are_read() {
        let t = certified_instant("01/01/2020", "00:30:00", "-01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2020-01-01T01:30:00+00:00");
    }

    #[test]
    fn nonsense_gives_none() {
        assert!(certified_instant("32/13/2021", "10:00:00", "+0100").is_none());
        assert!(certified_instant("01/01/2021", "25:00:00", "+0100").is_none());
        assert!(certified_instant("01/01/2021", "10:00:00", "+9900").is_none());
    }
}

//! The lab clock ([`LabClock`], crate `pec-lab-info`: real time plus an offset that `attesta lab advance`
//! moves forward) and the durations people type to move it.

use chrono::Duration;

use crate::LabError;

pub use pec_lab_info::LabClock;

/// Read a duration such as `90s`, `30m`, `12h`, `1d` or `1d12h30m`.
pub fn parse_duration(text: &str) -> Result<Duration, LabError> {
    let bad = || LabError::Duration(text.to_owned());
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: i64 = number.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
        number.clear();
    }
    if !number.is_empty() || total <= 0 || total > 3650 * 86_400 {
        return Err(bad());
    }
    Ok(Duration::seconds(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("30m").unwrap(), Duration::minutes(30));
        assert_eq!(parse_duration("12h").unwrap(), Duration::hours(12));
        assert_eq!(parse_duration("25h").unwrap(), Duration::hours(25));
        assert_eq!(parse_duration("1d").unwrap(), Duration::days(1));
        assert_eq!(
            parse_duration("1d12h30m").unwrap(),
            Duration::minutes(36 * 60 + 30)
        );
        for bad in ["", "12", "h", "-1h", "0h", "3x", "99999999999999999999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn advancing_moves_the_clock_forward_only() {
        let mut clock = LabClock::default();
        let before = clock.now();
        clock.advance(Duration::hours(25));
        assert!(clock.now() - before >= Duration::hours(25));
        clock.advance(Duration::hours(-5));
        assert_eq!(clock.offset_seconds, 25 * 3600);
    }
}

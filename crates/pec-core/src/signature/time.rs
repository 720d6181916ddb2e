//! ASN.1 times (UTCTime, GeneralizedTime) → `DateTime<Utc>`.
//!
//! Used for the CMS signingTime attribute (RFC 5652 §11.3) and certificate validity (RFC 5280
//! §4.1.2.5). Lenient on what BER allows and real encoders write (UTCTime without seconds,
//! fractional seconds, a `+hhmm` offset), strict on the digits themselves.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::der_reader::{GENERALIZED_TIME, Tlv, UTC_TIME};

/// Decodes a UTCTime or GeneralizedTime element; `None` when it is neither or unreadable.
pub fn parse_time(tlv: &Tlv<'_>) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(tlv.content).ok()?;
    match tlv.tag {
        UTC_TIME => parse(text, 2),
        GENERALIZED_TIME => parse(text, 4),
        _ => None,
    }
}

fn parse(text: &str, year_digits: usize) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let s = bytes.get(from..from + len)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        s.iter()
            .try_fold(0u32, |v, &d| Some(v * 10 + u32::from(d - b'0')))
    };
    let mut year = num(0, year_digits)? as i32;
    if year_digits == 2 {
        // RFC 5280 §4.1.2.5.1: 50–99 → 19xx, 00–49 → 20xx.
        year += if year >= 50 { 1900 } else { 2000 };
    }
    let mut pos = year_digits;
    let month = num(pos, 2)?;
    let day = num(pos + 2, 2)?;
    let hour = num(pos + 4, 2)?;
    let minute = num(pos + 6, 2)?;
    pos += 8;
    let second = match num(pos, 2) {
        Some(s) => {
            pos += 2;
            s
        }
        None => 0,
    };
    // Fractional seconds (GeneralizedTime): accepted and dropped.
    if matches!(bytes.get(pos), Some(b'.' | b',')) {
        pos += 1;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
    }
    let offset_minutes: i64 = match bytes.get(pos) {
        Some(b'Z') if pos + 1 == bytes.len() => 0,
        Some(&sign @ (b'+' | b'-')) if pos + 5 == bytes.len() => {
            let h = i64::from(num(pos + 1, 2)?);
            let m = i64::from(num(pos + 3, 2)?);
            let v = h * 60 + m;
            if sign == b'+' { v } else { -v }
        }
        // NOTE: a time without zone is local time of unknown offset; read it as UTC rather
        // than refusing the whole signature.
        None => 0,
        _ => return None,
    };
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    Some(naive.and_utc() - Duration::minutes(offset_minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tag: u8, s: &str) -> Option<String> {
        let tlv = Tlv {
            tag,
            content: s.as_bytes(),
            raw: s.as_bytes(),
        };
        parse_time(&tlv).map(|d| d.to_rfc3339())
    }

    #[test]
    fn utc_time_uses_the_rfc5280_century_window() {
        assert_eq!(
            t(UTC_TIME, "140902141203Z").unwrap(),
            "2014-09-02T14:12:03+00:00"
        );
        assert_eq!(
            t(UTC_TIME, "991231235959Z").unwrap(),
            "1999-12-31T23:59:59+00:00"
        );
    }

    #[test]
    fn generalized_time_with_fraction_and_offset() {
        assert_eq!(
            t(GENERALIZED_TIME, "20190720131807.123+0200").unwrap(),
            "2019-07-20T11:18:07+00:00"
        );
        assert_eq!(
            t(GENERALIZED_TIME, "20500101000000Z").unwrap(),
            "2050-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn nonsense_times_are_none() {
        assert!(t(UTC_TIME, "14130214120Z").is_none());
        assert!(t(UTC_TIME, "141302141203Z").is_none());
        assert!(t(UTC_TIME, "").is_none());
        assert!(t(0x04, "140902141203Z").is_none());
        assert!(t(UTC_TIME, "1409021412０3Z").is_none());
    }
}

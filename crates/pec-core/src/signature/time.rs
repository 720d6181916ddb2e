//! ASN.1 times → `DateTime<Utc>`, through `x509-cert`'s `Time` (UTCTime or GeneralizedTime).
//!
//! Used for the CMS signingTime attribute (RFC 5652 §11.3) and certificate validity (RFC 5280
//! §4.1.2.5). `der` reads these strictly as DER requires (`Z`, seconds, no fraction); UTCTime
//! follows the RFC 5280 century window (50–99 → 19xx, 00–49 → 20xx), from 1970 on.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use x509_cert::time::Time;

/// The instant of an ASN.1 time.
pub fn to_utc(time: &Time) -> Option<DateTime<Utc>> {
    let since_epoch = time.to_unix_duration();
    let secs = i64::try_from(since_epoch.as_secs()).ok()?;
    DateTime::from_timestamp(secs, since_epoch.subsec_nanos())
}

/// The instant of an attribute value that should be a Time; `None` when it is not one.
pub fn from_any(value: &der::Any) -> Option<DateTime<Utc>> {
    let der = value.to_der().ok()?;
    Time::from_der(&der).ok().as_ref().and_then(to_utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Tag;

    fn t(tag: Tag, s: &str) -> Option<String> {
        let any = der::Any::new(tag, s.as_bytes()).ok()?;
        from_any(&any).map(|d| d.to_rfc3339())
    }

    #[test]
    fn utc_time_uses_the_rfc5280_century_window() {
        assert_eq!(
            t(Tag::UtcTime, "140902141203Z").unwrap(),
            "2014-09-02T14:12:03+00:00"
        );
        assert_eq!(
            t(Tag::UtcTime, "991231235959Z").unwrap(),
            "1999-12-31T23:59:59+00:00"
        );
    }

    #[test]
    fn generalized_time_is_read_too() {
        assert_eq!(
            t(Tag::GeneralizedTime, "20500101000000Z").unwrap(),
            "2050-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn nonsense_times_are_none() {
        assert!(t(Tag::UtcTime, "14130214120Z").is_none());
        assert!(t(Tag::UtcTime, "141302141203Z").is_none());
        assert!(t(Tag::UtcTime, "").is_none());
        assert!(t(Tag::OctetString, "140902141203Z").is_none());
        assert!(t(Tag::UtcTime, "1409021412０3Z").is_none());
    }
}

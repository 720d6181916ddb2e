//! The ZIP container of a pack (the `zip` crate): members deflated, in reading order, every one
//! stamped with the time the pack was produced, so the same pack made twice is the same bytes.

use std::io::{Cursor, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::PackError;

/// Writes `members` (path, bytes) into a new ZIP, in the order given.
pub fn write(members: &[(&str, &[u8])], stamp: DateTime<Utc>) -> Result<Vec<u8>, PackError> {
    let zip_err = |e: zip::result::ZipError| PackError::Zip(e.to_string());
    let total: usize = members.iter().map(|(_, b)| b.len()).sum();
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(total / 2 + 4096)));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(dos_time(stamp))
        .unix_permissions(0o644)
        .large_file(total > u32::MAX as usize / 2);
    for (path, bytes) in members {
        writer.start_file(*path, options).map_err(zip_err)?;
        writer
            .write_all(bytes)
            .map_err(|e| PackError::Zip(e.to_string()))?;
    }
    Ok(writer.finish().map_err(zip_err)?.into_inner())
}

/// The ZIP (MS-DOS) timestamp for `t`, clamped to the years ZIP can say (1980–2107).
fn dos_time(t: DateTime<Utc>) -> zip::DateTime {
    let year = t.year().clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(
        year,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap_or_default()
}

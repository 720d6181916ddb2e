//! How a message's raw bytes sit in the `raw` table: compressed with zstd, losslessly. What is archived,
//! hashed, exported and proven is always the exact original; compression only keeps the archive small
//! (PEC messages are base64 and XML: they shrink to about half), the way git stores its objects.
//!
//! Reading refuses anything that does not come back to exactly the recorded size, so an edited blob is an
//! alteration to report, never a crash or a flood of memory.

use crate::error::ArchiveError;

pec_core::closed_set! {
    /// How the stored bytes are encoded (the `raw.codec` column).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Codec {
        /// zstd, level 3.
        Zstd = "zstd",
        /// The bytes as they are (when compressing failed, which does not happen in practice).
        Identity = "identity",
    }
}

thread_local! {
    /// One compression context per thread: making one costs as much as compressing a receipt.
    static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        std::cell::RefCell::new(zstd::bulk::Compressor::new(3).ok());
}

/// The stored form of `raw`.
pub fn pack(raw: &[u8]) -> (Codec, Vec<u8>) {
    let packed = COMPRESSOR.with(|c| match c.borrow_mut().as_mut() {
        Some(compressor) => compressor.compress(raw).ok(),
        None => zstd::bulk::compress(raw, 3).ok(),
    });
    match packed {
        Some(packed) => (Codec::Zstd, packed),
        None => (Codec::Identity, raw.to_vec()),
    }
}

/// The original bytes from their stored form; `size` is the recorded length of the original.
pub fn unpack(codec: &str, stored: &[u8], size: u64) -> Result<Vec<u8>, String> {
    let bytes = match codec.parse::<Codec>().ok() {
        Some(Codec::Zstd) => {
            let limit = usize::try_from(size).map_err(|_| "recorded size too large".to_owned())?;
            zstd::bulk::decompress(stored, limit)
                .map_err(|e| format!("the stored bytes do not decompress ({e})"))?
        }
        Some(Codec::Identity) => stored.to_vec(),
        None => return Err(format!("unknown storage encoding {codec:?}")),
    };
    if bytes.len() as u64 != size {
        return Err(format!(
            "{} bytes instead of the {size} recorded",
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// Reads raw message `id` (its exact original bytes).
pub(crate) fn read(conn: &crate::db::Db, id: i64) -> Result<Vec<u8>, ArchiveError> {
    use crate::db::OptionalExtension;
    let row: Option<(String, Vec<u8>, i64)> = conn
        .prepare_cached("SELECT codec, bytes, size FROM raw WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (codec, stored, size) = row.ok_or_else(|| ArchiveError::NoSuchItem(id.to_string()))?;
    unpack(&codec, &stored, size as u64).map_err(|detail| ArchiveError::Damaged { id, detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_bytes_come_back_exactly_and_a_wrong_size_is_refused() {
        let raw = b"From: a@pec.it\r\nSubject: x\r\n\r\n".repeat(100);
        let (codec, stored) = pack(&raw);
        assert_eq!(codec, Codec::Zstd);
        assert!(stored.len() < raw.len() / 4);
        assert_eq!(unpack("zstd", &stored, raw.len() as u64).unwrap(), raw);
        assert!(unpack("zstd", &stored, raw.len() as u64 - 1).is_err());
        let mut flipped = stored.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0xff;
        assert_ne!(
            unpack("zstd", &flipped, raw.len() as u64).ok(),
            Some(raw.clone())
        );
        assert!(unpack("zstd", b"not zstd", 10).is_err());
    }
}

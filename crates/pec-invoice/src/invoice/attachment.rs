//! `Allegati`: the base64 attachment decoded, measured and hashed, never interpreted or executed.
//!
//! The content is bounded by the input (at most [`crate::limits::MAX_INPUT_BYTES`]); line breaks and
//! spaces inside the base64 (which producers wrap at 76 columns) are ignored; anything else that is
//! not base64 leaves the attachment without bytes, with a finding.

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use sha2::{Digest, Sha256};

use super::Attachment;
use super::finding::InvoiceFindingCode;
use super::read::Reading;
use crate::xml::Element;

/// Standard alphabet, padding optional (some producers drop it).
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub(super) fn read_attachment(el: &Element, path: &str, r: &mut Reading) -> Attachment {
    let name = el.text_at(&["NomeAttachment"]);
    let label = name.clone().unwrap_or_default();
    let data = match el.child("Attachment") {
        None => {
            r.note(InvoiceFindingCode::AttachmentEmpty, path, &label);
            None
        }
        Some(content) => {
            let compact: Vec<u8> = content
                .text
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            if compact.is_empty() {
                r.note(InvoiceFindingCode::AttachmentEmpty, path, &label);
                None
            } else {
                let decoded = LENIENT.decode(&compact).ok();
                if decoded.is_none() {
                    r.note(InvoiceFindingCode::AttachmentNotBase64, path, &label);
                }
                decoded
            }
        }
    };
    Attachment {
        name,
        format: el.text_at(&["FormatoAttachment"]),
        compression: el.text_at(&["AlgoritmoCompressione"]),
        description: el.text_at(&["DescrizioneAttachment"]),
        size: data.as_ref().map(|d| d.len() as u32),
        sha256: data.as_ref().map(|d| hex(&Sha256::digest(d))),
        data,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

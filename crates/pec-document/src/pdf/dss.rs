//! The document security store (DSS) of a PDF: the CRLs, OCSP responses and certificates a
//! PAdES-LT/LTA file keeps for validating its signatures (ETSI EN 319 142-1 §5.4.2, ISO 32000-2
//! §12.8.4.3).
//!
//! Trailer `/Root` → catalog `/DSS` → `/CRLs`, `/OCSPs`, `/Certs` (arrays of streams, each one DER
//! object), and each `/VRI` entry's `/CRL`, `/OCSP`, `/Cert` (the same data per signature, often
//! the same streams). Thinking like a forger: the DSS is added after signing, signed by nobody,
//! so nothing here is trusted — a CRL or OCSP response is evidence only when its issuer's
//! signature verifies (pec-core's `revocation.rs`), and `/Certs` only help find an issuer's key,
//! never an anchor. Removing the DSS removes the evidence: the report then says revocation was not
//! checked. At most [`MAX_ITEMS`] streams of each kind are kept (out of twice as many tried);
//! identical ones are kept once.

use memchr::memmem;
use pec_core::signature::SecurityStore;

use super::file::{Found, PdfFile};
use super::object::Object;

/// Streams of each kind (CRLs, OCSP responses, certificates) read at most.
pub(crate) const MAX_ITEMS: usize = 64;
/// `/VRI` entries looked at, at most.
const MAX_VRI: usize = 64;

/// The DSS of the file's newest catalog: `None` when it has none; a store with `unreadable` set
/// when the catalog or the `/DSS` it names could not be read.
pub(crate) fn read(bytes: &[u8]) -> Option<SecurityStore> {
    let mut file = PdfFile::open(bytes);
    let catalog = file
        .xref
        .root
        .and_then(|root| file.dict(&Object::Ref(root)));
    let Some(catalog) = catalog else {
        // No readable catalog, but a `/DSS` key somewhere: say the store could not be read.
        return memmem::find(bytes, b"/DSS").map(|_| SecurityStore {
            unreadable: 1,
            ..SecurityStore::default()
        });
    };
    // NOTE: only the newest catalog's store counts; an update that drops it leaves none (and the
    // report says revocation was not checked), as a viewer would show the file.
    let dss = catalog.get(b"DSS")?.clone();
    let Some(dss) = file.dict(&dss) else {
        return Some(SecurityStore {
            unreadable: 1,
            ..SecurityStore::default()
        });
    };
    let mut store = SecurityStore::default();
    let mut lists: Vec<Object> = Vec::new();
    let mut responses: Vec<Object> = Vec::new();
    let mut certificates: Vec<Object> = Vec::new();
    for (key, into) in [
        (&b"CRLs"[..], &mut lists),
        (&b"OCSPs"[..], &mut responses),
        (&b"Certs"[..], &mut certificates),
    ] {
        if let Some(array) = dss.get(key).and_then(|a| file.array(a)) {
            into.extend(array.into_iter().take(MAX_ITEMS));
        }
    }
    if let Some(vri) = dss.get(b"VRI").and_then(|v| file.dict(v)) {
        for (_, entry) in vri.0.iter().take(MAX_VRI) {
            let Some(entry) = file.dict(entry) else {
                continue;
            };
            for (key, into) in [
                (&b"CRL"[..], &mut lists),
                (&b"OCSP"[..], &mut responses),
                (&b"Cert"[..], &mut certificates),
            ] {
                if let Some(array) = entry.get(key).and_then(|a| file.array(a)) {
                    into.extend(array.into_iter().take(MAX_ITEMS));
                }
            }
        }
    }
    let mut unreadable = 0;
    for (refs, into, evidence) in [
        (lists, &mut store.crls, true),
        (responses, &mut store.ocsps, true),
        (certificates, &mut store.certificates, false),
    ] {
        let mut seen = std::collections::HashSet::new();
        // NOTE: the VRI may name thousands of missing streams; a few more attempts than kept
        // items are enough to find the real ones.
        for item in refs.into_iter().take(2 * MAX_ITEMS) {
            if into.len() >= MAX_ITEMS {
                break;
            }
            // The same stream named by the DSS and by a VRI entry is read once.
            if let Object::Ref(r) = item
                && !seen.insert(r.0)
            {
                continue;
            }
            match file.resolve(&item) {
                Some(Found::Stream(_, Some(data))) => {
                    if !into.contains(&data) {
                        into.push(data);
                    }
                }
                // A certificate that cannot be read is a lost hint, not lost evidence.
                _ => unreadable += usize::from(evidence),
            }
        }
    }
    store.unreadable = unreadable;
    Some(store)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// `objects` (number, body) written as a PDF with a classic cross-reference and `/Root 1 0 R`.
    fn pdf(objects: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (n, body) in objects {
            offsets.push((*n, out.len()));
            out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n");
        for (n, at) in &offsets {
            out.extend_from_slice(format!("{n} 1\n{at:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<< /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        out
    }

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        [
            format!("<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes(),
            data,
            b"\nendstream",
        ]
        .concat()
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn catalog_with_dss() -> (u32, Vec<u8>) {
        (1, b"<< /Type /Catalog /DSS 2 0 R >>".to_vec())
    }

    #[test]
    fn the_store_s_lists_responses_and_certificates_are_read() {
        let file = pdf(&[
            catalog_with_dss(),
            (
                2,
                b"<< /Type /DSS /CRLs [3 0 R] /OCSPs [4 0 R] /Certs [5 0 R] /VRI << /ABC << /CRL [3 0 R] >> >> >>".to_vec(),
            ),
            (3, stream("/Filter /FlateDecode", &deflate(b"crl"))),
            (4, stream("", b"ocsp")),
            (5, stream("", b"cert")),
        ]);
        let store = read(&file).unwrap();
        assert_eq!(store.crls, vec![b"crl".to_vec()]);
        assert_eq!(store.ocsps, vec![b"ocsp".to_vec()]);
        assert_eq!(store.certificates, vec![b"cert".to_vec()]);
        assert_eq!(store.unreadable, 0);
    }

    #[test]
    fn a_table_offset_that_misses_its_object_is_corrected_by_a_scan() {
        let good = pdf(&[
            catalog_with_dss(),
            (2, b"<< /CRLs [3 0 R] >>".to_vec()),
            (3, stream("", b"crl")),
        ]);
        // Every offset of the table moved by 3 bytes, as a hand edit would leave it.
        let text = String::from_utf8(good.clone()).unwrap();
        let xref = text.rfind("xref\n").unwrap();
        let mut bad = text[..xref].to_string();
        for line in text[xref..].lines() {
            match line.split_once(" 00000 n") {
                Some((offset, rest)) => {
                    let moved: usize = offset.parse::<usize>().unwrap() + 3;
                    bad += &format!("{moved:010} 00000 n{rest}\n");
                }
                None => bad += &format!("{line}\n"),
            }
        }
        assert_eq!(read(bad.as_bytes()).unwrap().crls, vec![b"crl".to_vec()]);
    }

    #[test]
    fn a_file_without_a_store_has_none() {
        let file = pdf(&[(1, b"<< /Type /Catalog >>".to_vec())]);
        assert_eq!(read(&file), None);
    }

    #[test]
    fn an_update_that_drops_the_store_leaves_none() {
        let mut file = pdf(&[
            catalog_with_dss(),
            (2, b"<< /CRLs [3 0 R] >>".to_vec()),
            (3, stream("", b"crl")),
        ]);
        let prev = memmem::rfind(&file, b"startxref").unwrap();
        let prev: usize = std::str::from_utf8(&file[prev + 10..])
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let at = file.len();
        file.extend_from_slice(b"1 0 obj\n<< /Type /Catalog >>\nendobj\n");
        let xref = file.len();
        file.extend_from_slice(
            format!("xref\n1 1\n{at:010} 00000 n \ntrailer\n<< /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        assert_eq!(read(&file), None);
    }

    #[test]
    fn every_one_byte_corruption_of_a_store_is_read_or_refused_never_a_panic() {
        let file = pdf(&[
            catalog_with_dss(),
            (
                2,
                b"<< /CRLs [3 0 R] /OCSPs [4 0 R] /VRI << /K << /CRL [3 0 R] >> >> >>".to_vec(),
            ),
            (3, stream("/Filter /FlateDecode", &deflate(b"crl"))),
            (
                4,
                stream(
                    "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 2 >>",
                    &deflate(b"\x02ab\x02cd"),
                ),
            ),
        ]);
        for at in 0..file.len() {
            for byte in [0u8, b'(', b'[', b'<', b'/', b'9', 0xff] {
                let mut bad = file.clone();
                bad[at] = byte;
                let _ = read(&bad);
            }
        }
    }

    #[test]
    fn a_truncated_file_never_panics() {
        let file = pdf(&[
            catalog_with_dss(),
            (2, b"<< /CRLs [3 0 R] >>".to_vec()),
            (3, stream("", b"crl")),
        ]);
        for end in 0..file.len() {
            let _ = read(&file[..end]);
        }
    }

    #[test]
    fn references_that_loop_end_as_an_unreadable_store() {
        let file = pdf(&[
            catalog_with_dss(),
            (2, b"6 0 R".to_vec()),
            (6, b"2 0 R".to_vec()),
        ]);
        assert_eq!(read(&file).unwrap().unreadable, 1);
        // A stream whose /Length refers to itself.
        let file = pdf(&[
            catalog_with_dss(),
            (2, b"<< /CRLs [3 0 R] >>".to_vec()),
            (3, b"<< /Length 3 0 R >>\nstream\ncrl\nendstream".to_vec()),
        ]);
        assert_eq!(read(&file).unwrap().crls, vec![b"crl".to_vec()]);
    }

    #[test]
    fn a_flate_bomb_in_the_store_is_unreadable_not_inflated() {
        let bomb = deflate(&vec![0u8; 64 << 20]);
        let file = pdf(&[
            catalog_with_dss(),
            (
                2,
                b"<< /CRLs [3 0 R 3 0 R] /OCSPs [4 0 R 5 0 R 6 0 R 7 0 R 8 0 R] >>".to_vec(),
            ),
            (3, stream("/Filter /FlateDecode", &bomb)),
            (
                4,
                stream("/Filter /FlateDecode", &deflate(&vec![1u8; 7 << 20])),
            ),
            (
                5,
                stream("/Filter /FlateDecode", &deflate(&vec![2u8; 7 << 20])),
            ),
            (
                6,
                stream("/Filter /FlateDecode", &deflate(&vec![3u8; 7 << 20])),
            ),
            (
                7,
                stream("/Filter /FlateDecode", &deflate(&vec![4u8; 7 << 20])),
            ),
            (
                8,
                stream("/Filter /FlateDecode", &deflate(&vec![5u8; 7 << 20])),
            ),
        ]);
        let store = read(&file).unwrap();
        assert!(store.crls.is_empty());
        // Four of the five 7 MiB streams fit the file's 32 MiB; the fifth is refused.
        assert_eq!(store.ocsps.len(), 4);
        assert_eq!(store.unreadable, 2);
    }

    #[test]
    fn a_store_of_a_hundred_thousand_entries_reads_only_the_first_ones() {
        let refs = "3 0 R ".repeat(100_000);
        let many: String = (0..100_000).map(|i| format!("{} 0 R ", 10 + i)).collect();
        let file = pdf(&[
            catalog_with_dss(),
            (
                2,
                format!("<< /CRLs [{refs}] /OCSPs [{many}] >>").into_bytes(),
            ),
            (3, stream("", b"crl")),
        ]);
        let started = std::time::Instant::now();
        let store = read(&file).unwrap();
        assert_eq!(store.crls, vec![b"crl".to_vec()]);
        assert_eq!(store.unreadable, MAX_ITEMS);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn a_store_in_an_object_stream_with_a_cross_reference_stream_is_read() {
        // Objects 1 (catalog) and 2 (DSS) compressed in object stream 4; 3 is the CRL stream.
        let inner = b"<< /Type /Catalog /DSS 2 0 R >> << /CRLs [3 0 R] >>";
        let header = b"1 0 2 32 ";
        let objstm = deflate(&[&header[..], inner].concat());
        let mut out = b"%PDF-1.7\n".to_vec();
        let crl_at = out.len();
        out.extend_from_slice(b"3 0 obj\n");
        out.extend_from_slice(&stream("/Filter /FlateDecode", &deflate(b"crl")));
        out.extend_from_slice(b"\nendobj\n");
        let objstm_at = out.len();
        out.extend_from_slice(b"4 0 obj\n");
        out.extend_from_slice(&stream(
            &format!(
                "/Type /ObjStm /N 2 /First {} /Filter /FlateDecode",
                header.len()
            ),
            &objstm,
        ));
        out.extend_from_slice(b"\nendobj\n");
        let xref_at = out.len();
        // Rows: type (1 byte), field 2 (4 bytes), field 3 (2 bytes), PNG Up predictor.
        let rows: Vec<[u8; 7]> = vec![
            [2, 0, 0, 0, 4, 0, 0],
            [2, 0, 0, 0, 4, 0, 1],
            {
                let o = (crl_at as u32).to_be_bytes();
                [1, o[0], o[1], o[2], o[3], 0, 0]
            },
            {
                let o = (objstm_at as u32).to_be_bytes();
                [1, o[0], o[1], o[2], o[3], 0, 0]
            },
            {
                let o = (xref_at as u32).to_be_bytes();
                [1, o[0], o[1], o[2], o[3], 0, 0]
            },
        ];
        let mut predicted = Vec::new();
        let mut previous = [0u8; 7];
        for row in rows {
            predicted.push(2);
            predicted.extend(row.iter().zip(previous).map(|(c, p)| c.wrapping_sub(p)));
            previous = row;
        }
        out.extend_from_slice(b"5 0 obj\n");
        out.extend_from_slice(&stream(
            "/Type /XRef /Size 6 /Index [1 5] /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>",
            &deflate(&predicted),
        ));
        out.extend_from_slice(format!("\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        let store = read(&out).unwrap();
        assert_eq!(store.crls, vec![b"crl".to_vec()]);
    }
}

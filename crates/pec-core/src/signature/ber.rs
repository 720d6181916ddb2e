//! A small, total BER → DER normaliser for CMS.
//!
//! PEC rules §6: several providers emit `smime.p7s` with indefinite-length encodings, and
//! `der`/`x509-cert` decode DER only. This rewrites, recursively:
//! - indefinite lengths (X.690 §8.1.3.6) → definite, minimal lengths;
//! - non-minimal definite lengths → minimal (X.690 §10.1);
//! - constructed (chunked) OCTET STRING, BIT STRING and character strings → primitive
//!   (X.690 §10.2).
//!
//! Everything else is copied byte for byte, so DER input comes out identical (and the caller
//! learns that nothing changed). Hostile input cannot blow the stack (nesting is limited to
//! [`MAX_DEPTH`]) nor memory (every length is checked against the bytes actually present,
//! and the output is never more than twice the input), nor time: `der` sorts every `SET OF` it
//! decodes by insertion, so a set is limited to [`MAX_SET_ELEMENTS`] elements here, before any
//! decoder sees it (a single 88 KB set of names takes seconds to sort).

use super::error::SignatureError;

/// Deepest nesting accepted. Real CMS nests about 12 levels (ContentInfo → certificate →
/// extension); 64 leaves room for odd encoders and stops 100k-level bombs at once.
pub const MAX_DEPTH: usize = 64;

/// Most elements in a SET, or in a context-tagged constructed element (which may be an
/// implicitly tagged SET: signed attributes, certificates). Real CMS has a handful (signed
/// attributes, RDNs, embedded certificates); SEQUENCEs are not limited.
pub const MAX_SET_ELEMENTS: usize = 64;

const SET: u32 = 17;
const CONTEXT_SPECIFIC: u8 = 2;

/// The normalised bytes, and whether anything had to change.
pub struct Normalised {
    pub der: Vec<u8>,
    pub changed: bool,
}

/// Normalises one BER element (with nothing after it but optional zero padding).
pub fn normalise(input: &[u8]) -> Result<Normalised, SignatureError> {
    // NOTE: nearly every p7s and timestamp token is DER already. Rebuilding it copies each byte
    // once per nesting level (a certificate's key sits a dozen levels down); checking that
    // rebuilding would change nothing reads each header once, and the copy is then the input
    // (issue 14: the p7s and the evidence's timestamp took 5% of a REM receipt's verification).
    if is_plain_der(input) {
        return Ok(Normalised {
            der: input.to_vec(),
            changed: false,
        });
    }
    rebuild(input)
}

/// Whether `input` is one element that [`rebuild`] would copy byte for byte, unchanged: every
/// length definite and minimal, no chunked string, within [`MAX_DEPTH`] and
/// [`MAX_SET_ELEMENTS`], nothing after it. Anything else (including every error) is left to
/// [`rebuild`], so the verdict and the bytes are the rebuild's in every case.
fn is_plain_der(input: &[u8]) -> bool {
    plain_element(input, 0) == Some(input.len())
}

/// The length of the plain DER element at the start of `input` (see [`is_plain_der`]).
fn plain_element(input: &[u8], depth: usize) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    let h = header(input).ok()?;
    let len = h.len.filter(|_| h.len_minimal)?;
    let body = input.get(h.header_len..)?.get(..len)?;
    if h.constructed {
        if h.universal.is_some_and(is_string_type) {
            return None;
        }
        let set_like = h.universal == Some(SET) || h.class == CONTEXT_SPECIFIC;
        let (mut pos, mut children) = (0, 0usize);
        while pos < body.len() {
            children += 1;
            if set_like && children > MAX_SET_ELEMENTS {
                return None;
            }
            pos += plain_element(body.get(pos..)?, depth + 1)?;
        }
    }
    Some(h.header_len + len)
}

/// [`normalise`] by rebuilding every element.
fn rebuild(input: &[u8]) -> Result<Normalised, SignatureError> {
    let mut out = Vec::with_capacity(input.len());
    let mut changed = false;
    let used = element(input, 0, &mut out, &mut changed)?;
    // NOTE: some encoders pad a streamed p7s with trailing zero bytes (EOC-like filler); anything
    // else after the top element is not a single CMS object.
    if input
        .get(used..)
        .is_some_and(|rest| rest.iter().any(|&b| b != 0))
    {
        return Err(SignatureError::Malformed(
            "trailing data after the cms object",
        ));
    }
    if used != input.len() {
        changed = true;
    }
    Ok(Normalised { der: out, changed })
}

/// Whether `der` keeps within the limits above (depth, set sizes), for DER that does not come
/// through [`normalise`] first: certificates from anchor files, and extension values (OCTET
/// STRINGs, which the normaliser does not look inside).
pub fn within_limits(der: &[u8]) -> bool {
    is_plain_der(der) || rebuild(der).is_ok()
}

/// A decoded identifier + length header.
#[derive(Clone, Copy)]
struct Header {
    /// The identifier octets, verbatim.
    id_len: usize,
    constructed: bool,
    class: u8,
    /// Universal-class tag number, if the class is universal.
    universal: Option<u32>,
    /// `None` for the indefinite form.
    len: Option<usize>,
    /// Whether the length octets were already minimal DER.
    len_minimal: bool,
    header_len: usize,
}

fn header(input: &[u8]) -> Result<Header, SignatureError> {
    let first = *input
        .first()
        .ok_or(SignatureError::Malformed("truncated tag"))?;
    let constructed = first & 0x20 != 0;
    let class = first >> 6;
    let mut pos = 1;
    let mut number = u32::from(first & 0x1f);
    if number == 0x1f {
        number = 0;
        loop {
            let b = *input
                .get(pos)
                .ok_or(SignatureError::Malformed("truncated tag"))?;
            pos += 1;
            if pos > 5 {
                return Err(SignatureError::Malformed("tag number too large"));
            }
            number = (number << 7) | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let id_len = pos;
    let l0 = *input
        .get(pos)
        .ok_or(SignatureError::Malformed("truncated length"))?;
    pos += 1;
    let (len, len_minimal) = if l0 < 0x80 {
        (Some(usize::from(l0)), true)
    } else if l0 == 0x80 {
        if !constructed {
            return Err(SignatureError::Malformed(
                "indefinite length on a primitive",
            ));
        }
        (None, false)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n > 4 || l0 == 0xff {
            return Err(SignatureError::Malformed("length too large"));
        }
        let bytes = input
            .get(pos..pos + n)
            .ok_or(SignatureError::Malformed("truncated length"))?;
        pos += n;
        let mut v: usize = 0;
        for &b in bytes {
            v = (v << 8) | usize::from(b);
        }
        let minimal = bytes.first().is_some_and(|&b| b != 0) && v >= 0x80 && length_octets(v) == n;
        (Some(v), minimal)
    };
    Ok(Header {
        id_len,
        constructed,
        class,
        universal: (class == 0).then_some(number),
        len,
        len_minimal,
        header_len: pos,
    })
}

/// Number of length octets after the first one that DER uses for `len`.
fn length_octets(len: usize) -> usize {
    let mut n = 0;
    let mut v = len;
    while v > 0 {
        n += 1;
        v >>= 8;
    }
    n
}

/// Appends a minimal DER length.
pub(crate) fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let n = length_octets(len);
        out.push(0x80 | n as u8);
        for i in (0..n).rev() {
            out.push((len >> (8 * i)) as u8);
        }
    }
}

/// Universal string types that BER may send chunked (constructed) and DER must not.
fn is_string_type(number: u32) -> bool {
    matches!(
        number,
        3 | 4 | 12 | 18 | 19 | 20 | 21 | 22 | 25 | 26 | 27 | 28 | 30
    )
}

/// Normalises the element at the start of `input` into `out`; returns the bytes consumed.
fn element(
    input: &[u8],
    depth: usize,
    out: &mut Vec<u8>,
    changed: &mut bool,
) -> Result<usize, SignatureError> {
    if depth > MAX_DEPTH {
        return Err(SignatureError::Malformed("nesting too deep"));
    }
    let h = header(input)?;
    let id = input
        .get(..h.id_len)
        .ok_or(SignatureError::Malformed("truncated tag"))?;
    let rest = input
        .get(h.header_len..)
        .ok_or(SignatureError::Malformed("truncated element"))?;
    if let Some(len) = h.len
        && len > rest.len()
    {
        return Err(SignatureError::Malformed(
            "length beyond the end of the data",
        ));
    }
    if !h.len_minimal {
        *changed = true;
    }

    if !h.constructed {
        let len = h.len.unwrap_or(0);
        let content = rest
            .get(..len)
            .ok_or(SignatureError::Malformed("truncated element"))?;
        out.extend_from_slice(id);
        push_len(out, len);
        out.extend_from_slice(content);
        return Ok(h.header_len + len);
    }

    let flatten = h.universal.is_some_and(is_string_type);
    let set_like = h.universal == Some(SET) || h.class == CONTEXT_SPECIFIC;
    let mut children = 0usize;
    let mut count = || {
        children += 1;
        if set_like && children > MAX_SET_ELEMENTS {
            Err(SignatureError::Malformed("a set with too many elements"))
        } else {
            Ok(())
        }
    };
    let mut content = Vec::new();
    let consumed = match h.len {
        Some(len) => {
            let body = rest
                .get(..len)
                .ok_or(SignatureError::Malformed("truncated element"))?;
            let mut pos = 0;
            while pos < body.len() {
                count()?;
                let child = body
                    .get(pos..)
                    .ok_or(SignatureError::Malformed("truncated element"))?;
                pos += child_element(child, depth, flatten, h.universal, &mut content, changed)?;
            }
            len
        }
        None => {
            let mut pos = 0;
            loop {
                let child = rest
                    .get(pos..)
                    .ok_or(SignatureError::Malformed("missing end-of-contents"))?;
                match child {
                    [0, 0, ..] => break pos + 2,
                    [] => return Err(SignatureError::Malformed("missing end-of-contents")),
                    _ => count()?,
                }
                pos += child_element(child, depth, flatten, h.universal, &mut content, changed)?;
            }
        }
    };

    if flatten {
        // NOTE: a chunked string becomes primitive: same tag number, constructed bit cleared.
        *changed = true;
        let mut flat_id = id.to_vec();
        if let Some(first) = flat_id.first_mut() {
            *first &= !0x20;
        }
        out.extend_from_slice(&flat_id);
    } else {
        out.extend_from_slice(id);
    }
    push_len(out, content.len());
    out.extend_from_slice(&content);
    Ok(h.header_len + consumed)
}

/// One child of a constructed element: normalised as an element, or (inside a chunked
/// string) reduced to its raw content octets.
fn child_element(
    input: &[u8],
    depth: usize,
    flatten: bool,
    parent: Option<u32>,
    content: &mut Vec<u8>,
    changed: &mut bool,
) -> Result<usize, SignatureError> {
    if !flatten {
        return element(input, depth + 1, content, changed);
    }
    // Normalise the chunk on its own, then keep only its content octets.
    let mut chunk = Vec::new();
    let used = element(input, depth + 1, &mut chunk, changed)?;
    let h = header(&chunk)?;
    if h.constructed || h.universal != parent {
        return Err(SignatureError::Malformed("bad segment in a chunked string"));
    }
    let body = chunk
        .get(h.header_len..)
        .ok_or(SignatureError::Malformed("truncated element"))?;
    if parent == Some(3) {
        // BIT STRING segments each start with an unused-bits octet; only the last may be
        // non-zero. Keep one leading octet overall (the last segment's).
        let (unused, bits) = body
            .split_first()
            .ok_or(SignatureError::Malformed("empty bit string segment"))?;
        match content.first_mut() {
            Some(first) => {
                if *first != 0 {
                    return Err(SignatureError::Malformed(
                        "unused bits before the last segment",
                    ));
                }
                *first = *unused;
            }
            None => content.push(*unused),
        }
        content.extend_from_slice(bits);
    } else {
        content.extend_from_slice(body);
    }
    Ok(used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_input_comes_out_identical_and_unchanged() {
        let der = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa];
        let n = normalise(&der).unwrap();
        assert_eq!(n.der, der);
        assert!(!n.changed);
    }

    #[test]
    fn indefinite_lengths_become_definite() {
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0xa0, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        let n = normalise(&ber).unwrap();
        assert_eq!(
            n.der,
            [0x30, 0x07, 0x02, 0x01, 0x05, 0xa0, 0x02, 0x05, 0x00]
        );
        assert!(n.changed);
    }

    #[test]
    fn chunked_octet_strings_are_flattened() {
        let ber = [0x24, 0x80, 0x04, 0x02, 1, 2, 0x04, 0x01, 3, 0x00, 0x00];
        let n = normalise(&ber).unwrap();
        assert_eq!(n.der, [0x04, 0x03, 1, 2, 3]);
    }

    #[test]
    fn chunked_bit_strings_keep_one_unused_bits_octet() {
        let ber = [0x23, 0x08, 0x03, 0x02, 0x00, 0xff, 0x03, 0x02, 0x04, 0xf0];
        let n = normalise(&ber).unwrap();
        assert_eq!(n.der, [0x03, 0x03, 0x04, 0xff, 0xf0]);
    }

    #[test]
    fn long_form_lengths_that_fit_short_form_are_shortened() {
        let ber = [0x04, 0x81, 0x02, 0xaa, 0xbb];
        let n = normalise(&ber).unwrap();
        assert_eq!(n.der, [0x04, 0x02, 0xaa, 0xbb]);
        assert!(n.changed);
    }

    #[test]
    fn a_hundred_thousand_nested_levels_are_refused_without_recursion() {
        let mut bomb = Vec::new();
        for _ in 0..100_000 {
            bomb.extend_from_slice(&[0x30, 0x80]);
        }
        assert!(normalise(&bomb).is_err());
    }

    #[test]
    fn sets_are_limited_and_sequences_are_not() {
        let many = |tag: u8, n: usize| {
            let body = [0x05, 0x00].repeat(n);
            let mut v = vec![tag, 0x82, (body.len() >> 8) as u8, body.len() as u8];
            v.extend(body);
            v
        };
        assert!(normalise(&many(0x31, MAX_SET_ELEMENTS)).is_ok());
        assert!(normalise(&many(0x31, MAX_SET_ELEMENTS + 1)).is_err());
        assert!(normalise(&many(0xa0, MAX_SET_ELEMENTS + 1)).is_err());
        assert!(normalise(&many(0x30, 10 * MAX_SET_ELEMENTS)).is_ok());
        let mut indefinite = vec![0x31, 0x80];
        indefinite.extend([0x05, 0x00].repeat(MAX_SET_ELEMENTS + 1));
        indefinite.extend([0x00, 0x00]);
        assert!(normalise(&indefinite).is_err());
    }

    #[test]
    fn huge_declared_lengths_are_refused() {
        assert!(normalise(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00]).is_err());
        assert!(normalise(&[0x04, 0x88, 1, 2, 3, 4, 5, 6, 7, 8]).is_err());
    }

    /// `normalise` and the plain rebuild agree: the same bytes, the same `changed`, the same error.
    fn agrees_with_the_rebuild(input: &[u8]) {
        let fast = normalise(input).map(|n| (n.der, n.changed));
        let slow = rebuild(input).map(|n| (n.der, n.changed));
        assert_eq!(fast, slow, "on {input:02x?}");
        assert_eq!(within_limits(input), slow.is_ok());
    }

    #[test]
    fn the_der_shortcut_agrees_with_the_rebuild_on_a_certificate_and_every_damage_to_it() {
        let pem = include_str!("../../trust/pec-ca/agid-ca1-20250220.pem");
        let der = super::super::anchors::pem_blocks(pem.as_bytes())
            .unwrap()
            .remove(0);
        assert!(is_plain_der(&der));
        agrees_with_the_rebuild(&der);
        // Every header octet is a tag or a length; damage each of the first ones, and a sample of
        // the rest, every way that matters to BER (constructed bit, long form, indefinite form).
        let positions = (0..64).chain((64..der.len()).step_by(7));
        for i in positions {
            for damage in [0x80u8, 0x20, 0x01, 0x1f, 0xff] {
                let mut bad = der.clone();
                bad[i] ^= damage;
                agrees_with_the_rebuild(&bad);
            }
            let mut indefinite = der.clone();
            indefinite[i] = 0x80;
            agrees_with_the_rebuild(&indefinite);
        }
        for cut in (0..der.len()).step_by(13) {
            agrees_with_the_rebuild(&der[..cut]);
        }
        let mut padded = der.clone();
        padded.extend([0, 0]);
        agrees_with_the_rebuild(&padded);
        padded.push(1);
        agrees_with_the_rebuild(&padded);
    }

    #[test]
    fn the_der_shortcut_agrees_with_the_rebuild_on_every_ber_shape() {
        let long = [0x04, 0x81, 0x80]
            .into_iter()
            .chain([7u8; 128])
            .collect::<Vec<_>>();
        let cases: Vec<Vec<u8>> = vec![
            vec![0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa],
            vec![
                0x30, 0x80, 0x02, 0x01, 0x05, 0xa0, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
            ],
            vec![0x24, 0x80, 0x04, 0x02, 1, 2, 0x04, 0x01, 3, 0x00, 0x00],
            vec![0x24, 0x03, 0x04, 0x01, 9],
            vec![0x23, 0x08, 0x03, 0x02, 0x00, 0xff, 0x03, 0x02, 0x04, 0xf0],
            vec![0x04, 0x81, 0x02, 0xaa, 0xbb],
            vec![0x04, 0x82, 0x00, 0x02, 0xaa, 0xbb],
            long.clone(),
            [vec![0x30, 0x81, 0x83], long].concat(),
            vec![0x1f, 0x81, 0x01, 0x00],
            vec![0x31, 0x00],
            vec![],
        ];
        for case in &cases {
            agrees_with_the_rebuild(case);
        }
        let nested = |depth: usize| {
            let mut v = vec![0x05, 0x00];
            for _ in 0..depth {
                let mut outer = vec![0x30];
                push_len(&mut outer, v.len());
                outer.extend(v);
                v = outer;
            }
            v
        };
        for depth in [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2] {
            agrees_with_the_rebuild(&nested(depth));
        }
        for n in [MAX_SET_ELEMENTS, MAX_SET_ELEMENTS + 1] {
            for tag in [0x31u8, 0xa0, 0x30] {
                let body = [0x05, 0x00].repeat(n);
                let mut v = vec![tag];
                push_len(&mut v, body.len());
                v.extend(body);
                agrees_with_the_rebuild(&v);
            }
        }
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let der = [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa];
        for cut in 0..der.len() {
            assert!(normalise(&der[..cut]).is_err(), "cut at {cut}");
        }
    }
}

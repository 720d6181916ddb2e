//! Forgeries of the real Italian list (seq 194): every one is refused with the reason that names it.
//! The same copies feed the xmlsec1 oracle (`oracle.rs`).

use pec_trusted_list::{ListRefused, TrustedLists, verify};

use super::build::signers;
use super::support::{IT_141, IT_194, LOTL, real, trusted_list_dir};

/// One altered copy and what must become of it.
pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    /// The reason `TrustedLists::add_national` must give.
    pub refused: fn(&ListRefused) -> bool,
    /// Whether xmlsec1 (integrity only: embedded certificate, no binding) accepts it.
    pub oracle_ok: bool,
    /// Whether we refuse what xmlsec1 accepts, on purpose (said in `because`).
    pub stricter_than_oracle: Option<&'static str>,
}

fn signature_span(s: &str) -> (usize, usize) {
    let start = s.find("<ds:Signature ").unwrap();
    let end = s.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    (start, end)
}

fn without_signature(s: &str) -> String {
    let (a, b) = signature_span(s);
    format!("{}{}", &s[..a], &s[b..])
}

fn flip_case_after(s: &str, marker: &str) -> String {
    let at = s.find(marker).unwrap();
    let name = at + s[at..].find("<Name").unwrap();
    let mut i = name + s[name..].find('>').unwrap() + 1;
    let mut bytes = s.as_bytes().to_vec();
    while !bytes[i].is_ascii_alphabetic() {
        i += 1;
    }
    bytes[i] ^= 0x20;
    String::from_utf8(bytes).unwrap()
}

/// The forgeries, made from the real lists; `None` when the corpus is absent.
pub fn cases() -> Option<Vec<Case>> {
    let it = String::from_utf8(real(IT_194)?).unwrap();
    let old = String::from_utf8(real(IT_141)?).unwrap();
    let (sig_a, sig_b) = signature_span(&it);
    let signature = &it[sig_a..sig_b];
    let agid_2021 = {
        let raw = std::fs::read(trusted_list_dir()?.join("IT_tsl5.crt")).unwrap();
        pec_trusted_list::pinned::pem_to_der(&raw).unwrap_or(raw)
    };
    let key_info_cert = {
        use base64::Engine as _;
        let k = it.find("<ds:KeyInfo>").unwrap();
        let a = k + it[k..].find("<ds:X509Certificate>").unwrap() + "<ds:X509Certificate>".len();
        let b = a + it[a..].find('<').unwrap();
        (
            a,
            b,
            base64::engine::general_purpose::STANDARD.encode(&agid_2021),
        )
    };
    let root_start_end = it.find("<TrustServiceStatusList").unwrap();
    let root_tag_end = root_start_end + it[root_start_end..].find('>').unwrap() + 1;
    let withdrawn = "Svcstatus/withdrawn</ServiceStatus>";
    assert!(it.contains(withdrawn));

    let digest_of = |uri: &'static str| -> fn(&ListRefused) -> bool {
        if uri.is_empty() {
            |r| matches!(r, ListRefused::DigestMismatch { uri } if uri.is_empty())
        } else {
            |r| matches!(r, ListRefused::DigestMismatch { uri } if uri.starts_with("#xades"))
        }
    };
    let case = |name, bytes: String, refused, oracle_ok| Case {
        name,
        bytes: bytes.into_bytes(),
        refused,
        oracle_ok,
        stricter_than_oracle: None,
    };
    let mut moved = without_signature(&it);
    let at = moved.find("</SchemeInformation>").unwrap();
    moved.insert_str(at, signature);

    Some(vec![
        case(
            "a byte of a service name flipped",
            flip_case_after(&it, "<ServiceName>"),
            digest_of(""),
            false,
        ),
        case(
            "a withdrawn service turned granted",
            it.replacen(withdrawn, "Svcstatus/granted</ServiceStatus>", 1),
            digest_of(""),
            false,
        ),
        case(
            "the signing time in the signed properties changed",
            it.replacen("2023-09-26T14:47:52Z", "2023-09-26T14:47:53Z", 1),
            digest_of("#xades"),
            false,
        ),
        case(
            "the document reference pointed at the root's Id instead of the whole document",
            it.replacen(r#"URI="""#, r##"URI="#ID100001""##, 1),
            |r| matches!(r, ListRefused::UnexpectedReference { .. }),
            false,
        ),
        case(
            "a second copy of the signature",
            format!("{}{}{}", &it[..sig_b], signature, &it[sig_b..]),
            |r| matches!(r, ListRefused::SeveralSignatures { count: 2 }),
            false,
        ),
        case(
            "the signed list wrapped inside a forged list",
            {
                let a = it.find("<SchemeInformation>").unwrap();
                let b = it.find("</SchemeInformation>").unwrap() + "</SchemeInformation>".len();
                format!(
                    r#"{}{}{}<TrustServiceProviderList/>{}</TrustServiceStatusList>"#,
                    &it[..root_start_end],
                    it[root_start_end..root_tag_end].replacen("ID100001", "forged", 1),
                    &it[a..b],
                    &it[root_start_end..]
                )
            },
            |r| matches!(r, ListRefused::SeveralLists),
            false,
        ),
        case(
            "the 2023 signature transplanted onto the 2019 list",
            {
                let (a, b) = signature_span(&old);
                format!("{}{}{}", &old[..a], signature, &old[b..])
            },
            digest_of(""),
            false,
        ),
        case(
            "the embedded certificate swapped for another AgID certificate",
            format!(
                "{}{}{}",
                &it[..key_info_cert.0],
                key_info_cert.2,
                &it[key_info_cert.1..]
            ),
            |r| matches!(r, ListRefused::BadSignatureValue),
            false,
        ),
        case(
            "the signature removed",
            without_signature(&it),
            |r| matches!(r, ListRefused::NoSignature),
            false,
        ),
        case(
            "the content re-signed by a key the LOTL does not name",
            signers()[2].sign(&without_signature(&it)),
            |r| matches!(r, ListRefused::SignerNotAccepted { .. }),
            true,
        ),
        Case {
            stricter_than_oracle: Some(
                "TS 119 612 §5.7 puts the signature in the root; xmlsec1 only removes it wherever it is",
            ),
            ..case(
                "the signature moved inside SchemeInformation",
                moved,
                |r| matches!(r, ListRefused::SignatureNotEnveloped),
                true,
            )
        },
        case(
            "an element given the signature's Id twice",
            format!(
                "{} Id=\"id-276aa8490e63a012e493cb0c45420a8d\"{}",
                &it[..root_tag_end - 1],
                &it[root_tag_end - 1..]
            )
            .replacen(r#" Id="ID100001""#, "", 1),
            |r| matches!(r, ListRefused::DuplicateId { .. }),
            false,
        ),
    ])
}

#[test]
fn every_forgery_of_the_italian_list_is_refused_with_its_own_reason() {
    let (Some(lotl), Some(cases)) = (real(LOTL), cases()) else {
        return;
    };
    let mut set = TrustedLists::new();
    set.add_list_of_lists(&lotl).unwrap();
    for case in cases {
        let got = set.add_national(&case.bytes).map(|_| ()).unwrap_err();
        assert!((case.refused)(&got), "{}: refused as {got:?}", case.name);
        assert!(!got.to_string().is_empty());
    }
    assert_eq!(set.history("IT").count(), 0, "no forgery was kept");
}

#[test]
fn the_untouched_list_still_verifies_next_to_its_forgeries() {
    let (Some(lotl), Some(it)) = (real(LOTL), real(IT_194)) else {
        return;
    };
    let mut set = TrustedLists::new();
    set.add_list_of_lists(&lotl).unwrap();
    assert!(set.add_national(&it).is_ok());
}

#[test]
fn a_refusal_names_the_signer_that_was_not_accepted() {
    let Some(it) = real(IT_194) else { return };
    let stranger = &signers()[2];
    let resigned = stranger.sign(&without_signature(&String::from_utf8(it).unwrap()));
    let err = verify(resigned.as_bytes(), &[]).unwrap_err();
    let ListRefused::SignerNotAccepted { subject, sha256 } = &err else {
        panic!("{err:?}")
    };
    assert!(subject.contains("Someone else"), "{subject}");
    assert_eq!(sha256.len(), 64);
    assert!(err.to_string().contains("not accepted"));
}

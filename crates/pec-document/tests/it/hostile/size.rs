//! Size: 64 MiB of zeros, of noise, of noise dressed as a SEQUENCE or a PDF, of base64 padding —
//! not a signed file, said in seconds even in a debug build.

use pec_core::signature::{FindingCode, SignatureStatus};
use pec_testkit::Rng;

use super::{assert_refused, has, open_untrusted};

#[test]
fn sixty_four_mebibytes_of_zeros_or_noise_are_not_a_signed_file() {
    const SIZE: usize = 64 << 20;
    let zeros = vec![0u8; SIZE];
    let report = open_untrusted("zeros.p7m", &zeros);
    assert_refused(&report, "zeros");
    assert!(has(&report, FindingCode::NotASignedFile));
    let mut pdf_of_zeros = zeros;
    pdf_of_zeros[..8].copy_from_slice(b"%PDF-1.7");
    let report = open_untrusted("zeros.pdf", &pdf_of_zeros);
    assert_ne!(report.status, SignatureStatus::Valid, "zeros as a PDF");
    drop(pdf_of_zeros);

    // One random mebibyte, 64 times (a debug build draws 64 MiB of randomness slowly).
    let mut rng = Rng::new(15);
    let mebibyte: Vec<u8> = (0..(1 << 20) / 8)
        .flat_map(|_| rng.next_u64().to_le_bytes())
        .collect();
    let mut noise = mebibyte.repeat(SIZE >> 20);
    noise[0] = 0x7f;
    assert_refused(&open_untrusted("noise.p7m", &noise), "noise");
    // Noise dressed as what it is not: a SEQUENCE claiming the whole file, a PDF.
    noise[..6].copy_from_slice(&[0x30, 0x84, 0x03, 0xff, 0xff, 0xfa]);
    assert_refused(&open_untrusted("noise.p7m", &noise), "noise as a SEQUENCE");
    noise[..8].copy_from_slice(b"%PDF-1.7");
    let report = open_untrusted("noise.pdf", &noise);
    assert_ne!(report.status, SignatureStatus::Valid, "noise as a PDF");
    drop(noise);

    // 64 MiB of base64 that decodes to an empty indefinite-length SEQUENCE and 48 MiB of zeros.
    let mut text = vec![b'A'; SIZE];
    text[..4].copy_from_slice(b"MIAA");
    let report = open_untrusted("padding.p7m", &text);
    assert_refused(&report, "base64 of padding");
}

//! The whole corpus, both readers: every file is recognised as what its folder says and no file is
//! read as the other kind.

use pec_invoice::{DocumentKind, read_invoice, read_notification, recognise};

use super::{corpus_file, manifest_rows};

#[test]
fn no_invoice_reads_as_a_notification_and_no_notification_as_an_invoice() {
    for (file, _) in manifest_rows("fatturapa-xml") {
        let bytes = corpus_file(&file).unwrap();
        assert!(read_notification(&bytes).is_err(), "{file}");
    }
    for (file, _) in manifest_rows("sdi-notification") {
        let bytes = corpus_file(&file).unwrap();
        assert!(read_invoice(&bytes).is_err(), "{file}");
        assert!(
            matches!(recognise(&bytes), Some(DocumentKind::Notification(_))),
            "{file}"
        );
    }
}

#[test]
fn a_signed_p7m_invoice_is_not_xml_and_is_not_recognised() {
    // The CAdES wrapper is removed by another crate; this one is handed XML only.
    for (file, _) in manifest_rows("p7m-invoice") {
        let bytes = corpus_file(&file).unwrap();
        assert_eq!(recognise(&bytes), None, "{file}");
        assert!(read_invoice(&bytes).is_err(), "{file}");
    }
}

//! Synthetic Trusted Lists in the real TS 119 612 format, signed in the test with the project's own
//! test keys (RSA 2048 made with RustCrypto, certificate by rcgen): an enveloped XMLDSig with exclusive
//! C14N and RSA-SHA256, like the EU lists. The xmlsec1 oracle checks these signatures independently.

use base64::Engine as _;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePrivateKey as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use sha2::{Digest as _, Sha256};
use xml_sec::c14n::{C14nAlgorithm, C14nMode, canonicalize_xml};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

pub const TSL_NS: &str = "http://uri.etsi.org/02231/v2#";

/// A test key and its self-signed certificate.
pub struct TestSigner {
    key: SigningKey<Sha256>,
    pub cert_der: Vec<u8>,
}

impl TestSigner {
    pub fn new(common_name: &str) -> Self {
        Self::valid(common_name, None)
    }

    /// A signer whose certificate is valid only during the years `from..=to`.
    pub fn valid_during(common_name: &str, from: i32, to: i32) -> Self {
        Self::valid(common_name, Some((from, to)))
    }

    fn valid(common_name: &str, years: Option<(i32, i32)>) -> Self {
        let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
        let pkcs8 = key.to_pkcs8_der().unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            B64.encode(pkcs8.as_bytes())
        );
        let pair = rcgen::KeyPair::from_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256).unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, common_name);
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        if let Some((from, to)) = years {
            params.not_before = rcgen::date_time_ymd(from, 1, 1);
            params.not_after = rcgen::date_time_ymd(to, 12, 31);
        }
        let cert = params.self_signed(&pair).unwrap();
        Self {
            key: SigningKey::<Sha256>::new(key),
            cert_der: cert.der().to_vec(),
        }
    }

    /// Signs an unsigned list: the enveloped signature goes last in the root element.
    pub fn sign(&self, unsigned: &str) -> String {
        let exc = C14nAlgorithm::new(C14nMode::Exclusive1_0, false);
        let canonical = canonicalize_xml(unsigned.as_bytes(), &exc).unwrap();
        let digest = B64.encode(Sha256::digest(&canonical));
        let signed_info = format!(
            concat!(
                r#"<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">"#,
                r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
                r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
                r#"<ds:Reference Id="ref-list" URI=""><ds:Transforms>"#,
                r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
                r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"#,
                r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
                r#"<ds:DigestValue>{}</ds:DigestValue></ds:Reference></ds:SignedInfo>"#
            ),
            digest
        );
        let canonical_si = canonicalize_xml(signed_info.as_bytes(), &exc).unwrap();
        let value = B64.encode(self.key.sign(&canonical_si).to_bytes());
        // The declaration moves to the Signature element; exclusive C14N renders SignedInfo the same.
        let inner =
            signed_info.replacen(r#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#""#, "", 1);
        let signature = format!(
            concat!(
                r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="sig-1">{}"#,
                r#"<ds:SignatureValue>{}</ds:SignatureValue><ds:KeyInfo><ds:X509Data>"#,
                r#"<ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>"#
            ),
            inner,
            value,
            B64.encode(&self.cert_der)
        );
        let end = unsigned.rfind("</TrustServiceStatusList>").unwrap();
        format!("{}{}{}", &unsigned[..end], signature, &unsigned[end..])
    }
}

fn scheme(seq: u64, list_type: &str, territory: &str, pointers: &str) -> String {
    format!(
        r#"<SchemeInformation>
        <TSLVersionIdentifier>5</TSLVersionIdentifier>
        <TSLSequenceNumber>{seq}</TSLSequenceNumber>
        <TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/{list_type}</TSLType>
        <SchemeOperatorName><Name xml:lang="en">Test Scheme Operator</Name></SchemeOperatorName>
        <SchemeTerritory>{territory}</SchemeTerritory>
        {pointers}
        <ListIssueDateTime>2024-01-10T00:00:00Z</ListIssueDateTime>
        <NextUpdate><dateTime>2024-07-10T00:00:00Z</dateTime></NextUpdate>
    </SchemeInformation>"#
    )
}

fn root(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><TrustServiceStatusList xmlns="{TSL_NS}" xmlns:ns3="http://uri.etsi.org/02231/v2/additionaltypes#" xmlns:ns4="http://uri.etsi.org/01903/v1.3.2#" xmlns:ns5="http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#" Id="TSL-1" TSLTag="http://uri.etsi.org/19612/TSLTag">
    {body}
</TrustServiceStatusList>"#
    )
}

/// An EU list of lists with one pointer per `(territory, signing certificate)`.
pub fn lotl(seq: u64, pointers: &[(&str, &[u8])]) -> String {
    let ptrs: String = pointers
        .iter()
        .map(|(t, cert)| {
            format!(
                r#"<OtherTSLPointer>
            <ServiceDigitalIdentities><ServiceDigitalIdentity><DigitalId><X509Certificate>{}</X509Certificate></DigitalId></ServiceDigitalIdentity></ServiceDigitalIdentities>
            <TSLLocation>https://tl.example/{t}.xml</TSLLocation>
            <AdditionalInformation>
                <OtherInformation><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType></OtherInformation>
                <OtherInformation><SchemeTerritory>{t}</SchemeTerritory></OtherInformation>
                <OtherInformation><ns3:MimeType>application/vnd.etsi.tsl+xml</ns3:MimeType></OtherInformation>
            </AdditionalInformation>
        </OtherTSLPointer>"#,
                B64.encode(cert)
            )
        })
        .collect();
    root(&scheme(
        seq,
        "EUlistofthelists",
        "EU",
        &format!("<PointersToOtherTSL>{ptrs}</PointersToOtherTSL>"),
    ))
}

/// One service of a synthetic national list.
pub struct Service<'a> {
    pub provider: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub cert_der: &'a [u8],
    /// `(status, since)`, newest first: the first is current, the rest the history.
    pub statuses: &'a [(&'a str, &'a str)],
}

/// A national list of `territory` with the given services (one provider each).
pub fn national(territory: &str, seq: u64, services: &[Service<'_>]) -> String {
    let providers: String = services.iter().map(service).collect();
    root(&format!(
        "{}<TrustServiceProviderList>{providers}</TrustServiceProviderList>",
        scheme(seq, "EUgeneric", territory, "")
    ))
}

fn service(s: &Service<'_>) -> String {
    let phase = |status: &str, since: &str, tag: &str| {
        let ext = if s.kind == "CA/QC" {
            r#"<ServiceInformationExtensions><Extension Critical="true"><ns5:Qualifications><ns5:QualificationElement><ns5:Qualifiers><ns5:Qualifier uri="http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD"/></ns5:Qualifiers><ns5:CriteriaList assert="atLeastOne"><ns5:KeyUsage><ns5:KeyUsageBit name="nonRepudiation">true</ns5:KeyUsageBit></ns5:KeyUsage><ns5:PolicySet><ns5:PolicyIdentifier><ns4:Identifier>urn:oid:1.3.76.99.1</ns4:Identifier></ns5:PolicyIdentifier></ns5:PolicySet></ns5:CriteriaList></ns5:QualificationElement></ns5:Qualifications></Extension><Extension Critical="false"><AdditionalServiceInformation><URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures</URI></AdditionalServiceInformation></Extension></ServiceInformationExtensions>"#
        } else {
            ""
        };
        format!(
            r#"<{tag}><ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/{kind}</ServiceTypeIdentifier>
            <ServiceName><Name xml:lang="en">{name}</Name></ServiceName>
            <ServiceDigitalIdentity><DigitalId><X509Certificate>{cert}</X509Certificate></DigitalId></ServiceDigitalIdentity>
            <ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/{status}</ServiceStatus>
            <StatusStartingTime>{since}</StatusStartingTime>{ext}</{tag}>"#,
            kind = s.kind,
            name = s.name,
            cert = B64.encode(s.cert_der),
        )
    };
    let (current, history) = s.statuses.split_first().unwrap();
    let history: String = history
        .iter()
        .map(|(st, since)| phase(st, since, "ServiceHistoryInstance"))
        .collect();
    let history = if history.is_empty() {
        String::new()
    } else {
        format!("<ServiceHistory>{history}</ServiceHistory>")
    };
    format!(
        r#"<TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="en">{}</Name></TSPName></TSPInformation>
        <TSPServices><TSPService>{}{history}</TSPService></TSPServices></TrustServiceProvider>"#,
        s.provider,
        phase(current.0, current.1, "ServiceInformation")
    )
}

/// The three test keys the tests share (RSA key generation is the slow part): the EU list's signer,
/// the `IT` list's signer, and a stranger.
pub fn signers() -> &'static [TestSigner; 3] {
    static SIGNERS: std::sync::OnceLock<[TestSigner; 3]> = std::sync::OnceLock::new();
    SIGNERS.get_or_init(|| {
        std::thread::scope(|s| {
            let a = s.spawn(|| TestSigner::new("Test LOTL signer"));
            let b = s.spawn(|| TestSigner::new("Test IT list signer"));
            let c = TestSigner::new("Someone else");
            [a.join().unwrap(), b.join().unwrap(), c]
        })
    })
}

//! go-plugin's AutoMTLS, server side.
//!
//! Terraform generates a throw-away client certificate (ECDSA P-521, self-signed) and passes it
//! in `PLUGIN_CLIENT_CERT`. The plugin generates its own throw-away server certificate (here
//! ECDSA P-256, cheap to make), announces it in the handshake line, and accepts exactly one
//! client: the holder of the certificate it was given. No chain building, no CA semantics: the
//! presented certificate must be byte-for-byte the expected one, and the TLS handshake
//! signature must verify with its key.
//!
//! ring cannot verify P-521 signatures, so that one scheme is verified with the pure-Rust
//! `p521` crate; everything else goes through ring.

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    alg_id, AlgorithmIdentifier, CertificateDer, InvalidSignature, PrivateKeyDer,
    SignatureVerificationAlgorithm, UnixTime,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use std::sync::Arc;

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// `PLUGIN_CLIENT_CERT` holds no PEM certificate.
    #[error("PLUGIN_CLIENT_CERT does not contain a PEM certificate")]
    NoClientCert,
    /// Generating the server certificate failed.
    #[error("could not generate the server certificate: {0}")]
    CertGen(#[from] rcgen::Error),
    /// rustls refused the configuration.
    #[error("TLS configuration error: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A ready server-side TLS setup.
pub struct ServerTls {
    /// The rustls configuration (ALPN `h2`, client certificate required).
    pub config: Arc<rustls::ServerConfig>,
    /// The server certificate (DER), for the handshake line.
    pub cert_der: Vec<u8>,
}

/// Build the server TLS setup trusting exactly the PEM client certificate `client_cert_pem`.
pub fn server_tls(client_cert_pem: &str) -> Result<ServerTls, TlsError> {
    let client_cert = CertificateDer::pem_slice_iter(client_cert_pem.as_bytes())
        .next()
        .and_then(Result::ok)
        .ok_or(TlsError::NoClientCert)?;
    server_tls_for(client_cert)
}

/// Build the server TLS setup trusting exactly the DER client certificate `client_cert`.
pub fn server_tls_for(client_cert: CertificateDer<'static>) -> Result<ServerTls, TlsError> {
    let (cert, key) = generate_cert()?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(ExactCertVerifier::new(
        client_cert,
        provider.signature_verification_algorithms,
    ));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert.clone()], key)?;
    // gRPC clients (grpc-go included) insist on ALPN h2.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(ServerTls {
        config: Arc::new(config),
        cert_der: cert.as_ref().to_vec(),
    })
}

/// A fresh self-signed ECDSA P-256 certificate for `localhost` and its key, as go-plugin's
/// client expects (it pins this certificate as its only root and checks the name).
pub fn generate_cert() -> Result<(CertificateDer<'static>, PrivateKeyDer<'static>), rcgen::Error> {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()])?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyAgreement,
    ];
    let cert = params.self_signed(&key)?;
    let key_der = PrivateKeyDer::Pkcs8(key.serialize_der().into());
    Ok((cert.der().clone(), key_der))
}

/// Accepts exactly one certificate, byte for byte, and checks handshake signatures with its
/// key. Usable on both sides: as the server's client verifier, and (in tests) as a client's
/// server verifier.
#[derive(Debug)]
pub struct ExactCertVerifier {
    expected: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ExactCertVerifier {
    /// Trust exactly `expected`; `algorithms` verifies every scheme except P-521.
    pub fn new(expected: CertificateDer<'static>, algorithms: WebPkiSupportedAlgorithms) -> Self {
        ExactCertVerifier {
            expected,
            algorithms,
        }
    }

    fn check(&self, presented: &CertificateDer<'_>) -> Result<(), rustls::Error> {
        if presented.as_ref() == self.expected.as_ref() {
            Ok(())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn algorithms_for(&self, scheme: SignatureScheme) -> &WebPkiSupportedAlgorithms {
        if scheme == SignatureScheme::ECDSA_NISTP521_SHA512 {
            &P521_ALGORITHMS
        } else {
            &self.algorithms
        }
    }

    fn schemes(&self) -> Vec<SignatureScheme> {
        let mut s = self.algorithms.supported_schemes();
        if !s.contains(&SignatureScheme::ECDSA_NISTP521_SHA512) {
            s.push(SignatureScheme::ECDSA_NISTP521_SHA512);
        }
        s
    }
}

impl ClientCertVerifier for ExactCertVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.check(end_entity)?;
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, self.algorithms_for(dss.scheme))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, self.algorithms_for(dss.scheme))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes()
    }
}

impl rustls::client::danger::ServerCertVerifier for ExactCertVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        self.check(end_entity)?;
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, self.algorithms_for(dss.scheme))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, self.algorithms_for(dss.scheme))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes()
    }
}

/// ECDSA over P-521 with SHA-512, verified with the pure-Rust `p521` crate.
#[derive(Debug)]
pub struct EcdsaP521Sha512;

impl SignatureVerificationAlgorithm for EcdsaP521Sha512 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        use p521::ecdsa::signature::Verifier;
        let key =
            p521::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let sig = p521::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &sig).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_P521
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ECDSA_SHA512
    }
}

static P521: EcdsaP521Sha512 = EcdsaP521Sha512;

static P521_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[&P521],
    mapping: &[(SignatureScheme::ECDSA_NISTP521_SHA512, &[&P521])],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p521_signatures_verify() {
        use p521::ecdsa::signature::Signer;
        let signing = p521::ecdsa::SigningKey::random(&mut rand_core_os());
        let verifying = p521::ecdsa::VerifyingKey::from(&signing);
        let point = verifying.to_encoded_point(false);
        let sig: p521::ecdsa::Signature = signing.sign(b"hello");
        let der = sig.to_der();
        assert!(P521
            .verify_signature(point.as_bytes(), b"hello", der.as_bytes())
            .is_ok());
        assert!(P521
            .verify_signature(point.as_bytes(), b"hellp", der.as_bytes())
            .is_err());
        assert!(P521
            .verify_signature(b"garbage", b"hello", der.as_bytes())
            .is_err());
    }

    fn rand_core_os() -> p521::elliptic_curve::rand_core::OsRng {
        p521::elliptic_curve::rand_core::OsRng
    }

    #[test]
    fn exact_match_only() {
        let (a, _) = generate_cert().expect("cert");
        let (b, _) = generate_cert().expect("cert");
        let v = ExactCertVerifier::new(
            a.clone(),
            rustls::crypto::ring::default_provider().signature_verification_algorithms,
        );
        assert!(v.verify_client_cert(&a, &[], UnixTime::now()).is_ok());
        assert!(v.verify_client_cert(&b, &[], UnixTime::now()).is_err());
        assert!(v
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn rejects_bad_pem() {
        assert!(matches!(server_tls("nope"), Err(TlsError::NoClientCert)));
    }
}

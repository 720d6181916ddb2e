//! The RSA public operation for verifying PKCS#1 v1.5 signatures, fast.
//!
//! `rsa` 0.9 computes `s^e mod n` with `num-bigint-dig`, which sets up its Montgomery form again on
//! every call and walks all 64 bits of the exponent limb: about 150 µs for one RSA-2048
//! verification, most of a receipt's budget (issue 3: 5,000 receipts per second on one core). Here
//! the same exponentiation is done with `crypto-bigint` 0.5 (the generation `p256`/`p384` 0.13 use):
//! the Montgomery parameters of a modulus are computed once per key and kept with it, and the
//! public exponent (65537 in practice) costs 16 squarings and one multiplication. Everything is
//! public data, so variable time is fine.
//!
//! The signature check is RFC 8017 §8.2.2, exactly as `rsa` 0.9 makes it: the signature is as long
//! as the modulus and below it; `EM = s^e mod n` must equal `0x00 || 0x01 || PS || 0x00 || T`,
//! `PS` at least 8 octets of `0xff`, `T` = DigestInfo prefix (from `rsa`) || hash. A key this cannot
//! handle (even modulus, beyond 8192 bits) falls back to `rsa`.

use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::{Uint, Word};
use rsa::RsaPublicKey;
use rsa::traits::PublicKeyParts;

const WORD_BYTES: usize = Word::BITS as usize / 8;

/// Montgomery parameters of one modulus, at the smallest width that holds it.
#[derive(Clone)]
enum Params {
    W1024(Box<DynResidueParams<{ 1024 / Word::BITS as usize }>>),
    W2048(Box<DynResidueParams<{ 2048 / Word::BITS as usize }>>),
    W3072(Box<DynResidueParams<{ 3072 / Word::BITS as usize }>>),
    W4096(Box<DynResidueParams<{ 4096 / Word::BITS as usize }>>),
    W8192(Box<DynResidueParams<{ 8192 / Word::BITS as usize }>>),
}

/// One RSA public key, prepared for repeated verification.
#[derive(Clone)]
pub struct RsaPublic {
    params: Params,
    /// The public exponent's bits, most significant first, without the leading one.
    exponent_tail: Vec<bool>,
    /// The modulus length in octets (`k` of RFC 8017).
    size: usize,
    /// The modulus, big-endian, `size` octets.
    modulus: Vec<u8>,
}

impl std::fmt::Debug for RsaPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaPublic")
            .field("bits", &(self.size * 8))
            .finish_non_exhaustive()
    }
}

/// `bytes` (big-endian, at most `LIMBS` words) as a `Uint`.
fn to_uint<const LIMBS: usize>(bytes: &[u8]) -> Option<Uint<LIMBS>> {
    let mut words = [0 as Word; LIMBS];
    if bytes.len() > LIMBS * WORD_BYTES {
        return None;
    }
    // Words are little-endian; the octets within a word are big-endian.
    for (i, chunk) in bytes.rchunks(WORD_BYTES).enumerate() {
        let mut word = [0u8; WORD_BYTES];
        word.get_mut(WORD_BYTES - chunk.len()..)?
            .copy_from_slice(chunk);
        *words.get_mut(i)? = Word::from_be_bytes(word);
    }
    Some(Uint::from_words(words))
}

/// The low `size` octets of `value`, big-endian.
fn to_bytes<const LIMBS: usize>(value: &Uint<LIMBS>, size: usize) -> Vec<u8> {
    let mut out: Vec<u8> = value
        .as_words()
        .iter()
        .rev()
        .flat_map(|w| w.to_be_bytes())
        .collect();
    out.drain(..out.len().saturating_sub(size));
    out
}

fn params<const LIMBS: usize>(modulus: &[u8]) -> Option<Box<DynResidueParams<LIMBS>>> {
    let n = to_uint::<LIMBS>(modulus)?;
    // NOTE: `DynResidueParams::new` panics on an even modulus; an odd one is checked first.
    (n.as_words().first()? & 1 == 1).then(|| Box::new(DynResidueParams::new(&n)))
}

fn pow<const LIMBS: usize>(
    params: &DynResidueParams<LIMBS>,
    base: &[u8],
    exponent_tail: &[bool],
    size: usize,
) -> Option<Vec<u8>> {
    let base = DynResidue::new(&to_uint::<LIMBS>(base)?, *params);
    let mut acc = base;
    for &bit in exponent_tail {
        acc = acc.square();
        if bit {
            acc = acc.mul(&base);
        }
    }
    Some(to_bytes(&acc.retrieve(), size))
}

impl RsaPublic {
    /// Prepares `key`; `None` when this implementation cannot take it (use `rsa` then).
    pub fn new(key: &RsaPublicKey) -> Option<Self> {
        let modulus = key.n().to_bytes_be();
        let bits = key.n().bits();
        let params = match bits {
            0..=1024 => Params::W1024(params(&modulus)?),
            1025..=2048 => Params::W2048(params(&modulus)?),
            2049..=3072 => Params::W3072(params(&modulus)?),
            3073..=4096 => Params::W4096(params(&modulus)?),
            4097..=8192 => Params::W8192(params(&modulus)?),
            _ => return None,
        };
        let e = key.e().to_bytes_be();
        let mut exponent: Vec<bool> = e
            .iter()
            .flat_map(|byte| (0..8).rev().map(move |i| byte >> i & 1 == 1))
            .skip_while(|bit| !bit)
            .collect();
        if exponent.is_empty() {
            return None;
        }
        exponent.remove(0);
        Some(RsaPublic {
            params,
            exponent_tail: exponent,
            size: key.size(),
            modulus,
        })
    }

    /// `s^e mod n` as `k` octets; `None` unless `signature` is `k` octets and below `n`.
    fn public_op(&self, signature: &[u8]) -> Option<Vec<u8>> {
        // Equal lengths, so big-endian byte order is numeric order.
        if signature.len() != self.size || signature >= self.modulus.as_slice() {
            return None;
        }
        let (e, k) = (&self.exponent_tail, self.size);
        match &self.params {
            Params::W1024(p) => pow(p, signature, e, k),
            Params::W2048(p) => pow(p, signature, e, k),
            Params::W3072(p) => pow(p, signature, e, k),
            Params::W4096(p) => pow(p, signature, e, k),
            Params::W8192(p) => pow(p, signature, e, k),
        }
    }

    /// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) of `hashed` with DigestInfo `prefix`.
    pub fn verify_pkcs1v15(&self, prefix: &[u8], hashed: &[u8], signature: &[u8]) -> bool {
        let k = self.size;
        let t_len = prefix.len() + hashed.len();
        if k < t_len + 11 {
            return false;
        }
        let Some(em) = self.public_op(signature) else {
            return false;
        };
        let mut expected = Vec::with_capacity(k);
        expected.extend_from_slice(&[0x00, 0x01]);
        expected.resize(k - t_len - 1, 0xff);
        expected.push(0x00);
        expected.extend_from_slice(prefix);
        expected.extend_from_slice(hashed);
        em == expected
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::rand_core::{CryptoRng, RngCore};
    use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};
    use sha2::{Digest, Sha256};

    /// Deterministic bytes for tests (xorshift): not a real random source.
    struct TestRng(u64);
    impl RngCore for TestRng {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for b in dest {
                *b = self.next_u64() as u8;
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl CryptoRng for TestRng {}

    #[test]
    fn the_public_operation_equals_num_bigint_at_every_width() {
        let mut rng = TestRng(0x5eed);
        for bits in [512usize, 1024, 1500, 2048, 3072, 4096, 8192] {
            for e in [3u32, 17, 65537] {
                let mut n = vec![0u8; bits / 8];
                rng.fill_bytes(&mut n);
                n[0] |= 0x80;
                *n.last_mut().unwrap() |= 1;
                let key = RsaPublicKey::new_with_max_size(
                    BigUint::from_bytes_be(&n),
                    BigUint::from(e),
                    8192,
                )
                .unwrap();
                let fast = RsaPublic::new(&key).unwrap();
                let mut s = vec![0u8; n.len()];
                rng.fill_bytes(&mut s);
                s[0] &= 0x7f;
                let expected = BigUint::from_bytes_be(&s).modpow(key.e(), key.n());
                let got = fast.public_op(&s).unwrap();
                assert_eq!(BigUint::from_bytes_be(&got), expected, "{bits} bits, e={e}");
                assert_eq!(got.len(), n.len());
                // A value not below the modulus, or of another length, is refused.
                assert!(fast.public_op(&n).is_none());
                assert!(fast.public_op(&s[1..]).is_none());
            }
        }
    }

    #[test]
    fn pkcs1v15_verdicts_equal_the_rsa_crate_on_good_and_damaged_signatures() {
        let mut rng = TestRng(2026);
        let private = RsaPrivateKey::new(&mut rng, 1024).unwrap();
        let key = private.to_public_key();
        let fast = RsaPublic::new(&key).unwrap();
        let hashed = Sha256::digest(b"ricevuta di consegna").to_vec();
        let good = private
            .sign(Pkcs1v15Sign::new::<Sha256>(), &hashed)
            .unwrap();
        let prefix = Pkcs1v15Sign::new::<Sha256>().prefix;
        let slow = |sig: &[u8], h: &[u8]| key.verify(Pkcs1v15Sign::new::<Sha256>(), h, sig).is_ok();
        assert!(fast.verify_pkcs1v15(&prefix, &hashed, &good));
        assert!(slow(&good, &hashed));
        let mut cases: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 1 << (i % 8);
            cases.push((bad, hashed.clone()));
        }
        let mut other_hash = hashed.clone();
        other_hash[31] ^= 0x80;
        cases.push((good.clone(), other_hash));
        cases.push((good[1..].to_vec(), hashed.clone()));
        cases.push((vec![0xff; good.len()], hashed.clone()));
        cases.push((vec![0; good.len()], hashed.clone()));
        for (sig, h) in &cases {
            assert_eq!(fast.verify_pkcs1v15(&prefix, h, sig), slow(sig, h));
        }
        // The wrong DigestInfo (SHA-1's) is refused even with the right hash bytes.
        let sha1_prefix = Pkcs1v15Sign::new::<sha1::Sha1>().prefix;
        assert!(!fast.verify_pkcs1v15(&sha1_prefix, &hashed, &good));
    }
}

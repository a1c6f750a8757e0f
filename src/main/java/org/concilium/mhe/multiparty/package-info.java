/**
 * N-of-N multiparty protocols of Mouchet et al. (PETS 2021), shaped like Lattigo's multiparty
 * package: collective public key generation ({@link org.concilium.mhe.multiparty.CollectivePublicKeyGen}),
 * collective key switching to zero, i.e. collective decryption ({@link
 * org.concilium.mhe.multiparty.CollectiveKeySwitch}), and public-key switching ({@link
 * org.concilium.mhe.multiparty.PublicKeySwitch}). Each has genShare / aggregate / finalize (CKG
 * also sampleCrp) and one immutable, exactly serializable record per message. Key-switch shares
 * come only from a {@link org.concilium.mhe.multiparty.KeySwitchParty}, which releases at most one
 * share per ciphertext. No networking happens here.
 *
 * <p>May depend on {@code mhe.ring}, {@code mhe.rlwe} and {@code mhe.bfv} only.
 */
package org.concilium.mhe.multiparty;

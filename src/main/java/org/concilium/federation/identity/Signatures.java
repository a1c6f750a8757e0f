package org.concilium.federation.identity;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** SHA256withECDSA verification against a pinned certificate; any parsing failure is a failed verification. */
final class Signatures {
    private Signatures() {}

    static boolean verify(X509Certificate cert, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(SiteIdentity.SIGNATURE_ALGORITHM);
            s.initVerify(cert.getPublicKey());
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

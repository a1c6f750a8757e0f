package org.concilium.federation.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding of identity certificates (X.509) and keys (unencrypted PKCS#8, file mode 0600). */
public final class Pem {
    private Pem() {}

    public static String certificate(X509Certificate cert) {
        return write(cert);
    }

    static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "cannot encode private key", e);
        }
    }

    private static String write(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return sw.toString();
    }

    /** Exactly one X.509 certificate. */
    public static X509Certificate parseCertificate(String pem) {
        Object o = readSingle(pem, "certificate");
        if (!(o instanceof X509CertificateHolder h)) {
            throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "PEM does not hold a certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (CertificateException e) {
            throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "unparsable certificate", e);
        }
    }

    static PrivateKey parsePrivateKey(String pem) {
        Object o = readSingle(pem, "private key");
        try {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
            if (o instanceof PEMKeyPair pair) return conv.getPrivateKey(pair.getPrivateKeyInfo());
        } catch (IOException e) {
            throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "unparsable private key", e);
        }
        throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "PEM does not hold an unencrypted private key");
    }

    private static Object readSingle(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "empty " + what + " PEM");
        }
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object first = p.readObject();
            if (first == null) throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "no PEM " + what);
            if (p.readObject() != null) {
                throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "more than one PEM object, expected one " + what);
            }
            return first;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PeerProtocolException pe) throw pe;
            throw new PeerProtocolException(PeerProtocolException.Reason.INVALID_IDENTITY, "malformed " + what + " PEM", e);
        }
    }
}

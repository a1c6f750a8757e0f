package org.concilium.federation.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteIdentityTest {
    @TempDir
    Path dir;

    @Test
    void generatesASelfSignedP256CertificateForLoopbackTls() throws Exception {
        SiteIdentity id = SiteIdentity.generate("site-a", List.of("node-a.example.org"));
        X509Certificate c = id.certificate();
        assertEquals("CN=site-a,O=Concilium", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        c.verify(c.getPublicKey());
        assertEquals(256, ((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        Duration validity = Duration.between(Instant.now(), c.getNotAfter().toInstant());
        assertTrue(validity.toDays() > 3640 && validity.toDays() < 3660, "about ten years");
        Collection<List<?>> sans = c.getSubjectAlternativeNames();
        assertTrue(sans.contains(List.of(2, "localhost")));
        assertTrue(sans.contains(List.of(7, "127.0.0.1")));
        assertTrue(sans.contains(List.of(2, "node-a.example.org")));
        assertTrue(c.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
        assertEquals(-1, c.getBasicConstraints(), "not a CA");
    }

    @Test
    void pemFilesRoundTripAndTheKeyIsOwnerOnly() throws Exception {
        SiteIdentity id = SiteIdentity.generate("site-b");
        id.writeTo(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SiteIdentity.KEY_FILE))));
        assertTrue(Files.readString(dir.resolve(SiteIdentity.KEY_FILE)).startsWith("-----BEGIN PRIVATE KEY-----"));
        SiteIdentity read = SiteIdentity.readFrom(dir);
        assertEquals("site-b", read.siteId());
        assertEquals(id.certificate(), read.certificate());
        assertArrayEquals(id.privateKey(IdentityKeyAccess.grant()).getEncoded(), read.privateKey(IdentityKeyAccess.grant()).getEncoded());
        byte[] data = {1, 2, 3};
        assertTrue(Signatures.verify(id.certificate(), data, read.sign(data)));
        assertEquals(id.certificatePem(), Pem.certificate(Pem.parseCertificate(id.certificatePem())));
        assertThrows(PeerProtocolException.class, () -> id.writeTo(dir), "never overwrites an identity key");
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
        SiteIdentity a = SiteIdentity.generate("site-a");
        SiteIdentity b = SiteIdentity.generate("site-b");
        a.writeTo(dir);
        Files.writeString(dir.resolve(SiteIdentity.CERT_FILE), b.certificatePem());
        PeerProtocolException e = assertThrows(PeerProtocolException.class, () -> SiteIdentity.readFrom(dir));
        assertEquals(PeerProtocolException.Reason.INVALID_IDENTITY, e.reason());
    }

    @Test
    void malformedInputIsRefused() {
        for (String bad : List.of("", "Site-A", "-a", "a_b", "a".repeat(64))) {
            assertThrows(PeerProtocolException.class, () -> SiteIdentity.generate(bad), bad);
        }
        assertThrows(PeerProtocolException.class, () -> Pem.parseCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        assertThrows(PeerProtocolException.class, () -> Pem.parseCertificate("not pem"));
        SiteIdentity id = SiteIdentity.generate("site-a");
        assertThrows(PeerProtocolException.class, () -> Pem.parseCertificate(id.certificatePem() + id.certificatePem()),
                "exactly one certificate");
        assertThrows(PeerProtocolException.class, () -> Pem.parseCertificate(Pem.privateKey(id.privateKey(IdentityKeyAccess.grant()))));
    }
}

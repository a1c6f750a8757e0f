package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.INVALID_IDENTITY;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A node's long-term identity: an ECDSA P-256 key pair and a self-signed X.509 certificate (CN = site id) that
 * other nodes pin through the network descriptor. The certificate doubles as the node's TLS certificate on the
 * peer port (SAN: localhost, 127.0.0.1 and any extra host names).
 *
 * <pre>{@code
 * SiteIdentity id = SiteIdentity.generate("site-a", List.of("node-a.example.org"));
 * id.writeTo(dir);                                   // dir/identity.key (0600), dir/identity.crt
 * SiteIdentity same = SiteIdentity.readFrom(dir);
 * byte[] sig = same.sign(bytes);                     // SHA256withECDSA
 * }</pre>
 */
public final class SiteIdentity {
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3653);
    public static final String KEY_FILE = "identity.key";
    public static final String CERT_FILE = "identity.crt";
    static final Pattern SITE_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private final String siteId;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private SiteIdentity(String siteId, PrivateKey privateKey, X509Certificate certificate) {
        this.siteId = siteId;
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    public static SiteIdentity generate(String siteId) {
        return generate(siteId, List.of());
    }

    public static SiteIdentity generate(String siteId, List<String> extraHosts) {
        return generate(siteId, extraHosts, Clock.systemUTC(), DEFAULT_VALIDITY, new SecureRandom());
    }

    public static SiteIdentity generate(String siteId, List<String> extraHosts, Clock clock, Duration validity,
            SecureRandom random) {
        requireSiteId(siteId);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = g.generateKeyPair();
            return new SiteIdentity(siteId, kp.getPrivate(), selfSign(siteId, kp, extraHosts, clock, validity, random));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("identity generation failed", e);
        }
    }

    private static X509Certificate selfSign(String siteId, KeyPair kp, List<String> extraHosts, Clock clock,
            Duration validity, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        // BC keeps RDN order as written; RFC 2253 prints the last RDN first, giving "CN=site,O=Concilium"
        X500Name subject = new X500Name("O=Concilium,CN=" + siteId);
        Instant now = clock.instant();
        // one hour back-dating tolerates clock skew between nodes
        Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
        Date notAfter = Date.from(now.plus(validity));
        BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial, notBefore, notAfter, subject, kp.getPublic());
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        for (String h : extraHosts) {
            boolean ip = h.matches("[0-9.]+") || h.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        var signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setSecureRandom(random).build(kp.getPrivate());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
        cert.verify(kp.getPublic());
        return cert;
    }

    /** Reads {@code dir/identity.key} and {@code dir/identity.crt}; the key must match the certificate. */
    public static SiteIdentity readFrom(Path dir) {
        return read(dir.resolve(KEY_FILE), dir.resolve(CERT_FILE));
    }

    public static SiteIdentity read(Path keyFile, Path certFile) {
        try {
            X509Certificate cert = Pem.parseCertificate(Files.readString(certFile, StandardCharsets.US_ASCII));
            PrivateKey key = Pem.parsePrivateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
            return fromParts(key, cert);
        } catch (IOException e) {
            throw new PeerProtocolException(INVALID_IDENTITY, "cannot read identity files", e);
        }
    }

    /** Builds an identity from a key and its certificate, checking that they belong together. */
    public static SiteIdentity fromParts(PrivateKey key, X509Certificate cert) {
        String siteId = commonName(cert);
        requireSiteId(siteId);
        if (!(cert.getPublicKey() instanceof ECPublicKey)) throw new PeerProtocolException(INVALID_IDENTITY, "certificate key is not EC");
        SiteIdentity id = new SiteIdentity(siteId, key, cert);
        byte[] probe = "concilium identity key check".getBytes(StandardCharsets.US_ASCII);
        if (!Signatures.verify(cert, probe, id.sign(probe))) {
            throw new PeerProtocolException(INVALID_IDENTITY, "private key does not match the certificate of " + siteId);
        }
        return id;
    }

    /** Writes the key (owner read/write only) and the certificate; refuses to overwrite an existing key. */
    public void writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keyFile = dir.resolve(KEY_FILE);
            if (Files.exists(keyFile)) throw new FileAlreadyExistsException(keyFile.toString());
            Secrets.writeOwnerOnly(keyFile, Pem.privateKey(privateKey).getBytes(StandardCharsets.US_ASCII));
            Files.writeString(dir.resolve(CERT_FILE), certificatePem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PeerProtocolException(INVALID_IDENTITY, "cannot write identity files: " + e.getMessage(), e);
        }
    }

    public String siteId() {
        return siteId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    /** The raw private key, for TLS key stores only. */
    public PrivateKey privateKey(IdentityKeyAccess access) {
        Objects.requireNonNull(access, "access");
        return privateKey;
    }

    /** SHA256withECDSA signature (DER) over {@code data}. */
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(SIGNATURE_ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    static String commonName(X509Certificate cert) {
        String dn = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
        for (String part : dn.split(",")) {
            if (part.startsWith("CN=")) return part.substring(3);
        }
        throw new PeerProtocolException(INVALID_IDENTITY, "certificate has no CN");
    }

    static void requireSiteId(String siteId) {
        if (siteId == null || !SITE_ID.matcher(siteId).matches()) {
            throw new PeerProtocolException(INVALID_IDENTITY,
                    "site id must be 1-63 lowercase letters, digits or inner hyphens: " + siteId);
        }
    }

    /** Descriptor entry for this node (the operator fills in the URLs). */
    public NetworkDescriptor.Site descriptorEntry(String displayName, String fhirBase, String networkBase, String peerUrl) {
        return new NetworkDescriptor.Site(siteId, displayName, fhirBase, networkBase, peerUrl, certificatePem());
    }
}

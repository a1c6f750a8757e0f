package org.concilium.federation.identity;

import static org.concilium.federation.identity.PeerProtocolException.Reason.INVALID_DESCRIPTOR;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.concilium.privacy.NetworkPrivacyPolicy;

/**
 * Network membership: id, key epoch, the privacy policy every site enforces and, per site, its URLs and pinned
 * identity certificate. Validated whenever it
 * is built or read: unique site ids and certificates, absolute http(s) URLs, certificates that parse and whose CN
 * is the site id.
 *
 * <pre>{@code
 * NetworkDescriptor d = NetworkDescriptor.read(Path.of("descriptor.json"));
 * X509Certificate pinned = d.certificate("site-b");
 * d.withEpoch(d.keyEpoch() + 1).write(path);   // key rotation
 * }</pre>
 */
public record NetworkDescriptor(
        @JsonProperty("networkId") String networkId,
        @JsonProperty("keyEpoch") long keyEpoch,
        @JsonProperty("sites") List<Site> sites,
        @JsonProperty("privacy") NetworkPrivacyPolicy privacy) {

    static final Pattern NETWORK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** One member site. {@code certificate} is the PEM of its {@link SiteIdentity} certificate. */
    public record Site(
            @JsonProperty("id") String id,
            @JsonProperty("displayName") String displayName,
            @JsonProperty("fhirBase") String fhirBase,
            @JsonProperty("networkBase") String networkBase,
            @JsonProperty("peerUrl") String peerUrl,
            @JsonProperty("certificate") String certificate) {

        public Site {
            try {
                SiteIdentity.requireSiteId(id);
            } catch (PeerProtocolException e) {
                throw new PeerProtocolException(INVALID_DESCRIPTOR, e.getMessage());
            }
            if (displayName == null || displayName.isBlank()) throw bad("site " + id + ": displayName required");
            url(id, "fhirBase", fhirBase);
            url(id, "networkBase", networkBase);
            url(id, "peerUrl", peerUrl);
            X509Certificate cert;
            try {
                cert = Pem.parseCertificate(certificate);
            } catch (PeerProtocolException e) {
                throw new PeerProtocolException(INVALID_DESCRIPTOR, "site " + id + ": " + e.getMessage(), e);
            }
            String cn = SiteIdentity.commonName(cert);
            if (!id.equals(cn)) throw bad("site " + id + ": certificate is for CN=" + cn);
        }

        public X509Certificate parsedCertificate() {
            return Pem.parseCertificate(certificate);
        }
    }

    public NetworkDescriptor {
        if (networkId == null || !NETWORK_ID.matcher(networkId).matches()) throw bad("invalid networkId: " + networkId);
        if (keyEpoch < 0) throw bad("keyEpoch must be >= 0");
        if (sites == null || sites.isEmpty()) throw bad("at least one site required");
        sites = List.copyOf(sites);
        if (privacy == null) throw bad("privacy policy required");
        Set<String> ids = new HashSet<>();
        Set<String> certs = new HashSet<>();
        Set<String> peers = new HashSet<>();
        for (Site s : sites) {
            if (s == null) throw bad("null site entry");
            if (!ids.add(s.id())) throw bad("duplicate site id " + s.id());
            if (!certs.add(java.util.Base64.getEncoder().encodeToString(s.parsedCertificate().getPublicKey().getEncoded()))) throw bad("site " + s.id() + " reuses another site's key");
            if (!peers.add(s.peerUrl())) throw bad("site " + s.id() + " reuses another site's peerUrl");
        }
    }

    /** A descriptor with the default privacy policy (suppression only, k = 11). */
    public NetworkDescriptor(String networkId, long keyEpoch, List<Site> sites) {
        this(networkId, keyEpoch, sites, NetworkPrivacyPolicy.DEFAULT);
    }

    public Optional<Site> site(String id) {
        return sites.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The pinned certificate of a member; {@code UNKNOWN_SENDER} if the site is not a member. */
    public X509Certificate certificate(String siteId) {
        return site(siteId).orElseThrow(() -> new PeerProtocolException(PeerProtocolException.Reason.UNKNOWN_SENDER,
                "site " + siteId + " is not in network " + networkId)).parsedCertificate();
    }

    public List<String> siteIds() {
        return sites.stream().map(Site::id).toList();
    }

    public NetworkDescriptor withEpoch(long epoch) {
        return new NetworkDescriptor(networkId, epoch, sites, privacy);
    }

    /** The same network under another privacy policy (every site must be given the same one). */
    public NetworkDescriptor withPrivacy(NetworkPrivacyPolicy policy) {
        return new NetworkDescriptor(networkId, keyEpoch, sites, policy);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("descriptor serialisation failed", e);
        }
    }

    public static NetworkDescriptor fromJson(String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree instanceof ObjectNode o && !o.has("privacy")) {
                // descriptors written before the policy existed mean the default policy
                o.set("privacy", JSON.valueToTree(NetworkPrivacyPolicy.DEFAULT));
            }
            NetworkDescriptor d = tree == null || tree.isMissingNode() ? null : JSON.treeToValue(tree, NetworkDescriptor.class);
            if (d == null) throw bad("empty descriptor");
            return d;
        } catch (PeerProtocolException e) {
            throw e;
        } catch (IOException e) {
            Throwable c = e.getCause();
            if (c instanceof PeerProtocolException pe) throw pe;
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new PeerProtocolException(INVALID_DESCRIPTOR, "malformed descriptor JSON: " + why, e);
        }
    }

    public static NetworkDescriptor read(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PeerProtocolException(INVALID_DESCRIPTOR, "cannot read " + file, e);
        }
    }

    public void write(Path file) {
        try {
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PeerProtocolException(INVALID_DESCRIPTOR, "cannot write " + file, e);
        }
    }

    private static void url(String site, String field, String value) {
        try {
            URI u = new URI(value == null ? "" : value);
            if (!u.isAbsolute() || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw bad("site " + site + ": " + field + " must be an absolute http(s) URL: " + value);
            }
        } catch (URISyntaxException e) {
            throw bad("site " + site + ": " + field + " is not a URL: " + value);
        }
    }

    private static PeerProtocolException bad(String message) {
        return new PeerProtocolException(INVALID_DESCRIPTOR, message);
    }
}

package org.concilium.federation.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkDescriptorTest {
    private static final Fixtures NET = Fixtures.network("demo-net", 3, "site-a", "site-b", "site-c");

    private static PeerProtocolException.Reason reasonOf(Runnable r) {
        return assertThrows(PeerProtocolException.class, r::run).reason();
    }

    @Test
    void jsonRoundTrip(@TempDir Path dir) {
        NetworkDescriptor d = NET.descriptor();
        assertEquals(d, NetworkDescriptor.fromJson(d.toJson()));
        d.write(dir.resolve("descriptor.json"));
        NetworkDescriptor read = NetworkDescriptor.read(dir.resolve("descriptor.json"));
        assertEquals(d, read);
        assertEquals(List.of("site-a", "site-b", "site-c"), read.siteIds());
        assertEquals(NET.identity("site-b").certificate(), read.certificate("site-b"));
        assertTrue(d.toJson().contains("\"keyEpoch\" : 3"));
    }

    @Test
    void thePrivacyPolicyTravelsInTheDescriptorAndAnOldDescriptorMeansTheDefault() {
        var policy = new org.concilium.privacy.NetworkPrivacyPolicy(5, 1.0, 1e-6, 10);
        NetworkDescriptor d = NET.descriptor().withPrivacy(policy);
        assertEquals(policy, NetworkDescriptor.fromJson(d.toJson()).privacy());
        assertEquals(policy, NetworkDescriptor.fromJson(d.toJson()).withEpoch(4).privacy());
        String old = NET.descriptor().toJson().replaceAll(",\\s*\"privacy\"\\s*:\\s*\\{[^}]*\\}", "");
        assertTrue(!old.contains("privacy"));
        assertEquals(org.concilium.privacy.NetworkPrivacyPolicy.DEFAULT, NetworkDescriptor.fromJson(old).privacy());
        String unsafe = d.toJson().replace("\"delta\" : 1.0E-6", "\"delta\" : 0.5");
        assertEquals(PeerProtocolException.Reason.INVALID_DESCRIPTOR, reasonOf(() -> NetworkDescriptor.fromJson(unsafe)));
    }

    @Test
    void duplicateSitesAndSharedKeysAreRejected() {
        List<NetworkDescriptor.Site> sites = new ArrayList<>(NET.descriptor().sites());
        sites.add(sites.get(0));
        assertEquals(PeerProtocolException.Reason.INVALID_DESCRIPTOR, reasonOf(() -> new NetworkDescriptor("n", 0, sites)));
        String json = NET.descriptor().toJson().replace("\"id\" : \"site-c\"", "\"id\" : \"site-a\"");
        assertEquals(PeerProtocolException.Reason.INVALID_DESCRIPTOR, reasonOf(() -> NetworkDescriptor.fromJson(json)));
    }

    @Test
    void certificatesMustParseAndNameTheirSite() {
        NetworkDescriptor.Site a = NET.descriptor().sites().get(0);
        assertEquals(PeerProtocolException.Reason.INVALID_DESCRIPTOR, reasonOf(() -> new NetworkDescriptor.Site(a.id(),
                a.displayName(), a.fhirBase(), a.networkBase(), a.peerUrl(), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")));
        String other = NET.identity("site-b").certificatePem();
        assertEquals(PeerProtocolException.Reason.INVALID_DESCRIPTOR, reasonOf(() -> new NetworkDescriptor.Site(a.id(),
                a.displayName(), a.fhirBase(), a.networkBase(), a.peerUrl(), other)), "CN=site-b cannot be site-a");
        String tampered = NET.descriptor().toJson().replaceFirst("MII", "MIJ");
        assertEquals(PeerProtocolException.Reason.INVALID_DESCRIPTOR, reasonOf(() -> NetworkDescriptor.fromJson(tampered)));
    }

    @Test
    void malformedDocumentsAreRejected() {
        String json = NET.descriptor().toJson();
        for (String bad : List.of("", "{", "[]", "null", json.replace("\"networkId\"", "\"networkID\""),
                json.replace("\"keyEpoch\" : 3", "\"keyEpoch\" : -1"), json.replace("\"keyEpoch\" : 3,", ""),
                json.replace("http://127.0.0.1:8443/fhir", "ftp://x/fhir"), json.replace("http://127.0.0.1:8443/fhir", "not a url"),
                "{\"networkId\":\"n\",\"keyEpoch\":0,\"sites\":[]}", json.replace("\"demo-net\"", "\"a b\""))) {
            assertEquals(PeerProtocolException.Reason.INVALID_DESCRIPTOR, reasonOf(() -> NetworkDescriptor.fromJson(bad)), bad);
        }
    }

    @Test
    void unknownSiteIsUnknownSender() {
        assertEquals(PeerProtocolException.Reason.UNKNOWN_SENDER, reasonOf(() -> NET.descriptor().certificate("site-z")));
    }
}

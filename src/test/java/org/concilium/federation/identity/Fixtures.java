package org.concilium.federation.identity;

import java.util.ArrayList;
import java.util.List;

/** A small network: identities and the descriptor that pins them. */
record Fixtures(List<SiteIdentity> identities, NetworkDescriptor descriptor) {
    static Fixtures network(String networkId, long epoch, String... siteIds) {
        List<SiteIdentity> ids = new ArrayList<>();
        List<NetworkDescriptor.Site> sites = new ArrayList<>();
        int port = 8443;
        for (String s : siteIds) {
            SiteIdentity id = SiteIdentity.generate(s);
            ids.add(id);
            sites.add(id.descriptorEntry("Hospital " + s, "http://127.0.0.1:" + port + "/fhir",
                    "http://127.0.0.1:" + port + "/network/fhir", "https://127.0.0.1:" + (port + 1) + "/peer"));
            port += 10;
        }
        return new Fixtures(ids, new NetworkDescriptor(networkId, epoch, sites));
    }

    SiteIdentity identity(String siteId) {
        return identities.stream().filter(i -> i.siteId().equals(siteId)).findFirst().orElseThrow();
    }
}

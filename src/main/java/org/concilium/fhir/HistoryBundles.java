package org.concilium.fhir;

import java.util.Date;
import java.util.List;
import org.concilium.store.FhirJson;
import org.concilium.store.SearchPage;
import org.concilium.store.StoredResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** History Bundles: every version of one resource, or a page of a type's or the system's; newest first, deletions included. */
final class HistoryBundles {

    private HistoryBundles() {
    }

    static Bundle of(String base, List<StoredResource> versions) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY).setTotal(versions.size());
        addEntries(bundle, base, versions);
        return bundle;
    }

    /** One page of type- or system-level history; {@code self}/{@code next} are the links' full URLs. */
    static Bundle page(String base, SearchPage page, String self, String next) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
        if (page.total() != null) {
            bundle.setTotal(page.total().intValue());
        }
        bundle.addLink().setRelation("self").setUrl(self);
        if (next != null) {
            bundle.addLink().setRelation("next").setUrl(next);
        }
        addEntries(bundle, base, page.matches());
        return bundle;
    }

    private static void addEntries(Bundle bundle, String base, List<StoredResource> versions) {
        for (StoredResource s : versions) {
            Bundle.BundleEntryComponent e = bundle.addEntry().setFullUrl(base + "/" + s.type() + "/" + s.id());
            boolean first = s.version() == 1;
            e.getRequest().setMethod(s.deleted() ? Bundle.HTTPVerb.DELETE : first ? Bundle.HTTPVerb.POST
                    : Bundle.HTTPVerb.PUT).setUrl(first && !s.deleted() ? s.type() : s.type() + "/" + s.id());
            e.getResponse().setStatus(s.deleted() ? "204 No Content" : first ? "201 Created" : "200 OK")
                    .setEtag("W/\"" + s.version() + "\"").setLastModified(Date.from(s.lastUpdated()));
            if (!s.deleted()) {
                e.setResource(FhirJson.parse(Resource.class, s.json()));
            }
        }
    }
}

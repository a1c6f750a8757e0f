package org.concilium.fhir;

import java.util.Date;
import java.util.List;
import org.concilium.store.FhirJson;
import org.concilium.store.StoredResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** The history Bundle of one resource: every version, newest first, deletions included. */
final class HistoryBundles {

    private HistoryBundles() {
    }

    static Bundle of(String base, List<StoredResource> versions) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY).setTotal(versions.size());
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
        return bundle;
    }
}

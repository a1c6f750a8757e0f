package org.concilium.node;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.concilium.measure.MeasureService;
import org.concilium.measure.deqm.DeqmService;
import org.concilium.measure.deqm.DeqmSettings;
import org.concilium.store.ResourceStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The node's one measure engine: over its resource store, its reports naming this site as reporter. */
@Singleton
public class MeasureEngineProducer {

    @Produces
    @Singleton
    MeasureService measureService(ResourceStore store, @ConfigProperty(name = "concilium.site.id") String siteId) {
        return new MeasureService(store, "Organization/" + siteId);
    }

    /** The DEQM operations; reporter and author default to this site's Organization (docs/deqm.md). */
    @Produces
    @Singleton
    DeqmService deqmService(MeasureService measures,
            @ConfigProperty(name = "concilium.deqm.care-gaps.reporter") String reporter,
            @ConfigProperty(name = "concilium.deqm.care-gaps.author") String author,
            @ConfigProperty(name = "concilium.site.name") String siteName) {
        return new DeqmService(measures, new DeqmSettings(reporter, author, siteName));
    }
}

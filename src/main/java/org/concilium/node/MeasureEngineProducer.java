package org.concilium.node;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.concilium.measure.MeasureService;
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
}

/**
 * The Da Vinci DEQM operations ({@code $data-requirements}, {@code $care-gaps},
 * {@code $collect-data}) run by cqf-fhir-cr 4.2.0's own services over this site's store.
 *
 * <p>{@link org.concilium.measure.deqm.StoreRepository} is the one adapter: a read-only HAPI
 * {@code IRepository} over the store's {@link org.concilium.measure.ClinicalData}, so the stock
 * services need nothing else. {@link org.concilium.measure.deqm.DeqmService} is the entry point
 * (off the event loop; cqf-fhir-cr's exceptions become 400 / 404 / 422).
 *
 * <p>May depend on {@code measure} (the store as ClinicalData), HAPI, cqf-fhir-cr and Mutiny;
 * never on CDI, configuration or HTTP: the node builds it in {@code node/MeasureEngineProducer}.
 */
package org.concilium.measure.deqm;

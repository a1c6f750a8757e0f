/**
 * Local Measure evaluation: a FHIR R4 Measure and this site's data in, a MeasureReport out.
 *
 * <p>Entry points: {@link org.concilium.measure.MeasureModel} (the one model of a Measure, cached
 * per version; the only reader of a Measure's groups), {@link org.concilium.measure.MeasureScore}
 * (the one scoring, local and network), {@link org.concilium.measure.EvaluateMeasureCommand} (parsed operation
 * parameters), {@link org.concilium.measure.MeasureEvaluator} (the service),
 * {@link org.concilium.measure.ClinicalData} (what the store implements) and
 * {@link org.concilium.measure.MeasureEvaluationException} (400 / 404 / 422 with the FHIRPath of
 * the offending element). No HTTP and no Quarkus here; see {@code docs/measure-engine.md}.
 *
 * <p>May depend on {@code store} (the data it reads), HAPI, cqf-fhir-cr and Mutiny; never on CDI
 * or configuration (ArchitectureTest): the node builds it in {@code node/MeasureEngineProducer}.
 */
package org.concilium.measure;

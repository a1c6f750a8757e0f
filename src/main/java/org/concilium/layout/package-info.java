/**
 * {@link org.concilium.layout.MeasureLayout}: a Measure's model as a list of integer slots, and a
 * MeasureReport ⇄ integer vector both ways ({@link org.concilium.layout.ReportEncoder} /
 * {@link org.concilium.layout.ReportDecoder}), with the network's half of scoring (observation
 * aggregates from fixed-point sums). The only place that knows both FHIR reports and vectors; rules
 * in {@code docs/layout.md}.
 *
 * <p>May depend on {@code measure} for the one Measure model ({@code MeasureModel}, from which the
 * layout is derived), the one scoring ({@code MeasureScore}) and {@code StratumValue}, on HAPI's FHIR
 * model except the FHIR {@code Measure} itself (ArchitectureTest), and the JDK; no CDI.
 */
package org.concilium.layout;

/**
 * {@link org.concilium.layout.MeasureLayout}: a Measure as a list of integer slots, and a
 * MeasureReport ⇄ integer vector both ways ({@link org.concilium.layout.ReportEncoder} /
 * {@link org.concilium.layout.ReportDecoder}), with the scoring of decoded network reports. The
 * only place that knows both FHIR reports and vectors; rules in {@code docs/layout.md}.
 *
 * <p>May depend on HAPI's FHIR model and the JDK; no other package of ours, no CDI.
 */
package org.concilium.layout;

/**
 * The conformance sweep: every test case a measure package ships (ecqm-content layout, bundles
 * with MeasureReports, or an expectations table) evaluated by our engine and compared with the
 * expected report, population by population. {@code bin/concilium conformance DIR} prints the
 * table; see {@code docs/conformance.md}.
 *
 * <p>May depend on {@link org.concilium.measure} and HAPI only: plain Java, no HTTP, no CDI, no store.
 */
package org.concilium.measure.conformance;

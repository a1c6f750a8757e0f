/**
 * The demo's material: deterministic synthetic hospital populations ({@link
 * org.concilium.demo.SyntheticPopulation}), the sample Measures shipped in {@code demo/measures/},
 * and the terminal table of a network report. Used by {@code bin/concilium demo} and benchmarks.
 *
 * <p>May depend on {@code layout} and {@code store} (FHIR JSON). Used only by {@code cli/} (and
 * tests): no production package depends on it (ArchitectureTest).
 */
package org.concilium.demo;

package org.concilium.measure.conformance;

/** One population (or the score, or an evaluation error) where our report differs from the package's. */
public record Disagreement(String caseName, String population, String expected, String actual, String source) {}

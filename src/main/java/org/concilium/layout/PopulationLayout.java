package org.concilium.layout;

/**
 * A group population in a layout. {@code key} is the population code (e.g. {@code numerator}), or
 * {@code code:id} when the group has two populations with the same code.
 */
public record PopulationLayout(String key, String code, String id) {}

/**
 * The running node's wiring of framework-free code: CDI producers that build the plain engines
 * ({@code measure/}) from configuration and the store, so those packages stay free of CDI and
 * configuration and can be used by tests and benchmarks as ordinary objects.
 *
 * <p>May depend on {@code measure}, {@code store} and the JDK / Quarkus CDI; only injection
 * points (in {@code fhir}, {@code federation}) use what it produces, never its classes.
 */
package org.concilium.node;

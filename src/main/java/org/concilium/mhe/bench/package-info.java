/**
 * Benchmarks printed as JSON ({@code bin/concilium bench crypto}); not used by the library.
 * May depend on every {@code mhe} layer; used only by {@code cli/}.
 */
package org.concilium.mhe.bench;

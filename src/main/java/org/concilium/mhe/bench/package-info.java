/** Benchmarks printed as JSON ({@code bin/concilium bench crypto}); not used by the library. */
package org.concilium.mhe.bench;

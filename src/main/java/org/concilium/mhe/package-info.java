/**
 * Pure-Java RLWE multiparty homomorphic encryption, layered like Lattigo: {@code ring} →
 * {@code rlwe} → {@code bfv} → {@code multiparty}; {@code bench} measures them. No Quarkus, no FHIR,
 * no I/O (docs/crypto.md).
 *
 * <p>May depend on the JDK and Bouncy Castle only; each layer only on the layers below it
 * (MheArchitectureTest).
 */
package org.concilium.mhe;

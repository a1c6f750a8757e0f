/**
 * Network membership as the node sees it: configuration ({@link org.concilium.federation.NetworkConfig}),
 * who this node is ({@link org.concilium.federation.NetworkContext}), readiness, the
 * query states, the failures a network query ends with, and the query aggregate every role
 * shares, as Hibernate Reactive entities with one Panache repository each: the query with its
 * state machine and this site's contribution ({@link org.concilium.federation.NetworkQueryRepository}),
 * the key-switch shares ({@link org.concilium.federation.KeySwitchShareRepository}) and the peer
 * replay log ({@link org.concilium.federation.PeerReplayLog}). Subpackages: {@code identity}
 * (keys, certificates, signed envelopes), {@code keys} (key ceremony), {@code peer} (the mutual-TLS
 * channel), {@code query} (the query protocol).
 *
 * <p>May depend on {@code mhe}, {@code layout}, {@code privacy} (the ledger the admission debits),
 * {@code measure}, {@code store} and
 * {@code federation.identity}; never on {@code keys}, {@code peer} or {@code query}, which depend on
 * it: readiness collects the {@link org.concilium.federation.ReadinessCondition}s they provide
 * (ArchitectureTest#noPackageCyclesAnywhere).
 */
package org.concilium.federation;

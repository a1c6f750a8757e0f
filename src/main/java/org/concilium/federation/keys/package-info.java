/**
 * The network's collective key: this site's sealed secret share and CKG share per epoch
 * ({@link org.concilium.federation.keys.CollectiveKeys}; persisted as {@code KeyEpoch} through
 * {@link org.concilium.federation.keys.KeyEpochRepository}, Hibernate Reactive with Panache), and the key ceremony over the peer channel
 * ({@link org.concilium.federation.keys.KeyCeremony}): signed commitments to every member's CKG
 * share first, then the shares, then a transcript every site verifies before it accepts the key.
 * The ceremony messages ({@code CommitmentSet}, {@code ShareReveal}, {@code CeremonyTranscript})
 * have exact binary encodings that refuse malformed input.
 * <p>
 * May depend on {@code federation} (context, the query and share repositories), {@code store} (transactions), {@code federation.identity},
 * {@code federation.peer} and {@code mhe}; nothing of the query protocol.
 */
package org.concilium.federation.keys;

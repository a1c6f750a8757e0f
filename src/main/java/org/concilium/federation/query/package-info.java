/**
 * The network query protocol (docs/network-protocol.md), hardened against a deviating member: the
 * entry node's side ({@link org.concilium.federation.query.NetworkQueryService}: commitments,
 * reveals, sum, key switch, decrypt, release), each site's side
 * ({@link org.concilium.federation.query.SiteParticipant}: check the request against the network's
 * privacy policy, evaluate, encode, add noise, encrypt, commit; reveal only against every member's
 * commitment; check every contribution against its commitment, the sum and the one-share-per-c1
 * guard before releasing one share), the attacks it names ({@code Attack}), the policy agreement,
 * catalog publication, the stalled-query sweep and the crash points of the crash tests. The entry
 * node's released reports ({@code NetworkReport}) and the asynchronous queries' status
 * ({@code AsyncJob}) live here, each with its Panache repository.
 *
 * <p>May depend on {@code measure} (through {@code MeasureService} and the {@code PackageCheck} it returns), {@code layout}, {@code privacy},
 * {@code mhe}, {@code store}, {@code federation}, {@code federation.identity}, {@code federation.keys}
 * and {@code federation.peer}.
 */
package org.concilium.federation.query;

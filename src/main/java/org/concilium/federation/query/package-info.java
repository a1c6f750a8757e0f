/**
 * The network query protocol (docs/network-protocol.md): the entry node's side ({@link
 * org.concilium.federation.query.NetworkQueryService}: ask, sum, verify, key-switch, decrypt,
 * release), each site's side ({@link org.concilium.federation.query.SiteParticipant}: evaluate,
 * encode, encrypt, sign, check the sum before releasing one share), catalog publication, the
 * stalled-query sweep and the crash points of the crash tests.
 *
 * <p>May depend on {@code measure} (through {@code MeasureService}), {@code layout}, {@code privacy},
 * {@code mhe}, {@code store}, {@code federation}, {@code federation.identity}, {@code federation.keys}
 * and {@code federation.peer}.
 */
package org.concilium.federation.query;

/**
 * The collective key: this site's sealed secret-key share per epoch ({@link
 * org.concilium.federation.keys.CollectiveKeys}) and the key ceremony (CKG over the peer channel,
 * {@link org.concilium.federation.keys.KeyCeremony}) that runs at start-up until every site holds
 * the same collective public key.
 *
 * <p>May depend on {@code mhe.multiparty} / {@code mhe.rlwe}, {@code federation.identity} and
 * {@code federation} (context, store); today also on {@code federation.peer} (a known cycle).
 */
package org.concilium.federation.keys;

/**
 * What the site page of the dashboard shows about the other sites: each peer probed now over the
 * peer channel with the read-only rounds that exist for readiness ({@code KEY_HASH},
 * {@code POLICY_HASH}) — reachable or not, the same key epoch, collective key and privacy policy or
 * not, when it last answered ({@link org.concilium.federation.status.PeerStatusBoard}). It adds no
 * peer round and changes no protocol state.
 *
 * <p>May depend on {@code federation} (context), {@code federation.peer} (the client) and
 * {@code federation.keys} (this site's key hash); nothing depends on it but {@code fhir}.
 */
package org.concilium.federation.status;

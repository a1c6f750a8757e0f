/**
 * A site's long-term identity and what proves a peer message came from it: ECDSA P-256 key and
 * self-signed certificate ({@link org.concilium.federation.identity.SiteIdentity}), the network
 * descriptor with pinned certificates, signed envelopes with their exact binary encoding
 * ({@code docs/peer-envelope.md}), replay protection, TLS stores, files holding secrets.
 *
 * <p>May depend on the JDK and Bouncy Castle only (plus Jackson for the descriptor), and on
 * {@code privacy} for one value: the network's privacy policy the descriptor carries
 * ({@code NetworkPrivacyPolicy}, validated there). No other package of ours.
 */
package org.concilium.federation.identity;

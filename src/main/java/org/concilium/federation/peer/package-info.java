/**
 * The node-to-node channel: {@code POST /peer/<round>} on its own port with mutual TLS pinned to
 * the descriptor's certificates ({@link org.concilium.federation.peer.PeerServer}), the client that
 * sends signed requests and checks signed responses, and the dispatcher that routes each verified
 * request to its {@link org.concilium.federation.peer.PeerHandler}.
 *
 * <p>One of the two places allowed to use Vert.x HTTP (with {@code fhir/}). May depend on
 * {@code federation.identity} and {@code federation}; today also on {@code keys} and {@code query}
 * (the handlers), a known cycle.
 */
package org.concilium.federation.peer;

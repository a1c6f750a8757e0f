/**
 * The node-to-node channel: {@code POST /peer/<round>} on its own port with mutual TLS pinned to
 * the descriptor's certificates ({@link org.concilium.federation.peer.PeerServer}), the client that
 * sends signed requests and checks signed responses, and the dispatcher that routes each verified
 * request to the {@link org.concilium.federation.peer.PeerHandler} the protocols registered for its
 * round. A refusal crosses sites as a category and a correlation id only ({@code PeerError}).
 *
 * <p>One of the two places allowed to use Vert.x HTTP (with {@code fhir/}). May depend on
 * {@code federation.identity} and {@code federation}; knows no protocol ({@code keys} and
 * {@code query} register their handlers with the dispatcher).
 */
package org.concilium.federation.peer;

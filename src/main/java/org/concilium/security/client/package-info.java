/**
 * The client side of SMART Backend Services, for everything of ours that talks to a node ({@code load},
 * the demo, the benches, tests): a client's key pair ({@link org.concilium.security.client.ClientKey}) and
 * an access-token source that signs assertions and caches the token it gets
 * ({@link org.concilium.security.client.AccessTokenSource}). May depend on java.net.http, Nimbus JOSE and
 * {@code security} (scopes); no server code.
 */
package org.concilium.security.client;

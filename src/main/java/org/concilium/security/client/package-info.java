/**
 * The client side of SMART Backend Services, for everything of ours that talks to a node ({@code load},
 * the demo, the benches, tests): a client's key pair ({@link org.concilium.security.client.ClientKey}) and
 * an access-token source that signs assertions and caches the token it gets
 * ({@link org.concilium.security.client.AccessTokenSource}). Plain java.net.http and Nimbus; no server code.
 *
 * <p>May depend on the JDK and Nimbus JOSE+JWT only; used by {@code cli/} and tests.
 */
package org.concilium.security.client;

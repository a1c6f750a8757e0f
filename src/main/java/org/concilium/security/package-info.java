/**
 * Access control of a node: SMART App Launch 2.x Backend Services.
 *
 * <p>Clients (an EHR's integration engine, a quality team's tool) are registered in the node's
 * database with their public keys and the scopes they may hold ({@link org.concilium.security.ClientStore},
 * {@link org.concilium.security.ClientRegistry}). A client proves who it is with a signed JWT
 * ({@link org.concilium.security.ClientAssertionVerifier}, RS384/ES384 only, jti never reused) and gets a short-lived
 * access token ({@link org.concilium.security.TokenService}, {@link org.concilium.security.AccessTokens}) whose
 * scopes ({@link org.concilium.security.ScopeSet}) map onto FHIR interactions. Every access is written as an
 * AuditEvent ({@link org.concilium.security.AuditTrail}).
 *
 * <p>Depends on store/ (the database) and Nimbus JOSE+JWT (every signature is theirs); knows no HTTP
 * framework: the REST boundary in fhir/ calls in here. The client side (getting a token as a
 * registered client) is in {@code security.client}. Decisions are written down in {@code docs/security.md}.
 */
package org.concilium.security;

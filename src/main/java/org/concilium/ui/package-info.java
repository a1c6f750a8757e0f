/**
 * The dashboard's server side: people who sign in at {@code /ui} ({@link org.concilium.ui.UiUserStore},
 * hashed with {@link org.concilium.ui.PasswordHash}), their roles' scopes ({@link org.concilium.ui.UiRole})
 * and server-side sessions ({@link org.concilium.ui.UiSessions}, signed in at {@code fhir/ui}) that {@code fhir/BearerAuthentication}
 * accepts as a credential. The pages themselves are static files under
 * {@code META-INF/resources/ui}; they call the same /fhir and /network/fhir APIs as any client.
 *
 * <p>May depend on {@code org.concilium.security} (scopes, callers) and the reactive SQL client; no HTTP here (ArchitectureTest). {@code fhir} and {@code cli}
 * depend on it, nothing else.
 */
package org.concilium.ui;

/**
 * The dashboard's HTTP surface besides its static files: {@code /ui/api/session} (sign in, who am
 * I, sign out) and the session cookie. Sessions, users and roles live in {@code org.concilium.ui};
 * {@code fhir/BearerAuthentication} accepts a session as the credential of /fhir and /network/fhir.
 *
 * <p>May depend on {@code org.concilium.ui} and {@code org.concilium.security}.
 */
package org.concilium.fhir.ui;

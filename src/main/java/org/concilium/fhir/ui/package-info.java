/**
 * The dashboard's HTTP surface besides its static files: {@code /ui/api/session} (sign in, who am
 * I, sign out) and the session cookie. Sessions, users and roles live in {@code org.concilium.ui};
 * {@code fhir/BearerAuthentication} accepts a session as the credential of /fhir and /network/fhir.
 *
 * {@code /ui/api/peers} shows each peer's status ({@code federation.status}) on the site page.
 *
 * <p>May depend on {@code org.concilium.ui}, {@code org.concilium.security}, {@code fhir}'s request caller
 * and {@code federation.status}.
 */
package org.concilium.fhir.ui;

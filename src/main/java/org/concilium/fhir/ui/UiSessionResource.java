package org.concilium.fhir.ui;

import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Optional;
import org.concilium.fhir.FhirException;
import org.concilium.security.AuditRecord;
import org.concilium.security.AuditTrail;
import org.concilium.security.NotAuthenticatedException;
import org.concilium.ui.PasswordHash;
import org.concilium.ui.SignInThrottle;
import org.concilium.ui.UiSession;
import org.concilium.ui.UiSessions;
import org.concilium.ui.UiUser;
import org.concilium.ui.UiUserStore;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * {@code /ui/api/session}: sign in (POST name + password as a form), who am I (GET), sign out
 * (DELETE). Every call needs the {@value UiSessions#HEADER} header, like every cookie-authenticated
 * API call, so a cross-site form can neither sign a browser in nor out. Repeated failures lock the
 * name or the source address out for a while ({@link SignInThrottle}); every sign-in, refusal,
 * lockout and sign-out is in the audit trail (as {@code ui:NAME}, never with a password).
 */
@Path("/ui/api/session")
public class UiSessionResource {

    /** Hashed at start so that an unknown name costs the same time as a wrong password. */
    private static final String DUMMY = PasswordHash.hash("not a password of anyone");

    @Inject
    Pool pool;
    @Inject
    UiSessions sessions;
    @Inject
    SignInThrottle throttle;
    @Inject
    AuditTrail audit;

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@HeaderParam(UiSessions.HEADER) String marker, @FormParam("name") String name,
            @FormParam("password") String password, @Context HttpServerRequest http) {
        requireMarker(marker);
        if (name == null || password == null || name.length() > 64 || password.length() > 1024) {
            throw new NotAuthenticatedException("give a name and a password");
        }
        // the peer address of the connection; a proxy's X-Forwarded-For is not trusted (docs/ui.md)
        String source = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        Instant now = Instant.now();
        Optional<Instant> locked = throttle.lockedUntil(name, source, now);
        if (locked.isPresent()) {
            record(name, 429, "dashboard sign-in refused: locked out until " + locked.get() + " (from " + source + ")");
            throw lockedOut(locked.get(), now);
        }
        Optional<UiUser> user = new UiUserStore(pool).find(name);
        boolean ok = PasswordHash.matches(password, user.map(UiUser::passwordHash).orElse(DUMMY));
        if (user.isEmpty() || !ok) {
            SignInThrottle.Outcome o = throttle.failed(name, source, now);
            if (o.lockedUntil().isPresent()) {
                record(name, 429, "dashboard sign-in failed; now locked out until " + o.lockedUntil().get() + " (from "
                        + source + ")");
                throw lockedOut(o.lockedUntil().get(), now);
            }
            record(name, 401, "dashboard sign-in failed: unknown name or wrong password, failure " + o.failures()
                    + " of " + o.limit() + " before a lockout (from " + source + ")");
            throw new NotAuthenticatedException("unknown name or wrong password");
        }
        throttle.succeeded(name);
        record(name, 200, "dashboard sign-in as " + user.get().role().label() + " (from " + source + ")");
        String token = sessions.open(user.get(), now);
        return Response.ok(json(new UiSession(user.get().name(), user.get().role(), now.plus(UiSessions.LIFETIME))),
                MediaType.APPLICATION_JSON).cookie(cookie(token, (int) UiSessions.LIFETIME.toSeconds())).build();
    }

    private static FhirException lockedOut(Instant until, Instant now) {
        long minutes = Math.max(1, (java.time.Duration.between(now, until).toSeconds() + 59) / 60);
        return new FhirException(429, IssueType.THROTTLED, "too many failed sign-ins: signing in is locked for about "
                + minutes + " minute" + (minutes == 1 ? "" : "s") + "; try again later or ask an administrator", null);
    }

    private void record(String name, int status, String detail) {
        audit.record(new AuditRecord(Instant.now(), "ui:" + name, "login", "POST", "/ui/api/session", null, null, null,
                null, status, detail));
    }

    @GET
    public Response whoAmI(@HeaderParam(UiSessions.HEADER) String marker,
            @CookieParam(UiSessions.COOKIE) Cookie cookie) {
        requireMarker(marker);
        UiSession s = sessions.find(cookie == null ? null : cookie.getValue(), Instant.now())
                .orElseThrow(() -> new NotAuthenticatedException("not signed in"));
        return Response.ok(json(s), MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    public Response signOut(@HeaderParam(UiSessions.HEADER) String marker,
            @CookieParam(UiSessions.COOKIE) Cookie cookie) {
        requireMarker(marker);
        String id = cookie == null ? null : cookie.getValue();
        sessions.find(id, Instant.now()).ifPresent(
                s -> record(s.user(), 204, "dashboard sign-out"));
        sessions.close(id);
        return Response.noContent().cookie(cookie("", 0)).build();
    }

    /** HttpOnly: scripts cannot read it; SameSite=Strict: no other site's page makes the browser send it. */
    private static NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(UiSessions.COOKIE).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    static void requireMarker(String marker) {
        if (marker == null || marker.isBlank()) {
            throw new NotAuthenticatedException("dashboard requests need the " + UiSessions.HEADER + " header");
        }
    }

    /** Names are limited to [A-Za-z0-9._@-] by {@code users add}, so no escaping is needed. */
    private static String json(UiSession s) {
        return "{\"name\":\"" + s.user() + "\",\"role\":\"" + s.role().label() + "\",\"scope\":\"" + s.role().scope()
                + "\",\"expires\":\"" + s.expires() + "\",\"idleTimeoutSeconds\":" + UiSessions.IDLE.toSeconds() + "}";
    }
}

package org.concilium.fhir.ui;

import io.smallrye.common.annotation.Blocking;
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
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Optional;
import org.concilium.security.NotAuthenticatedException;
import org.concilium.ui.PasswordHash;
import org.concilium.ui.UiSession;
import org.concilium.ui.UiSessions;
import org.concilium.ui.UiUser;
import org.concilium.ui.UiUserStore;

/**
 * {@code /ui/api/session}: sign in (POST name + password as a form), who am I (GET), sign out
 * (DELETE). Every call needs the {@value UiSessions#HEADER} header, like every cookie-authenticated
 * API call, so a cross-site form can neither sign a browser in nor out.
 */
@Path("/ui/api/session")
public class UiSessionResource {

    /** Hashed at start so that an unknown name costs the same time as a wrong password. */
    private static final String DUMMY = PasswordHash.hash("not a password of anyone");

    @Inject
    Pool pool;
    @Inject
    UiSessions sessions;

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@HeaderParam(UiSessions.HEADER) String marker, @FormParam("name") String name,
            @FormParam("password") String password) {
        requireMarker(marker);
        if (name == null || password == null || name.length() > 64 || password.length() > 1024) {
            throw new NotAuthenticatedException("give a name and a password");
        }
        Optional<UiUser> user = new UiUserStore(pool).find(name);
        boolean ok = PasswordHash.matches(password, user.map(UiUser::passwordHash).orElse(DUMMY));
        if (user.isEmpty() || !ok) {
            throw new NotAuthenticatedException("unknown name or wrong password");
        }
        String token = sessions.open(user.get(), Instant.now());
        return Response.ok(json(new UiSession(user.get().name(), user.get().role(),
                Instant.now().plus(UiSessions.LIFETIME))), MediaType.APPLICATION_JSON)
                .cookie(cookie(token, (int) UiSessions.LIFETIME.toSeconds())).build();
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
        sessions.close(cookie == null ? null : cookie.getValue());
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
                + "\",\"expires\":\"" + s.expires() + "\"}";
    }
}

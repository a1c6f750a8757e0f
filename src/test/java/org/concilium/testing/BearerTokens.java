package org.concilium.testing;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.concilium.security.client.AccessTokenSource;

/**
 * The one place test requests get their bearer token: a RestAssured filter that attaches the
 * token of the node the request goes to (by scheme, host and port), unless the request carries an
 * Authorization header of its own. A 401 (a token that expired meanwhile, a test database that was
 * replaced under the same port) is answered once by fetching a new token and sending again.
 */
public final class BearerTokens implements Filter {

    private final Map<String, AccessTokenSource> byOrigin = new ConcurrentHashMap<>();
    private final Function<String, AccessTokenSource> fallback;

    /** {@code fallback} gives the source for an origin not registered explicitly (null: send no token). */
    public BearerTokens(Function<String, AccessTokenSource> fallback) {
        this.fallback = fallback;
    }

    public void register(String originOrUrl, AccessTokenSource tokens) {
        byOrigin.put(origin(originOrUrl), tokens);
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext ctx) {
        if (request.getHeaders().hasHeaderWithName("Authorization")) {
            return ctx.next(request, response);
        }
        String origin = origin(request.getURI());
        AccessTokenSource tokens = byOrigin.get(origin);
        if (tokens == null) {
            tokens = fallback.apply(origin);
        }
        if (tokens == null) {
            return ctx.next(request, response);
        }
        request.header("Authorization", tokens.authorization());
        Response r = ctx.next(request, response);
        if (r.statusCode() == 401) {
            // the filter chain can be walked only once: send the same request again, without filters
            tokens.invalidate();
            io.restassured.specification.RequestSpecification again = io.restassured.RestAssured.given()
                    .noFilters().urlEncodingEnabled(false).header("Authorization", tokens.authorization());
            for (io.restassured.http.Header h : request.getHeaders()) {
                if (!h.getName().equalsIgnoreCase("Authorization")) {
                    again.header(h.getName(), h.getValue());
                }
            }
            if (request.getBody() != null) {
                again.body(request.<Object>getBody());
            }
            r = again.request(request.getMethod(), request.getURI());
        }
        return r;
    }

    static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
    }
}

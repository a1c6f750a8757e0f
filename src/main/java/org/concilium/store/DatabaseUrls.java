package org.concilium.store;

/**
 * The node talks to PostgreSQL twice: the reactive client for everything it does, and JDBC for
 * Flyway's migrations at start-up. One server, two URL dialects; this derives the JDBC one.
 */
public final class DatabaseUrls {

    private DatabaseUrls() {
    }

    /**
     * {@code postgresql://host:5432/db?sslmode=require} (also {@code postgres://} and
     * {@code vertx-reactive:postgresql://}) becomes {@code jdbc:postgresql://host:5432/db?sslmode=require}.
     * Credentials in the URL ({@code postgresql://user:pw@host/db}, as CloudNativePG's {@code uri}
     * secret has them) move to the {@code user} and {@code password} parameters JDBC reads.
     */
    public static String jdbcFromReactive(String reactiveUrl) {
        String url = reactiveUrl.strip();
        if (url.startsWith("vertx-reactive:")) {
            url = url.substring("vertx-reactive:".length());
        }
        if (url.startsWith("postgres://")) {
            url = "postgresql://" + url.substring("postgres://".length());
        }
        if (!url.startsWith("postgresql://")) {
            // never echo the URL: it may carry a password
            throw new IllegalArgumentException("the database URL is not a PostgreSQL URL (postgresql://host:port/database)");
        }
        String rest = url.substring("postgresql://".length());
        int pathStart = indexOfAny(rest, "/?");
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String pathAndQuery = pathStart < 0 ? "" : rest.substring(pathStart);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return "jdbc:postgresql://" + rest;
        }
        String userInfo = authority.substring(0, at);
        String host = authority.substring(at + 1);
        int colon = userInfo.indexOf(':');
        // both dialects percent-encode; JDBC decodes parameters as a form, where '+' would be a space
        StringBuilder params = new StringBuilder("user=").append(formSafe(colon < 0 ? userInfo : userInfo.substring(0, colon)));
        if (colon >= 0) {
            params.append("&password=").append(formSafe(userInfo.substring(colon + 1)));
        }
        String separator = pathAndQuery.contains("?") ? "&" : "?";
        return "jdbc:postgresql://" + host + pathAndQuery + separator + params;
    }

    private static String formSafe(String percentEncoded) {
        return percentEncoded.replace("+", "%2B");
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}

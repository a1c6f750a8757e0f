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
     * Credentials inside the URL are refused: give them as QUARKUS_DATASOURCE_USERNAME / _PASSWORD,
     * or set QUARKUS_DATASOURCE_JDBC_URL yourself.
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
            throw new IllegalArgumentException("not a PostgreSQL URL (postgresql://host:port/database): " + reactiveUrl);
        }
        String rest = url.substring("postgresql://".length());
        int end = rest.indexOf('/');
        String authority = end < 0 ? rest : rest.substring(0, end);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("the reactive URL carries credentials; give them as "
                    + "QUARKUS_DATASOURCE_USERNAME/_PASSWORD or set QUARKUS_DATASOURCE_JDBC_URL");
        }
        return "jdbc:" + url;
    }
}

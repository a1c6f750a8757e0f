package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Flyway's JDBC URL derived from the reactive one the operator gives. */
class DatabaseUrlsTest {

    @Test
    void theReactiveDialectsBecomeOneJdbcUrlKeepingHostDatabaseAndParameters() {
        assertThat(DatabaseUrls.jdbcFromReactive("postgresql://db:5432/concilium?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/concilium?sslmode=require");
        assertThat(DatabaseUrls.jdbcFromReactive("postgres://db/concilium")).isEqualTo("jdbc:postgresql://db/concilium");
        assertThat(DatabaseUrls.jdbcFromReactive("vertx-reactive:postgresql://db:5433/x"))
                .isEqualTo("jdbc:postgresql://db:5433/x");
    }

    @Test
    void credentialsInTheUrlBecomeJdbcParameters() {
        // the shape of CloudNativePG's app secret `uri`
        assertThat(DatabaseUrls.jdbcFromReactive("postgresql://app:s3cr%40t+x@site-a-db-rw.ns:5432/app"))
                .isEqualTo("jdbc:postgresql://site-a-db-rw.ns:5432/app?user=app&password=s3cr%40t%2Bx");
        assertThat(DatabaseUrls.jdbcFromReactive("postgresql://app@db/app?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/app?sslmode=require&user=app");
    }

    @Test
    void anotherDatabaseIsRefusedWithoutEchoingTheUrl() {
        assertThatThrownBy(() -> DatabaseUrls.jdbcFromReactive("mysql://u:secret@db/concilium"))
                .hasMessageContaining("not a PostgreSQL URL").hasMessageNotContaining("secret");
    }
}

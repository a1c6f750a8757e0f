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
    void credentialsInTheUrlAndOtherDatabasesAreRefusedWithWhatToDoInstead() {
        assertThatThrownBy(() -> DatabaseUrls.jdbcFromReactive("postgresql://u:secret@db/concilium"))
                .hasMessageContaining("QUARKUS_DATASOURCE_JDBC_URL").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrls.jdbcFromReactive("mysql://db/concilium"))
                .hasMessageContaining("not a PostgreSQL URL");
    }
}

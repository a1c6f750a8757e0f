package org.concilium.store;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

/**
 * Databases created before Flyway were migrated by a hand-written runner that recorded the applied
 * versions in {@code schema_version} (no checksums). Such a database has our tables but no Flyway
 * history; Flyway is told to baseline it at the highest version that runner applied, so that the
 * later migrations run and the earlier ones are not run twice. The old table is left in place.
 */
@Singleton
public class LegacySchemaBaseline implements FlywayConfigurationCustomizer {

    private static final Logger LOG = Logger.getLogger(LegacySchemaBaseline.class);

    @Override
    public void customize(FluentConfiguration configuration) {
        DataSource dataSource = configuration.getDataSource();
        if (dataSource == null) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            var probe = s.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL,"
                    + " to_regclass('flyway_schema_history') IS NOT NULL");
            probe.next();
            if (!probe.getBoolean(1) || probe.getBoolean(2)) {
                return;
            }
            var max = s.executeQuery("SELECT max(version) FROM schema_version");
            max.next();
            int version = max.getInt(1);
            if (version > 0) {
                LOG.infof("baselining a database migrated by the old runner at version %d", version);
                configuration.baselineOnMigrate(true).baselineVersion(String.valueOf(version))
                        .baselineDescription("applied before Flyway (schema_version)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not inspect the database before migrating it", e);
        }
    }
}

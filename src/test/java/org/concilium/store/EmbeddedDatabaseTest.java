package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database survives its node being killed, and commits are durable. */
class EmbeddedDatabaseTest {

    /** Started in a child JVM that then dies like kill -9: no shutdown hook stops its PostgreSQL. */
    public static final class HaltAfterStart {
        public static void main(String[] args) {
            EmbeddedDatabase.start(Path.of(args[0]));
            Runtime.getRuntime().halt(137);
        }
    }

    @Test
    void aDatabaseLeftRunningByAKilledNodeIsStoppedAndTheNextStartSucceeds(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("postgres");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), HaltAfterStart.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(dir.resolve("postmaster.pid")).as("the orphaned server still holds the directory").exists();

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            assertThat(setting(db, "synchronous_commit")).isEqualTo("on");
            // a second start attempt in the same JVM leaves the running server alone
            EmbeddedDatabase.stopOrphan(dir);
            assertThat(setting(db, "fsync")).isEqualTo("on");
        }
    }

    private static String setting(EmbeddedDatabase db, String name) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:" + db.reactiveUrl(), "postgres", "postgres");
                var rows = c.createStatement().executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}

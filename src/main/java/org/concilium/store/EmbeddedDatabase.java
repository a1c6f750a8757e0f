package org.concilium.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The node's default database: a PostgreSQL server started from Maven-shipped binaries, its
 * files kept in a data directory across restarts. Used unless an external URL is configured.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** On a fixed port ({@code 0}: any free one), e.g. to play an external database that stops and comes back. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return start(dataDirectory, port, Map.of());
    }

    /**
     * With server settings over the node's (e.g. the bench's throw-away database: commits that do not
     * wait for the disk, minimal WAL). Never for a site's database: its commits must survive a crash.
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, Map<String, String> serverConfig) {
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (port > 0) {
                builder.setPort(port);
            }
            builder
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    // the library defaults to off: a commit (a released share) could be lost on power failure
                    .setServerConfig("synchronous_commit", "on");
            serverConfig.forEach(builder::setServerConfig);
            EmbeddedPostgres pg = builder.start();
            return new EmbeddedDatabase(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * A node killed with SIGKILL runs no shutdown hook, so its PostgreSQL keeps running and holds
     * the data directory; the next start would fail. Stop that server (the pid file names it)
     * before starting a new one, unless a live JVM still owns the directory.
     */
    public static void stopOrphan(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        // the library holds this lock for the life of the JVM that started the server
        try (FileChannel channel = FileChannel.open(dataDirectory.resolve("epg-lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 2 || !lines.get(0).strip().matches("\\d+")) {
                return;
            }
            Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                    // the pid may have been reused by an unrelated process after a reboot
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .filter(p -> sameDirectory(Path.of(lines.get(1).strip()), dataDirectory));
            if (server.isPresent()) {
                server.get().destroy(); // SIGTERM, a smart shutdown: the dead node's sessions are gone already
                server.get().onExit().get(60, TimeUnit.SECONDS);
            }
        } catch (OverlappingFileLockException e) {
            return; // this very JVM runs the server
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("a PostgreSQL left by a stopped node still holds " + dataDirectory, e);
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    public String reactiveUrl() {
        return "postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The Quarkus configuration that points the reactive client (and Flyway's JDBC) at this server. */
    public Map<String, String> quarkusConfig() {
        return Map.of("quarkus.datasource.reactive.url", reactiveUrl(),
                "quarkus.datasource.jdbc.url", DatabaseUrls.jdbcFromReactive(reactiveUrl()),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

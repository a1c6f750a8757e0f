package org.concilium.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The site's key-encryption key (32 random bytes, AES-256): the same file that seals the node's
 * secret-key share when it is a network member ({@code concilium.network.kek-file}), so a site
 * keeps one secret file that all its replicas mount. Which file, first that applies:
 * {@code concilium.security.kek-file}; the network's KEK file when a network descriptor is
 * configured; {@code <concilium.data-dir>/kek}. Created (mode 0600) when absent. Never logged.
 */
@ApplicationScoped
public class KeyEncryptionKey {

    private final Path file;

    public KeyEncryptionKey(@ConfigProperty(name = "concilium.security.kek-file") Optional<String> own,
            @ConfigProperty(name = "concilium.network.descriptor") Optional<String> descriptor,
            @ConfigProperty(name = "concilium.network.kek-file", defaultValue = "kek") String networkKek,
            @ConfigProperty(name = "concilium.data-dir", defaultValue = "data/node") String dataDir) {
        this.file = own.filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> descriptor.filter(s -> !s.isBlank()).isPresent() ? Path.of(networkKek)
                        : Path.of(dataDir).resolve("kek"));
    }

    /** Where the key lives (for error messages; the content is never shown). */
    public Path file() {
        return file;
    }

    /** Read from the file at each use (sealing and opening happen at start-up and rotation only). */
    public SecretKey key() {
        return read(file);
    }

    static SecretKey read(Path file) {
        try {
            if (!Files.exists(file)) {
                createOwnerOnly(file);
            }
            byte[] k = Files.readAllBytes(file);
            if (k.length != 32) {
                throw new IllegalStateException("the key-encryption key in " + file + " must be 32 bytes");
            }
            return new SecretKeySpec(k, "AES");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 32 random bytes in a file that is owner-only from its creation; another process may win the race. */
    private static void createOwnerOnly(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.write(tmp, k);
        try {
            Files.createLink(file, tmp); // atomic and fails if another process created the file first
        } catch (FileAlreadyExistsException raced) {
            // the other process's key stands
        } catch (UnsupportedOperationException noLinks) {
            Files.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

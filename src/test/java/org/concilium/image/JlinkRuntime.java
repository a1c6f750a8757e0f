package org.concilium.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Java runtime for the image, linked with {@code jlink} from the JDK that builds it (a run-time
 * image works as well as jmods, JEP 493), plus the system C libraries its native code links to, so
 * that it runs on an empty ({@code scratch}) base.
 */
final class JlinkRuntime {

    /**
     * What the node uses: Quarkus/Vert.x/Netty (unsupported, naming, dns, management), HAPI and the
     * CQL engine (desktop for java.beans, xml, sql), Flyway over JDBC with Agroal/Narayana (sql, rmi,
     * transaction.xa), the peer client (net.http), TLS and crypto.
     */
    static final List<String> MODULES = List.of(
            "java.base", "java.compiler", "java.desktop", "java.instrument", "java.logging", "java.management",
            "java.naming", "java.net.http", "java.prefs", "java.rmi", "java.scripting", "java.security.jgss",
            "java.security.sasl", "java.sql", "java.transaction.xa", "java.xml", "java.xml.crypto",
            "jdk.charsets", "jdk.crypto.cryptoki", "jdk.jfr", "jdk.management", "jdk.naming.dns", "jdk.net",
            "jdk.unsupported", "jdk.zipfs", "jdk.localedata");

    private static final Pattern LDD_LINE = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

    private JlinkRuntime() {
    }

    /** Links the runtime into {@code output} (replaced if present). */
    static void link(Path jdk, Path output) throws IOException, InterruptedException {
        if (Files.exists(output)) {
            try (Stream<Path> s = Files.walk(output)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        List<String> modules = new ArrayList<>(MODULES);
        modules.retainAll(availableModules(jdk)); // e.g. a JDK without jdk.localedata
        run(List.of(jdk.resolve("bin/jlink").toString(), "--add-modules", String.join(",", modules),
                "--strip-debug", "--no-man-pages", "--no-header-files", "--compress=zip-6",
                "--output", output.toString()), true);
    }

    /** Absolute paths of the shared libraries outside the runtime that its ELF files load (ldd). */
    static Set<Path> systemLibraries(Path runtime) throws IOException, InterruptedException {
        Set<Path> libs = new TreeSet<>();
        List<Path> elves;
        try (Stream<Path> s = Files.walk(runtime)) {
            elves = s.filter(Files::isRegularFile).filter(JlinkRuntime::isElf).toList();
        }
        for (Path elf : elves) {
            for (String line : run(List.of("ldd", elf.toString()), false).split("\n")) {
                Matcher m = LDD_LINE.matcher(line);
                if (m.find() && !Path.of(m.group(1)).normalize().startsWith(runtime.toAbsolutePath().normalize())) {
                    libs.add(Path.of(m.group(1)));
                }
            }
        }
        return libs;
    }

    static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> availableModules(Path jdk) throws IOException, InterruptedException {
        Set<String> names = new TreeSet<>();
        for (String line : run(List.of(jdk.resolve("bin/java").toString(), "--list-modules"), true).split("\n")) {
            if (!line.isBlank()) names.add(line.strip().split("@")[0]);
        }
        return names;
    }

    /** Runs a tool; {@code check} = fail on a non-zero exit (ldd exits 1 for a static ELF). */
    private static String run(List<String> command, boolean check) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || (check && p.exitValue() != 0)) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}

package org.concilium.fhir;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik generators of hostile input, drawn with one seeded {@link Random} so a failing run can be
 * replayed (-Dfuzz.seed=...). Used from Jupiter tests: jqwik's own engine is switched off in the pom.
 */
final class HostileValues {

    static final List<String> EDGE = List.of("", " ", "null", "true", "-1", "0", "1e309", "NaN", "-0",
            "99999999999999999999", "' OR 1=1 --", "'; DROP TABLE resource; --", "$1", "%", "_", "\\", "\\\\",
            "\"", "{}", "[]", "|", "||", "|x|", ",", ",,,", "a,b,,c", "http://loinc.org|4548-4", "Patient/x",
            "Patient/", "/", "../../etc/passwd", "urn:uuid:", "ge", "gt2020", "eb-1", "sa2020-13-40",
            "2020-02-30", "9999-12-31T99:99:99Z", "0000-00-00", "2024-01-01T00:00:00+25:00", "le2024-01",
            "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "\uffff", "\u202e", "\t\r\n", "x".repeat(5000),
            "<script>", "&lol;", "${jndi:ldap://127.0.0.1:1/x}", "🙂", "e\u0301");

    private final Random random;

    HostileValues(Random random) {
        this.random = random;
    }

    <T> T draw(Arbitrary<T> arbitrary) {
        return arbitrary.generator(1000).next(random).value();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** A hostile string: an edge case, arbitrary Unicode (NUL and lone surrogates included) or a long run. */
    String string() {
        return switch (random.nextInt(5)) {
            case 0, 1 -> pick(EDGE);
            case 2 -> draw(Arbitraries.strings().all().ofMaxLength(40));
            case 3 -> draw(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60));
            default -> pick(EDGE) + draw(Arbitraries.strings().alpha().numeric().withChars("|,:.-_$%").ofMaxLength(20));
        };
    }

    /** Any JSON value: scalars, hostile strings, empty or nested containers. */
    String jsonValue() {
        return switch (random.nextInt(9)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> pick(List.of("0", "-1", "1e309", "-1.5e-400", "123456789012345678901234567890", "0.1"));
            case 3 -> "{}";
            case 4 -> "[]";
            case 5 -> "[" + jsonString(string()) + "," + jsonString(string()) + "]";
            case 6 -> "{\"" + draw(Arbitraries.strings().alpha().ofLength(5)) + "\":" + jsonString(string()) + "}";
            case 7 -> jsonString(pick(List.of("\\u0000", "\\ud800", "\\udc00x", "\\u0001")), false);
            default -> jsonString(string());
        };
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String jsonString(String raw, boolean escape) {
        return "\"" + raw + "\"";
    }

    /** Percent-encodes every byte of the UTF-8 (or, at times, random bytes: invalid UTF-8 on purpose). */
    String urlEncoded(String s) {
        byte[] bytes = chance(10) ? draw(Arbitraries.bytes().array(byte[].class).ofMaxSize(12))
                : s.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int v = x & 0xff;
            if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || v == '-' || v == '.') {
                b.append((char) v);
            } else {
                b.append('%').append(String.format("%02X", v));
            }
        }
        return b.toString();
    }
}

package org.concilium.fhir;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * An application/x-www-form-urlencoded body, decoded by us: the framework's form reader throws an
 * IllegalArgumentException on a bad escape ({@code %ZZ}), which would reach the client as a 500.
 */
final class FormBody {

    /** Where the JDK and RESTEasy Reactive decode form fields (@FormParam, MultivaluedMap bodies). */
    private static final java.util.Set<String> DECODERS = java.util.Set.of(URLDecoder.class.getName(),
            "org.jboss.resteasy.reactive.common.util.URLUtils", "org.jboss.resteasy.reactive.common.util.Encode");

    private FormBody() {
    }

    /** The fields of the body; an IllegalArgumentException when it is not valid form encoding. */
    static MultivaluedMap<String, String> parse(String body) {
        MultivaluedMap<String, String> out = new MultivaluedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            out.add(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * True when a failure is the framework's form reader refusing a bad escape (a client error): an
     * IllegalArgumentException thrown inside URLDecoder or RESTEasy Reactive's own decoding.
     */
    static boolean isMalformed(Throwable e) {
        if (!(e instanceof IllegalArgumentException)) {
            return false;
        }
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(4, frames.length); i++) { // thrown by the decoder itself, not merely beneath it
            if (DECODERS.contains(frames[i].getClassName())) {
                return true;
            }
        }
        return false;
    }
}

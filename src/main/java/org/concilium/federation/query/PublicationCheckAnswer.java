package org.concilium.federation.query;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.concilium.store.FhirJson;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * A site's answer to the publication check (peer round {@code publish-check}): the content hash of
 * the package as it would store it, and its problems with it, if any (a FHIR Parameters resource).
 *
 * <p>Unlike a refusal (only a category crosses sites, see peer/PeerError), these texts cross: they
 * are what a publisher needs to fix the package (the CQL error with its line and column, the missing
 * value-set URL). They can only quote knowledge artifacts, because the check sees no clinical data
 * (measure/PublicationData); both sides still keep them to printable ASCII, a bounded length and
 * a bounded number, so a deviating site cannot push arbitrary text through the entry node.
 */
record PublicationCheckAnswer(String hash, List<String> problems) {

    static final int MAX_PROBLEMS = 20;
    static final int MAX_LENGTH = 400;

    PublicationCheckAnswer {
        problems = problems.stream().limit(MAX_PROBLEMS).map(PublicationCheckAnswer::scrub).toList();
    }

    byte[] encode() {
        Parameters p = new Parameters();
        p.addParameter().setName("hash").setValue(new StringType(hash));
        problems.forEach(t -> p.addParameter().setName("problem").setValue(new StringType(t)));
        return FhirJson.encode(p).getBytes(StandardCharsets.UTF_8);
    }

    static PublicationCheckAnswer decode(byte[] payload) {
        Parameters p = FhirJson.parse(Parameters.class, new String(payload, StandardCharsets.UTF_8));
        String hash = null;
        java.util.ArrayList<String> problems = new java.util.ArrayList<>();
        for (var param : p.getParameter()) {
            if ("hash".equals(param.getName())) {
                hash = param.getValue().primitiveValue();
            } else if ("problem".equals(param.getName()) && param.getValue() != null) {
                problems.add(param.getValue().primitiveValue());
            }
        }
        if (hash == null || !hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a publication check answer without a content hash");
        }
        return new PublicationCheckAnswer(hash, problems);
    }

    /** Printable ASCII only (anything else becomes {@code ?}), at most {@value #MAX_LENGTH} characters. */
    static String scrub(String text) {
        String s = text == null ? "" : text.replaceAll("[^\\x20-\\x7E]", "?");
        return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) + "..." : s;
    }
}

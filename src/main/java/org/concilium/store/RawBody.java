package org.concilium.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The body of an imported line as stored, without HAPI's encoder: the line's own JSON, copied
 * token by token, with only the resource's {@code id} and {@code meta.versionId}/{@code
 * meta.lastUpdated} set. HAPI's encode of the parsed line (what {@link ResourceWriter} stores) was
 * a third of {@code $import}'s CPU per line.
 *
 * <p>Why this is the same resource: the line was parsed by HAPI's strict parser first (unknown
 * elements, wrong JSON types and bad values fail the line before it gets here), so every element it
 * holds is one HAPI kept; the stored column is {@code jsonb}, which drops key order and whitespace.
 * The narrative's XHTML is the one thing HAPI re-serialises as a rule: its text is taken from the
 * parsed resource. What HAPI would still change is refused here (null answer: the caller encodes with HAPI): empty
 * objects, arrays and strings, JSON nulls (HAPI drops or realigns them), strings with leading or
 * trailing blanks, a narrative other than the resource's own, numbers in exponent form, {@code contained} resources (HAPI
 * may rename their local ids), version-specific references ({@code /_history/}, which HAPI's encoder
 * strips), a key twice in one object, an extension on the id ({@code _id}) or on meta's versionId/lastUpdated, and comments.
 * {@code FirstVersionsTest} checks, over Synthea resources and edge cases, that the stored JSONB is
 * the one the versioned path stores.
 */
public final class RawBody {

    /** A key twice in one object is left to HAPI (which keeps the last one) rather than reasoned about. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private RawBody() {
    }

    /**
     * {@code json} with {@code id}, {@code meta.versionId} and {@code meta.lastUpdated} (HAPI's
     * text of the instant) set, and the narrative's {@code text.div} replaced by {@code div} (HAPI's
     * text of the parsed XHTML, which normalises quotes and entities; null: the resource has none), or
     * null when HAPI's encode could differ from it.
     */
    public static String withVersion(String json, String id, String versionId, String lastUpdated, String div) {
        StringWriter out = new StringWriter(json.length() + 96);
        try (JsonParser in = JSON.createParser(json); JsonGenerator g = JSON.createGenerator(out)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            g.writeStartObject();
            g.writeStringField("id", id);
            boolean meta = false;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                switch (name) {
                    case "id" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                    }
                    case "_id", "contained" -> {
                        return null;
                    }
                    case "text" -> {
                        if (value != JsonToken.START_OBJECT || !narrative(in, g, div)) {
                            return null;
                        }
                    }
                    case "meta" -> {
                        if (value != JsonToken.START_OBJECT || !meta(in, g, versionId, lastUpdated)) {
                            return null;
                        }
                        meta = true;
                    }
                    default -> {
                        g.writeFieldName(name);
                        if (!copy(in, g, name)) {
                            return null;
                        }
                    }
                }
            }
            if (!meta) {
                g.writeObjectFieldStart("meta");
                g.writeStringField("versionId", versionId);
                g.writeStringField("lastUpdated", lastUpdated);
                g.writeEndObject();
            }
            g.writeEndObject();
            if (in.currentToken() != JsonToken.END_OBJECT || in.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out.toString();
    }

    /** Copies the narrative with HAPI's text of its div. */
    private static boolean narrative(JsonParser in, JsonGenerator g, String div) throws IOException {
        g.writeObjectFieldStart("text");
        boolean written = false;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            if (name.equals("div")) {
                if (div == null || in.currentToken() != JsonToken.VALUE_STRING) {
                    return false;
                }
                g.writeStringField("div", div);
                written = true;
            } else {
                g.writeFieldName(name);
                if (!copy(in, g, name)) {
                    return false;
                }
            }
        }
        g.writeEndObject();
        return written || div == null;
    }

    /** Copies meta's other elements and writes the two the store sets. */
    private static boolean meta(JsonParser in, JsonGenerator g, String versionId, String lastUpdated)
            throws IOException {
        g.writeObjectFieldStart("meta");
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            if (name.startsWith("_") || name.equals("fhir_comments")) {
                return false;
            }
            if (name.equals("versionId") || name.equals("lastUpdated")) {
                in.skipChildren();
                continue;
            }
            g.writeFieldName(name);
            if (!copy(in, g, name)) {
                return false;
            }
        }
        g.writeStringField("versionId", versionId);
        g.writeStringField("lastUpdated", lastUpdated);
        g.writeEndObject();
        return true;
    }

    /** Copies the value at the parser's current token; false when HAPI's encode could write it otherwise. */
    private static boolean copy(JsonParser in, JsonGenerator g, String field) throws IOException {
        switch (in.currentToken()) {
            case START_OBJECT -> {
                if (in.nextToken() != JsonToken.FIELD_NAME) {
                    return false; // {}
                }
                g.writeStartObject();
                do {
                    String name = in.currentName();
                    if (name.equals("fhir_comments")) {
                        return false;
                    }
                    g.writeFieldName(name);
                    in.nextToken();
                    if (!copy(in, g, name)) {
                        return false;
                    }
                } while (in.nextToken() == JsonToken.FIELD_NAME);
                g.writeEndObject();
                return true;
            }
            case START_ARRAY -> {
                if (in.nextToken() == JsonToken.END_ARRAY) {
                    return false; // []
                }
                g.writeStartArray();
                do {
                    if (!copy(in, g, field)) {
                        return false;
                    }
                } while (in.nextToken() != JsonToken.END_ARRAY);
                g.writeEndArray();
                return true;
            }
            case VALUE_STRING -> {
                String s = in.getText();
                if (s.isEmpty() || s.contains("/_history/") || field.equals("div") // a narrative elsewhere: HAPI's
                        || blank(s.charAt(0)) || blank(s.charAt(s.length() - 1))) {
                    return false;
                }
                g.writeString(s);
                return true;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                String n = in.getText();
                if (n.indexOf('e') >= 0 || n.indexOf('E') >= 0) {
                    return false;
                }
                g.writeNumber(n); // the text as written: no double in between
                return true;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                g.writeBoolean(in.currentToken() == JsonToken.VALUE_TRUE);
                return true;
            }
            default -> {
                return false; // null
            }
        }
    }

    private static boolean blank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}

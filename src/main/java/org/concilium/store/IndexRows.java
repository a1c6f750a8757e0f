package org.concilium.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The index rows one resource contributes, one list per typed index table (V50). Every row is
 * keyed by (res_type, res_id, param); a write replaces all rows of the resource.
 */
public final class IndexRows {

    public record StringRow(String param, String norm, String exact) {
    }

    public record TokenRow(String param, String system, String code, String text) {
    }

    public record ReferenceRow(String param, String targetType, String targetId, String url, String idSystem,
            String idValue) {
    }

    public record DateRow(String param, Instant low, Instant high) {
    }

    public record NumberRow(String param, BigDecimal value) {
    }

    public record QuantityRow(String param, BigDecimal value, String system, String code, BigDecimal canonValue,
            String canonCode) {
    }

    public record UriRow(String param, String value) {
    }

    /**
     * A composite parameter's pair of values found on one element: a token (system1, code1) and
     * a second value in the columns of its own type (the others null), see V170.
     */
    public record CompositeRow(String param, String system1, String code1, String system, String code,
            BigDecimal value, BigDecimal canonValue, String canonCode, Instant low, Instant high, String norm,
            String exact) {
    }

    final List<StringRow> strings = new ArrayList<>();
    final List<TokenRow> tokens = new ArrayList<>();
    final List<ReferenceRow> references = new ArrayList<>();
    final List<DateRow> dates = new ArrayList<>();
    final List<NumberRow> numbers = new ArrayList<>();
    final List<QuantityRow> quantities = new ArrayList<>();
    final List<UriRow> uris = new ArrayList<>();
    final List<CompositeRow> composites = new ArrayList<>();
    /** 'Patient/x' the resource is about (the resource table's subject column, read by Measure evaluation). */
    String subject;

    public String subject() {
        return subject;
    }

    public List<TokenRow> tokens() {
        return tokens;
    }

    public List<StringRow> strings() {
        return strings;
    }

    public List<ReferenceRow> references() {
        return references;
    }

    public List<DateRow> dates() {
        return dates;
    }

    public List<QuantityRow> quantities() {
        return quantities;
    }

    public List<NumberRow> numbers() {
        return numbers;
    }

    public List<UriRow> uris() {
        return uris;
    }

    public List<CompositeRow> composites() {
        return composites;
    }
}

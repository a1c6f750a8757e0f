package org.concilium.federation.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.concilium.federation.peer.PeerRefusal;

/**
 * What the entry node asks every site to compute for one query: the Measure (canonical url and
 * the layout fingerprint all sites must share), the period, and what the entry node believes the
 * network's privacy policy demands (its hash, the DP noise μ of the sum and the ε charged to the
 * querier). Each site checks those against the policy in its own descriptor and refuses a request
 * asking for less; the noise it adds comes from its policy, never from this request. Small on
 * purpose: the per-query target key travels only in the key-switch round, where it is used.
 */
public record QueryRequest(
        @JsonProperty("measureUrl") String measureUrl,
        @JsonProperty("layoutFingerprint") String layoutFingerprint,
        @JsonProperty("periodStart") String periodStart,
        @JsonProperty("periodEnd") String periodEnd,
        @JsonProperty("noiseMu") double noiseMu,
        @JsonProperty("epsilon") double epsilon,
        @JsonProperty("policyHash") String policyHash,
        @JsonProperty("querier") String querier) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static QueryRequest fromBytes(byte[] bytes) {
        try {
            QueryRequest r = JSON.readValue(bytes, QueryRequest.class);
            if (r.measureUrl == null || r.layoutFingerprint == null || r.policyHash == null || r.querier == null
                    || r.querier.isBlank() || r.querier.length() > 200 || !(r.noiseMu >= 0) || !(r.epsilon >= 0)) {
                throw new PeerRefusal(400, "incomplete query request");
            }
            return r;
        } catch (IOException e) {
            throw new PeerRefusal(400, "malformed query request");
        }
    }
}

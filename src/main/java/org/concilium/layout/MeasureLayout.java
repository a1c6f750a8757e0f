package org.concilium.layout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.concilium.measure.MeasureModel;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;

/**
 * Deterministic mapping between a Measure's summary MeasureReport and a fixed-length integer vector, so that
 * the element-wise sum of every site's vector is the vector of the network's report. The layout is derived
 * from the Measure's {@link MeasureModel} (and the value sets it binds), never from data and never by reading
 * the FHIR Measure again, so every node derives the identical layout; {@link #fingerprint()} lets nodes check
 * that. Rules: docs/layout.md.
 *
 * <pre>{@code
 * MeasureLayout layout = MeasureLayout.of(MeasureModel.of(measure));
 * long[] mine = layout.encode(localSummaryReport);      // at each site
 * MeasureReport network = layout.decode(sumOfAllSites); // after collective decryption
 * }</pre>
 */
public final class MeasureLayout {
    /** Fixed-point scale of continuous-variable observation sums: 10^3, i.e. three decimals, half-even. */
    public static final long OBSERVATION_SCALE = 1_000L;
    /** Upper bound on a layout's size; larger cross products of strata are refused. */
    public static final int MAX_SLOTS = 1 << 20;

    private final MeasureModel model;
    private final String measureCanonical;
    private final List<GroupLayout> groups;
    private final List<SupplementalLayout> supplementalData;
    private final List<Slot> slots;
    private final Map<String, Integer> indexByName;

    MeasureLayout(MeasureModel model, List<GroupLayout> groups, List<SupplementalLayout> supplementalData) {
        this.model = model;
        this.measureCanonical = model.canonical();
        this.groups = List.copyOf(groups);
        this.supplementalData = List.copyOf(supplementalData);
        List<Slot> s = new ArrayList<>();
        Map<String, Integer> idx = new HashMap<>();
        for (GroupLayout g : this.groups) addGroupSlots(g, s, idx);
        for (SupplementalLayout sde : this.supplementalData) {
            for (int i = 0; i < sde.domain().size(); i++) {
                add(s, idx, SlotNames.sde(sde.key(), sde.domain().valueName(i)), SlotKind.SUPPLEMENTAL_COUNT);
            }
            add(s, idx, SlotNames.sde(sde.key(), OtherBucket.SLOT_NAME), SlotKind.SUPPLEMENTAL_COUNT);
        }
        this.slots = Collections.unmodifiableList(s);
        this.indexByName = Collections.unmodifiableMap(idx);
    }

    /** Lays out a Measure using only built-in value sets for stratum domains. */
    public static MeasureLayout of(MeasureModel model) {
        return of(model, ValueSetSource.none());
    }

    /** Lays out a Measure, resolving {@code stratum-value-set} bindings through {@code valueSets}. */
    public static MeasureLayout of(MeasureModel model, ValueSetSource valueSets) {
        return new LayoutBuilder(Objects.requireNonNull(valueSets, "valueSets")).build(Objects.requireNonNull(model));
    }

    /** The model this layout was derived from. */
    public MeasureModel model() {
        return model;
    }

    private static void addGroupSlots(GroupLayout g, List<Slot> s, Map<String, Integer> idx) {
        String gp = SlotNames.group(g.key());
        for (PopulationLayout p : g.populations()) add(s, idx, SlotNames.pop(gp, p.key()), SlotKind.POPULATION_COUNT);
        if (g.isContinuousVariable()) {
            add(s, idx, SlotNames.obsSum(gp), SlotKind.OBSERVATION_SUM);
            add(s, idx, SlotNames.obsCount(gp), SlotKind.OBSERVATION_COUNT);
        }
        for (StratifierLayout st : g.stratifiers()) {
            for (Stratum stratum : st.strata()) {
                String sp = SlotNames.stratum(g.key(), st.key(), stratum.name());
                for (PopulationLayout p : g.populations()) {
                    add(s, idx, SlotNames.pop(sp, p.key()), SlotKind.STRATUM_POPULATION_COUNT);
                }
                if (g.isContinuousVariable()) {
                    add(s, idx, SlotNames.obsSum(sp), SlotKind.OBSERVATION_SUM);
                    add(s, idx, SlotNames.obsCount(sp), SlotKind.OBSERVATION_COUNT);
                }
            }
        }
    }

    private static void add(List<Slot> s, Map<String, Integer> idx, String name, SlotKind kind) {
        if (s.size() >= MAX_SLOTS) throw new LayoutException("layout exceeds " + MAX_SLOTS + " slots");
        if (idx.putIfAbsent(name, s.size()) != null) throw new LayoutException("duplicate slot name " + name);
        s.add(new Slot(s.size(), name, kind));
    }

    /** Measure canonical ({@code url|version} when versioned) written into decoded reports. */
    public String measureCanonical() {
        return measureCanonical;
    }

    public List<GroupLayout> groups() {
        return groups;
    }

    public List<SupplementalLayout> supplementalData() {
        return supplementalData;
    }

    public int slotCount() {
        return slots.size();
    }

    public List<Slot> slots() {
        return slots;
    }

    public String slotName(int index) {
        return slots.get(index).name();
    }

    /** Index of a slot by its stable name; {@link LayoutException} if there is none. */
    public int indexOf(String slotName) {
        Integer i = indexByName.get(slotName);
        if (i == null) throw new LayoutException("no slot named " + slotName);
        return i;
    }

    boolean hasSlot(String slotName) {
        return indexByName.containsKey(slotName);
    }

    /**
     * L1 sensitivity of the count slots to one subject of a subject-based measure: a subject is in at most
     * every population of every group, one stratum per stratifier, one observation per CV group, and one value
     * per supplemental-data element. Observation sums are excluded (they need a declared bound).
     */
    public int countSensitivity() {
        int d = 0;
        for (GroupLayout g : groups) {
            int perStratum = g.populations().size() + (g.isContinuousVariable() ? 1 : 0);
            d += perStratum * (1 + g.stratifiers().size());
        }
        return d + supplementalData.size();
    }

    public boolean hasObservationSums() {
        return groups.stream().anyMatch(GroupLayout::isContinuousVariable);
    }

    /** SHA-256 (hex) of the measure canonical and the ordered slot names; equal on every node or the query stops. */
    public String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((measureCanonical == null ? "" : measureCanonical).getBytes(StandardCharsets.UTF_8));
            for (Slot s : slots) {
                md.update((byte) '\n');
                md.update(s.kind().name().getBytes(StandardCharsets.UTF_8));
                md.update((byte) ' ');
                md.update(s.name().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** A site's summary MeasureReport of this Measure as a vector (counts and fixed-point sums). */
    public long[] encode(MeasureReport siteReport) {
        return new ReportEncoder(this).encode(Objects.requireNonNull(siteReport, "siteReport"));
    }

    /** The network sum vector as a summary MeasureReport with counts and scores (no period set). */
    public MeasureReport decode(long[] sums) {
        return new ReportDecoder(this).decode(Objects.requireNonNull(sums, "sums"));
    }

    /** As {@link #decode(long[])}, with the measurement period. */
    public MeasureReport decode(long[] sums, Period period) {
        MeasureReport r = decode(sums);
        if (period != null) r.setPeriod(period.copy());
        return r;
    }

    /** Element-wise sum of site vectors (plaintext; the encrypted path sums ciphertexts instead). */
    public long[] sum(List<long[]> vectors) {
        long[] out = new long[slotCount()];
        for (long[] v : vectors) {
            if (v.length != out.length) throw new LayoutException("vector length " + v.length + " != " + out.length);
            for (int i = 0; i < out.length; i++) out[i] = Math.addExact(out[i], v[i]);
        }
        return out;
    }
}

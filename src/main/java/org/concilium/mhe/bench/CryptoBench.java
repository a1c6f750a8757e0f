package org.concilium.mhe.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.concilium.mhe.bfv.BatchEncoder;
import org.concilium.mhe.bfv.Decryptor;
import org.concilium.mhe.bfv.Encryptor;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.bfv.Plaintext;
import org.concilium.mhe.multiparty.CkgShare;
import org.concilium.mhe.multiparty.CksShare;
import org.concilium.mhe.multiparty.CollectiveKeySwitch;
import org.concilium.mhe.multiparty.CollectivePublicKeyGen;
import org.concilium.mhe.multiparty.Crp;
import org.concilium.mhe.multiparty.KeySwitchParty;
import org.concilium.mhe.multiparty.PcksShare;
import org.concilium.mhe.multiparty.PublicKeySwitch;
import org.concilium.mhe.ring.NttTables;
import org.concilium.mhe.rlwe.Ciphertext;
import org.concilium.mhe.rlwe.KeyGenerator;
import org.concilium.mhe.rlwe.Parameters;
import org.concilium.mhe.rlwe.PublicKey;
import org.concilium.mhe.rlwe.SecretKeyShare;

/**
 * Single-threaded micro-benchmarks of the named parameter sets, printed as JSON on stdout: medians
 * (and min/max) over repetitions after warm-up, for every named set unless {@code --sets} narrows
 * it. Usage: {@code CryptoBench [--json] [--reps=N] [--sets=N4096_Q108_T65537,N8192_Q180_T33]}.
 * Output is always JSON ({@code --json} is accepted for symmetry with the CLI). Wired to
 * {@code bin/concilium bench crypto}.
 */
public final class CryptoBench {
    private final int reps;
    private final StringBuilder json = new StringBuilder();

    private CryptoBench(int reps) {
        this.reps = reps;
    }

    public static void main(String[] args) {
        int reps = 15;
        List<NamedParameters> sets = new ArrayList<>(List.of(NamedParameters.values()));
        for (String a : args) {
            if (a.startsWith("--reps=")) {
                reps = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("--sets=")) {
                sets.clear();
                for (String s : a.substring(7).split(",")) {
                    sets.add(NamedParameters.valueOf(s.trim()));
                }
            } else if (!a.equals("--json")) {
                System.err.println("usage: CryptoBench [--json] [--reps=N] [--sets=A,B]");
                System.exit(2);
            }
        }
        // one discarded pass so the JIT has compiled the hot loops before anything is measured
        new CryptoBench(3).run(NamedParameters.N4096_Q108_T65537.parameters());
        CryptoBench b = new CryptoBench(reps);
        b.json.append("{\n  \"benchmark\": \"concilium-mhe-crypto\",\n  \"java\": \"").append(System.getProperty("java.version"))
                .append("\",\n  \"cpus\": ").append(Runtime.getRuntime().availableProcessors())
                .append(",\n  \"load_average_at_start\": ").append(String.format(Locale.ROOT, "%.2f",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(",\n  \"note\": \"").append("single thread; medians over repetitions after warm-up; pipeline = every site encrypts, entry sums, every site key-switches, querier decrypts and decodes (fingerprints included, serialization excluded)")
                .append("\",\n  \"threads\": 1,\n  \"repetitions\": ").append(reps).append(",\n  \"sets\": [\n");
        for (int i = 0; i < sets.size(); i++) {
            b.run(sets.get(i).parameters());
            b.json.append(i + 1 < sets.size() ? ",\n" : "\n");
        }
        b.json.append("  ]\n}");
        System.out.println(b.json);
    }

    private interface Op {
        void run(int rep);
    }

    /** Median, min, max in milliseconds after reps/3 + 2 warm-up runs. */
    private double[] time(int repetitions, Op op) {
        System.gc(); // start every measurement from a collected heap
        int warmup = repetitions / 3 + 2;
        for (int i = 0; i < warmup; i++) {
            op.run(i);
        }
        double[] t = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long s = System.nanoTime();
            op.run(warmup + i); // distinct index per run (ciphertexts are used once per party)
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return new double[] {t[repetitions / 2], t[0], t[repetitions - 1]};
    }

    private void put(List<String> fields, String name, double[] ms) {
        fields.add(String.format(Locale.ROOT, "\"%s\": {\"median_ms\": %.4f, \"min_ms\": %.4f, \"max_ms\": %.4f}", name, ms[0], ms[1], ms[2]));
    }

    private void run(Parameters params) {
        List<String> f = new ArrayList<>();
        f.add("\"name\": \"" + params.name() + "\"");
        f.add(String.format(Locale.ROOT, "\"N\": %d, \"logQ\": %d, \"limbs\": %d, \"t\": %d, \"smudging_bits\": %d, \"lambda\": %.1f",
                params.n(), params.logQ(), params.limbCount(), params.plaintextModulus(), params.smudgingBits(), params.smudgingLambda()));
        BatchEncoder encoder = new BatchEncoder(params);
        SplittableRandom rnd = new SplittableRandom(42);

        NttTables ntt = params.ring().ntt(0);
        long[] limb = new long[params.n()];
        for (int i = 0; i < limb.length; i++) {
            limb[i] = rnd.nextLong(ntt.modulus().value());
        }
        put(f, "ntt_forward_one_limb", time(reps * 20, r -> ntt.forward(limb)));
        put(f, "ntt_inverse_one_limb", time(reps * 20, r -> ntt.inverse(limb)));

        // what the flooding costs in time: one share's smudging polynomial vs one fresh error polynomial
        org.concilium.mhe.ring.RandomSource drbg = org.concilium.mhe.ring.RandomSource.secure();
        org.concilium.mhe.ring.SmudgingSampler smudging = new org.concilium.mhe.ring.SmudgingSampler(params.ring(), params.smudgingBits());
        org.concilium.mhe.ring.GaussianSampler gaussian = new org.concilium.mhe.ring.GaussianSampler(params.sigma());
        put(f, "smudging_sample_all_limbs", time(reps, r -> smudging.sample(drbg)));
        put(f, "gaussian_sample", time(reps, r -> gaussian.sample(drbg, params.n())));

        Setup s10 = new Setup(params, 10);
        long[] values = new long[params.n()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rnd.nextLong(encoder.minSlotValue() / 10, encoder.maxSlotValue() / 10);
        }
        Plaintext pt = encoder.encode(values);
        Encryptor enc = new Encryptor(s10.pk);
        put(f, "encode", time(reps, r -> encoder.encode(values)));
        put(f, "encrypt_pk", time(reps, r -> enc.encrypt(pt)));
        Ciphertext c1 = enc.encrypt(pt);
        Ciphertext c2 = enc.encrypt(pt);
        put(f, "add", time(reps * 10, r -> c1.add(c2)));
        put(f, "ciphertext_serialize", time(reps, r -> c1.toBytes()));
        byte[] ctBytes = c1.toBytes();
        put(f, "ciphertext_deserialize", time(reps, r -> Ciphertext.fromBytes(params, ctBytes)));

        // distinct ciphertexts per repetition: a party never shares twice for one ciphertext
        int total = reps + reps / 3 + 2;
        List<Ciphertext> cts = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            cts.add(enc.encrypt(pt));
        }
        CollectiveKeySwitch cks10 = new CollectiveKeySwitch(params, 10);
        PublicKeySwitch pcks10 = new PublicKeySwitch(params, 10);
        KeyGenerator.KeyPair querier = KeyGenerator.generateKeyPair(params);
        put(f, "cks_share", time(reps, r -> cks10.genShare(s10.parties.get(0), cts.get(r))));
        put(f, "pcks_share", time(reps, r -> pcks10.genShare(s10.parties.get(1), cts.get(r), querier.publicKey())));

        for (int n : new int[] {3, 10}) {
            Setup s = n == 10 ? s10 : new Setup(params, n);
            Encryptor e = new Encryptor(s.pk);
            Ciphertext ct = e.encrypt(pt);
            CollectiveKeySwitch cks = new CollectiveKeySwitch(params, n);
            PublicKeySwitch pcks = new PublicKeySwitch(params, n);
            List<CksShare> cs = new ArrayList<>();
            List<PcksShare> ps = new ArrayList<>();
            Ciphertext ct2 = e.encrypt(pt);
            for (int i = 0; i < n; i++) {
                cs.add(cks.genShare(s.parties.get(i), ct));
                ps.add(pcks.genShare(s.parties.get(i), ct2, querier.publicKey()));
            }
            put(f, "cks_aggregate_decrypt_" + n + "_parties", time(reps, r -> encoder.decode(cks.finalize(ct, cks.aggregate(cs)))));
            put(f, "pcks_aggregate_decrypt_" + n + "_parties", time(reps, r -> encoder.decode(
                    Decryptor.decrypt(querier.secretKey(), pcks.finalize(ct2, querier.publicKey(), pcks.aggregate(ps))))));
            int pipeReps = Math.max(3, reps / 3);
            put(f, "pipeline_cks_" + n + "_parties", time(pipeReps, r -> pipelineCks(s, encoder, values)));
            put(f, "pipeline_pcks_" + n + "_parties", time(pipeReps, r -> pipeline(s, encoder, values, querier)));
        }
        f.add("\"bytes\": {\"ciphertext\": " + Ciphertext.encodedLength(params) + ", \"ciphertext_plain_64bit_words\": "
                + (2L * params.n() * params.limbCount() * 8) + ", \"cks_share\": " + CksShare.encodedLength(params)
                + ", \"pcks_share\": " + PcksShare.encodedLength(params) + ", \"public_key\": " + s10.pk.toBytes().length
                + ", \"per_site_per_query_pcks\": " + (Ciphertext.encodedLength(params) + PcksShare.encodedLength(params)) + "}");
        json.append("    {\n      ").append(String.join(",\n      ", f)).append("\n    }");
    }

    /** Every site encrypts its vector; the entry node sums the ciphertexts. */
    private static Ciphertext encryptAndSum(Setup s, BatchEncoder encoder, long[] values) {
        Encryptor e = new Encryptor(s.pk);
        List<Ciphertext> cts = new ArrayList<>();
        for (int i = 0; i < s.n; i++) {
            cts.add(e.encrypt(encoder.encode(values)));
        }
        return Ciphertext.sum(cts);
    }

    /** Every site encrypts, the entry sums, every site sends a PCKS share, the querier decrypts and decodes. */
    private static void pipeline(Setup s, BatchEncoder encoder, long[] values, KeyGenerator.KeyPair querier) {
        Parameters params = s.pk.parameters();
        Ciphertext sum = encryptAndSum(s, encoder, values);
        PublicKeySwitch pcks = new PublicKeySwitch(params, s.n);
        List<PcksShare> shares = new ArrayList<>();
        for (KeySwitchParty p : s.parties) {
            shares.add(pcks.genShare(p, sum, querier.publicKey()));
        }
        Ciphertext out = pcks.finalize(sum, querier.publicKey(), pcks.aggregate(shares));
        encoder.decode(Decryptor.decrypt(querier.secretKey(), out));
    }

    /** As {@link #pipeline} but with collective decryption (CKS), the shape of OpenFHE's threshold decryption. */
    private static void pipelineCks(Setup s, BatchEncoder encoder, long[] values) {
        Parameters params = s.pk.parameters();
        Ciphertext sum = encryptAndSum(s, encoder, values);
        CollectiveKeySwitch cks = new CollectiveKeySwitch(params, s.n);
        List<CksShare> shares = new ArrayList<>();
        for (KeySwitchParty p : s.parties) {
            shares.add(cks.genShare(p, sum));
        }
        encoder.decode(cks.finalize(sum, cks.aggregate(shares)));
    }

    private static final class Setup {
        final int n;
        final PublicKey pk;
        final List<KeySwitchParty> parties = new ArrayList<>();

        Setup(Parameters params, int n) {
            this.n = n;
            CollectivePublicKeyGen ckg = new CollectivePublicKeyGen(params, n);
            Crp crp = ckg.sampleCrp("bench".getBytes(StandardCharsets.US_ASCII));
            List<CkgShare> shares = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SecretKeyShare sk = SecretKeyShare.generate(params, i);
                parties.add(new KeySwitchParty(sk));
                shares.add(ckg.genShare(sk, crp));
            }
            pk = ckg.finalize(ckg.aggregate(shares), crp);
        }
    }
}

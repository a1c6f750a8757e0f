package org.concilium.mhe.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.concilium.mhe.bfv.NamedParameters;
import org.concilium.mhe.rlwe.Fingerprint;
import org.concilium.mhe.rlwe.Parameters;
import org.junit.jupiter.api.Test;

/** Known-answer vectors checked in under src/test/resources/mhe/kat.properties (SHA-256 of outputs). */
class KnownAnswerTest {
    static Properties kat() throws IOException {
        Properties p = new Properties();
        try (InputStream in = KnownAnswerTest.class.getResourceAsStream("/mhe/kat.properties")) {
            p.load(in);
        }
        return p;
    }

    static String digest(Poly p) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < p.limbCount(); j++) {
            for (long v : p.limb(j)) {
                sb.append(v).append(',');
            }
        }
        return Fingerprint.of(sb.toString().getBytes(StandardCharsets.US_ASCII)).hex();
    }

    @Test
    void nttOfAFixedPolynomialMatchesTheStoredVector() throws IOException {
        Properties kat = kat();
        for (NamedParameters np : NamedParameters.values()) {
            Parameters params = np.parameters();
            Poly p = KatAccessRing.fixedNtt(params.ring());
            assertEquals(kat.getProperty("ntt." + np.name()), digest(p), "NTT " + np.name());
            // first coefficients in full, for readers of the vector file
            assertEquals(kat.getProperty("ntt." + np.name() + ".head"), p.limb(0)[0] + "," + p.limb(0)[1] + "," + p.limb(0)[2]);
        }
    }

    @Test
    void crpFromAFixedSeedMatchesTheStoredVector() throws IOException {
        Properties kat = kat();
        for (NamedParameters np : NamedParameters.values()) {
            Poly a = UniformSampler.sample(np.parameters().ring(), "concilium-kat-seed".getBytes(StandardCharsets.US_ASCII));
            assertEquals(kat.getProperty("crp." + np.name()), digest(a), "CRP " + np.name());
            assertEquals(kat.getProperty("crp." + np.name() + ".head"), a.limb(0)[0] + "," + a.limb(0)[1] + "," + a.limb(0)[2]);
        }
    }
}

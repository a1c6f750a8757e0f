package org.concilium.federation.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.concilium.federation.peer.PeerRefusal;
import org.junit.jupiter.api.Test;

class KeySwitchRequestTest {

    private static final KeySwitchRequest REQUEST = new KeySwitchRequest(new byte[] {7},
            List.of(new byte[] {1, 2, 3}, new byte[] {4}), new byte[] {9, 9});

    @Test
    void roundTrips() {
        KeySwitchRequest back = KeySwitchRequest.fromBytes(REQUEST.toBytes());
        assertThat(back.contributions()).hasSize(2);
        assertThat(back.contributions().get(0)).containsExactly(1, 2, 3);
        assertThat(back.targetKey()).containsExactly(7);
        assertThat(back.aggregateFingerprint()).containsExactly(9, 9);
    }

    @Test
    void truncatedExtendedAndNonsenseBytesAreRefused() {
        byte[] wire = REQUEST.toBytes();
        for (int cut = 0; cut < wire.length; cut++) {
            byte[] truncated = Arrays.copyOf(wire, cut);
            assertThatThrownBy(() -> KeySwitchRequest.fromBytes(truncated)).isInstanceOf(PeerRefusal.class);
        }
        assertThatThrownBy(() -> KeySwitchRequest.fromBytes(Arrays.copyOf(wire, wire.length + 1)))
                .isInstanceOf(PeerRefusal.class);
        assertThatThrownBy(() -> KeySwitchRequest.fromBytes(new byte[] {0x7f, 0, 0, 0, 1}))
                .isInstanceOf(PeerRefusal.class);
    }
}

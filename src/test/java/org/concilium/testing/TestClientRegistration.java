package org.concilium.testing;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import org.concilium.security.ClientKeys;
import org.concilium.security.ClientRegistration;
import org.concilium.security.ClientRegistry;
import org.concilium.security.ScopeSet;
import org.concilium.security.client.ClientKey;

/**
 * A bean of the @QuarkusTest application only (it lives in the test sources): registers a fresh
 * {@link TestClient} when the node starts, after the schema migrations, as an administrator would.
 */
@ApplicationScoped
public class TestClientRegistration {

    @Inject
    ClientRegistry registry;

    void onStart(@Observes @Priority(15) StartupEvent event) {
        ClientKey key = ClientKey.generate();
        registry.store().remove(TestClient.ID);
        registry.store().add(new ClientRegistration(TestClient.ID, ClientKeys.parse(key.publicJwks()),
                ScopeSet.parseStrict(TestClient.SCOPE), Instant.now()));
        TestClient.handOver(key);
    }
}

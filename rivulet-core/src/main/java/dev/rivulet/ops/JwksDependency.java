package dev.rivulet.ops;

import dev.rivulet.gate.JwksKeys;
import dev.rivulet.gate.TokenKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Readiness depends on the identity provider's key set ({@code rivulet.jwt.jwks-uri}) until one
 * was loaded: before that no token the provider signs verifies. Once a set is loaded the node
 * stays ready when the provider goes away, since it keeps verifying with the last set it fetched.
 * Answers at once: it reads what the fetches left, and never fetches itself.
 */
@ApplicationScoped
public class JwksDependency implements Dependency {

    @Inject
    TokenKeys keys;

    @Override
    public String name() {
        return "jwks";
    }

    @Override
    public boolean inUse() {
        return keys.provider().isPresent();
    }

    @Override
    public Optional<String> problem() {
        return keys.provider().flatMap(JwksKeys::problem);
    }
}

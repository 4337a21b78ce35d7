package dev.rivulet.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MercureConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void unsetMeansThisServersOwnEndpoint(String raw) {
        assertNull(MercureConfig.parsePublicUrl(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hub.example.com/.well-known/mercure", "http://localhost:9080/.well-known/mercure"})
    void anAbsoluteHttpUrlIsTaken(String raw) {
        assertEquals(raw, MercureConfig.parsePublicUrl(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/mercure", "ftp://hub.example.com/", "https://hub.example.com/?x=1",
            "https://hub.example.com/#f", "https://", "not a url"})
    void anythingElseStopsTheApplicationNamingTheKey(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MercureConfig.parsePublicUrl(raw));
        assertEquals(true, e.getMessage().contains("rivulet.mercure.public-url"), e.getMessage());
    }
}

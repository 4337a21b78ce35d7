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

    @org.junit.jupiter.api.Test
    void subscriptionsAreOffByDefaultAndTakeOnlyTrueOrFalse() throws Exception {
        MercureConfig config = new MercureConfig();
        config.publicUrlValue = " ";
        config.subscriptionsValue = "false";
        config.read();
        assertEquals(false, config.subscriptions());
        config.subscriptionsValue = "true";
        config.read();
        assertEquals(true, config.subscriptions());
        config.subscriptionsValue = "yes";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::read);
        assertEquals(true, e.getMessage().contains("rivulet.mercure.subscriptions"), e.getMessage());
        assertEquals("false", MercureConfig.class.getDeclaredField("subscriptionsValue")
                .getAnnotation(org.eclipse.microprofile.config.inject.ConfigProperty.class).defaultValue());
    }
}

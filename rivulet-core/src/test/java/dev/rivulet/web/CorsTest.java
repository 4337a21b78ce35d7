package dev.rivulet.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorsTest {

    @Test
    void originsAreListedByCommasOrSpacesAndComparedWithoutCase() {
        List<String> origins = Cors.parseOrigins("https://app.example.com, http://localhost:3000");
        assertEquals(List.of("https://app.example.com", "http://localhost:3000"), origins);
        assertTrue(Cors.listed(origins, "https://APP.example.com"));
        assertFalse(Cors.allows(origins, "https://evil.example"));
        assertFalse(Cors.listed(origins, null));
    }

    @Test
    void theWildcardAllowsAnyOriginButListsNone() {
        List<String> any = Cors.parseOrigins("*");
        assertTrue(Cors.allows(any, "https://anyone.example"));
        assertFalse(Cors.listed(any, "https://anyone.example"), "credentials need an origin by name");
        assertEquals(List.of(), Cors.parseOrigins(" "));
    }

    @Test
    void somethingThatIsNotAnOriginStopsStartup() {
        assertThrows(IllegalArgumentException.class, () -> Cors.parseOrigins("app.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Cors.parseOrigins("https://app.example.com/path"));
    }
}

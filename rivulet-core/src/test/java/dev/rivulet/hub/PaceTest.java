package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaceTest {

    @Test
    void noMaxRateMeansNoPace() {
        assertNull(Pace.parse(null, null));
        assertNull(Pace.parse("", null));
    }

    @Test
    void theBurstDefaultsToOneSoEventsAreSpacedEvenly() {
        assertEquals(new Pace(5, 1), Pace.parse("5", null));
        assertEquals(new Pace(0.5, 4), Pace.parse(" 0.5 ", "4"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "0, null", "-1, null", "NaN, null", "Infinity, null", "fast, null", "100001, null",
        "5, 0", "5, 10001", "5, many", "null, 3"})
    void aRateOrBurstOutOfRangeIsAnInvalidRateProblem(String maxRate, String burst) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pace.parse(maxRate, burst));
        assertEquals("invalid-rate", e.problem());
        assertTrue(e.getMessage().contains("max_rate") || e.getMessage().contains("burst"), e.getMessage());
    }
}

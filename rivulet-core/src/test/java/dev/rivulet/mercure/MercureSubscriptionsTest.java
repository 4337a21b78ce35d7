package dev.rivulet.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MercureSubscriptionsTest {

    private final MercureSubscriptions.Subscription subscription = new MercureSubscriptions.Subscription(
            "https://example.com/{selector}", "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6", "{\"foo\":\"bar\"}");

    @Test
    void theTopicOfASubscriptionIsTheSpecsExpansionWithReservedCharactersEncoded() {
        assertEquals("/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2F%7Bselector%7D/"
                + "urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6", subscription.id());
    }

    @Test
    void itsDocumentIsTheSpecsJsonLd() {
        assertEquals("{\"@context\":\"https://mercure.rocks/\",\"id\":\"" + subscription.id() + "\",\"type\":\"Subscription\","
                + "\"topic\":\"https://example.com/{selector}\",\"subscriber\":\"urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6\","
                + "\"active\":false,\"payload\":{\"foo\":\"bar\"}}", subscription.json(false, true));
    }

    @Test
    void withoutAPayloadThereIsNoPayloadAndInACollectionNoContext() {
        MercureSubscriptions.Subscription bare = new MercureSubscriptions.Subscription("t", "s", null);
        assertEquals("{\"id\":\"/.well-known/mercure/subscriptions/t/s\",\"type\":\"Subscription\",\"topic\":\"t\","
                + "\"subscriber\":\"s\",\"active\":true}", bare.json(true, false));
    }

    @Test
    void encodingLeavesOnlyUnreservedCharacters() {
        assertEquals("a%20b~c-d_e.f%2A%2B%25", MercureSubscriptions.encode("a b~c-d_e.f*+%"));
    }
}

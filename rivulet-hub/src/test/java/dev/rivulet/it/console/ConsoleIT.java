package dev.rivulet.it.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/**
 * The web console in a real browser against the shared test server: each page does what a user
 * came for, and the browser console shows no error and no Content-Security-Policy violation.
 */
class ConsoleIT {

    private static final String TOKEN = HubServer.AUTHORIZATION.substring("Bearer ".length());

    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        browser.assertNoConsoleErrors();
    }

    private static int number(String css) {
        return Integer.parseInt(browser.waitForText(css, t -> t.matches("[0-9]+")));
    }

    @Test
    void theOverviewCountsASubscriberThatConnectsAndLeaves() {
        browser.open("#/overview");
        browser.waitForText("#health-live", t -> t.equals("UP"));
        browser.waitForText("#health-ready", t -> t.equals("UP"));
        int before = number("#connections-sse");
        String topic = TopicNames.unique("console-overview");
        try (EventStreamClient subscriber = EventStreamClient.open("/api/topics/" + topic, EventStreamClient.Format.SSE)) {
            browser.waitForText("#connections-sse", t -> Integer.parseInt(t) == before + 1);
            HubServer.publishMany(topic, 40, 2, i -> "{\"n\":" + i + "}");
            browser.waitFor(d -> Integer.parseInt(d.findElement(By.id("traffic-chart")).getDomAttribute("data-points")) >= 4);
            browser.screenshot("overview");
        }
        browser.waitForText("#connections-sse", t -> Integer.parseInt(t) == before);
        assertTrue(browser.find("#broker").getText().matches("(memory|redis) UP"), browser.find("#broker").getText());
    }

    @Test
    void aPublishFromTheTopicsFormAppearsInTheLiveViewAsText() {
        String topic = TopicNames.unique("console-publish");
        HubServer.publish(topic, "{\"first\":true}");
        browser.open("");
        browser.useToken(TOKEN);
        browser.waitForText("#notice", t -> t.contains("Token accepted"));
        browser.open("#/topics");
        browser.waitFor(d -> !d.findElements(By.linkText(topic)).isEmpty());
        browser.screenshot("topics");
        browser.driver.findElement(By.linkText(topic)).click();
        browser.waitForText("#stream-state", t -> t.equals("live"));
        browser.waitForText("#history-rows", t -> t.contains("\"first\":true"));

        String markup = "<img src=x id=injected>";
        browser.type("#publish-data", "{\"html\":\"" + markup + "\"}");
        browser.type("#publish-type", "greeting");
        browser.find("#publish-send").click();
        browser.waitForText("#publish-result", t -> t.startsWith("Published"));
        String line = browser.waitForText("#live-events li[data-id]", t -> t.contains("greeting"));
        assertTrue(line.contains(markup), "the data is shown as text: " + line);
        assertTrue(browser.findAll("#injected").isEmpty(), "no element was made from the data");
        browser.screenshot("topic");
    }

    @Test
    void cuttingAndResumingTheStreamShowsEveryEventOnce() {
        String topic = TopicNames.unique("console-cut");
        browser.open("#/topics/" + topic);
        browser.waitForText("#stream-state", t -> t.equals("live"));
        List<Published> before = HubServer.publishMany(topic, 3, 1, i -> "{\"n\":" + i + "}");
        browser.waitForText("#live-count", t -> t.equals("3"));
        browser.find("#cut").click();
        browser.waitForText("#stream-state", t -> t.equals("cut"));
        List<Published> meanwhile = HubServer.publishMany(topic, 5, 1, i -> "{\"n\":" + (3 + i) + "}");
        browser.find("#resume").click();
        browser.waitForText("#stream-state", t -> t.equals("live"));
        List<Published> after = HubServer.publishMany(topic, 2, 1, i -> "{\"n\":" + (8 + i) + "}");
        browser.waitForText("#live-count", t -> t.equals("10"));
        assertEquals("0", browser.find("#duplicates").getText());
        Set<String> expected = new HashSet<>();
        for (List<Published> part : List.of(before, meanwhile, after)) {
            part.forEach(p -> expected.add(p.id()));
        }
        Set<String> shown = new HashSet<>();
        List<WebElement> lines = browser.findAll("#live-events li[data-id]");
        lines.forEach(li -> shown.add(li.getDomAttribute("data-id")));
        assertEquals(10, lines.size(), "one line per event");
        assertEquals(expected, shown);
        assertEquals(after.getLast().id(), browser.find("#cursor").getText(), "the cursor is the last event's id");
    }

    @Test
    void twoBrowserWindowsChat() {
        String room = HubServer.room("console");
        String first = browser.driver.getWindowHandle();
        browser.open("#/chat");
        joinAs(room, "alice");
        say("first words");
        browser.waitForText("#chat-messages", t -> t.contains("first words"));

        browser.driver.switchTo().newWindow(WindowType.WINDOW);
        String second = browser.driver.getWindowHandle();
        try {
            browser.open("#/chat");
            joinAs(room, "bob");
            browser.waitForText("#chat-messages", t -> t.contains("first words"));
            browser.waitForText("#chat-presence", t -> t.contains("alice") && t.contains("bob"));

            browser.driver.switchTo().window(first);
            browser.waitForText("#chat-presence", t -> t.contains("bob"));
            say("hello bob");
            browser.driver.switchTo().window(second);
            browser.waitForText("#chat-messages", t -> t.contains("hello bob"));
            browser.find("#chat-disconnect").click();
            browser.waitForText("#chat-state", t -> t.startsWith("Disconnected"));

            browser.driver.switchTo().window(first);
            browser.waitForText("#chat-presence", t -> !t.contains("bob"));
            say("while you were away");
            browser.waitForText("#chat-messages", t -> t.contains("while you were away"));

            browser.driver.switchTo().window(second);
            browser.find("#chat-reconnect").click();
            String shown = browser.waitForText("#chat-messages", t -> t.contains("while you were away"));
            assertEquals(1, count(shown, "hello bob"), "a reconnect brings what was missed, nothing twice: " + shown);
            browser.waitForText("#chat-presence", t -> t.contains("alice") && t.contains("bob"));
            browser.screenshot("chat");
        } finally {
            browser.driver.switchTo().window(second).close();
            browser.driver.switchTo().window(first);
        }
    }

    private static void joinAs(String room, String name) {
        browser.type("#chat-room", room);
        browser.type("#chat-name", name);
        browser.find("#chat-join-button").click();
        browser.waitForText("#chat-state", t -> t.startsWith("In room"));
    }

    private static void say(String text) {
        browser.type("#chat-text", text);
        browser.find("#chat-send").click();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void thePriceChartReceivesTicks() {
        browser.open("#/prices");
        browser.waitFor(d -> {
            String points = d.findElement(By.id("price-chart")).getDomAttribute("data-points");
            return points != null && Integer.parseInt(points) >= 3;
        });
        List<WebElement> rows = browser.findAll("#price-rows tr");
        assertTrue(rows.size() >= 1, "one line per symbol");
        Set<String> symbols = new HashSet<>();
        rows.forEach(r -> symbols.add(r.getDomAttribute("data-symbol")));
        assertEquals(rows.size(), symbols.size(), "no symbol twice");
        browser.screenshot("prices");
    }

    @Test
    void anIngestedLogLineAppearsInTheFollowedView() {
        String service = TopicNames.unique("console");
        browser.open("");
        browser.useToken(TOKEN);
        browser.waitForText("#notice", t -> t.contains("Token accepted"));
        HttpResponse<String> stored = HubServer.post("/api/logs", "application/x-ndjson",
                "{\"level\":\"info\",\"service\":\"" + service + "\",\"message\":\"stored before\"}\n");
        assertEquals(200, stored.statusCode(), stored.body());
        browser.open("#/logs");
        browser.type("#log-service", service);
        browser.find("#log-follow").click();
        browser.waitForText("#logs-state", t -> t.startsWith("Following"));
        browser.waitForText("#log-rows", t -> t.contains("stored before"));
        HttpResponse<String> r = HubServer.post("/api/logs", "application/x-ndjson",
                "{\"level\":\"error\",\"service\":\"" + service + "\",\"message\":\"followed <b>live</b>\"}\n");
        assertEquals(200, r.statusCode(), r.body());
        browser.waitForText("#log-rows", t -> t.contains("followed <b>live</b>"));
        assertEquals(2, browser.findAll("#log-rows tr").size(), "each entry once");
        browser.find("#log-export").click();
        browser.waitForText("#logs-state", t -> t.startsWith("Exported"));
        browser.screenshot("logs");
    }

    @Test
    void aTokenTheHubRefusesIsSaidSo() {
        browser.open("");
        browser.useToken("not.a.token");
        String notice = browser.waitForText("#notice", t -> t.contains("refused"));
        assertTrue(notice.contains("401"), notice);
        // The refused request is in the console as a failed load; that is the one error expected here.
        List<String> errors = browser.consoleErrors();
        assertTrue(errors.stream().allMatch(e -> e.contains("401")), "only the refused request: " + errors);
        browser.useToken("");
        browser.find("#token-clear").click();
        browser.waitForText("#notice", t -> t.contains("cleared"));
    }
}

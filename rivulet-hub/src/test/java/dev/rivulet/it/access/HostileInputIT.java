package dev.rivulet.it.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.RawHttp.Answer;
import dev.rivulet.it.RawHttp;
import dev.rivulet.it.ServerLog;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.ChatClient;
import dev.rivulet.it.logs.LogsApi;
import dev.rivulet.testing.Tokens;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile requests, sent over raw sockets where an HTTP client would clean them up: each ends in a
 * 4xx that says what was wrong (problem+json with a stable type wherever the application gets to
 * answer) and never a stack trace, a class name or the hostile input echoed back. Meanwhile an
 * ordinary subscriber, there from the start, misses nothing: after every attack one numbered event
 * is published to it, and at the end it must hold them all, in order.
 *
 * <p>Some requests Liberty refuses before the application runs, and answers itself: a path with an
 * encoded control character or a malformed escape (its CWWWC0005I page), a header or request line
 * over {@code http.max-header-bytes}, more than {@code http.max-headers} headers. Those tests check
 * what Liberty does: 400, the connection closed, nothing leaked.
 *
 * <p>Slow clients: a request that stops arriving is cut off {@code http.read.timeout} after its
 * last byte (5 s on the IT server), and while it trickles nobody else waits.
 */
class HostileInputIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    /** The IT server's httpOptions readTimeout (http.read.timeout). */
    private static final Duration READ_TIMEOUT = Duration.parse("PT" + System.getProperty("it.http.read-timeout", "5s"));
    /** How long after its last byte a stalled client may still hold its connection. */
    private static final Duration CUT_OFF_WITHIN = READ_TIMEOUT.plusSeconds(10);
    /** What no answer may contain: traces, class names, error pages of the platform. */
    private static final List<String> LEAKS = List.of("Exception", "at dev.", "at com.ibm", "at java.", "<html", "<H1>");
    /** rivulet.publish.max-bytes on the IT server (the default). */
    private static final int MAX_BYTES = 1 << 20;

    private static Bystander bystander;

    @BeforeAll
    static void openBystander() {
        bystander = new Bystander();
    }

    @AfterEach
    void markBetweenAttacks() {
        bystander.mark();
    }

    @AfterAll
    static void theHubKeptServingEveryoneElse() {
        try {
            HttpResponse<String> ready = HubServer.get("/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("UP", HubServer.json(ready.body()).asJsonObject().getString("status"));
            bystander.assertReceivedEveryMark();
        } finally {
            bystander.close();
        }
    }

    // --- tokens ---

    /** Tokens an attacker might try; each is refused as invalid, never taken as no token. */
    static Stream<String> hostileTokens() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String valid = Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET, Tokens.EVERYTHING);
        return Stream.of(
                Tokens.hs256("an-attackers-secret-just-as-long-as-ours", Tokens.EVERYTHING),
                Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET, "{\"exp\":" + (now - 600) + ",\"rivulet\":{\"publish\":[\"*\"]}}"),
                Tokens.unsigned(Tokens.EVERYTHING),
                Tokens.signed("RS256", rsa.generateKeyPair().getPrivate(), Tokens.EVERYTHING),
                valid.substring(0, valid.length() - 5),
                valid + "." + valid,
                "a".repeat(20_000),
                "eyJhbGciOiJIUzI1NiJ9.\u00e9t\u00e9.c2ln");
    }

    @ParameterizedTest
    @MethodSource("hostileTokens")
    void aForgedExpiredUnsignedWrongKeyOrMangledTokenIsA401ThatDoesNotEchoIt(String token) {
        Answer published = exchange(rawRequest("POST", "/api/topics/" + TopicNames.unique("hostile"),
                List.of("Content-Type: application/json", "Authorization: Bearer " + token), utf8("{}"), false));
        assertProblem(published, 401, "invalid-token", token);
        Answer subscribed = subscribe("/api/topics/" + TopicNames.unique("hostile"), "Authorization: Bearer " + token);
        assertProblem(subscribed, 401, "invalid-token", token);
    }

    // --- publish bodies ---

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\":1", "[1,2", "\"unterminated", "{\"a\":1}}", "nul", "{'a':1}", "",
        "{\"evil\":\"<script>alert(1)</script>\"", "\u0000"})
    void aMalformedOrTruncatedJsonBodyIsInvalidJson(String body) {
        Answer a = publish("/api/topics/" + TopicNames.unique("hostile"), "application/json", utf8(body));
        assertProblem(a, 400, "invalid-json", body.isEmpty() ? null : body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7b2261223a22fffe227d", "22c322", "22c0af22", "22eda0802200", "5b312cf8888080805d"})
    void aBodyThatIsNotUtf8IsInvalidJson(String hex) {
        Answer a = publish("/api/topics/" + TopicNames.unique("hostile"), "application/json", hex(hex));
        assertProblem(a, 400, "invalid-json", null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text/plain|hello",
        "application/x-www-form-urlencoded|a=1&b=2",
        "multipart/form-data; boundary=x|--x--",
        "|{\"a\":1}",
    })
    void aPublishThatIsNotJsonContentIs415(String contentType, String body) {
        Answer a = publish("/api/topics/" + TopicNames.unique("hostile"), contentType, utf8(body));
        assertProblem(a, 415, "unsupported-media-type", null);
    }

    @Test
    void aBodyPastTheLimitIs413WithALengthOrChunked() {
        byte[] tooLarge = utf8("\"" + "x".repeat(MAX_BYTES - 1) + "\"");
        assertProblem(publish("/api/topics/" + TopicNames.unique("hostile"), "application/json", tooLarge),
                413, "payload-too-large", null);
        assertProblem(exchange(rawRequest("POST", "/api/topics/" + TopicNames.unique("hostile"),
                List.of("Content-Type: application/json"), tooLarge, true)), 413, "payload-too-large", null);
    }

    // --- nesting ---

    /** JSON nested {@code depth} arrays deep: {@code [[[...]]]}. */
    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void jsonNestedDeeperThanTheParserAllowsIsA400WhereverJsonIsReadAndLeavesNoTrace() throws Exception {
        ServerLog log = ServerLog.mark();
        String topic = TopicNames.unique("hostile");

        Answer atLimit = publish("/api/topics/" + topic, "application/json", utf8(nested(1000)));
        assertEquals(200, atLimit.status(), "1,000 levels is the most JSON may nest: " + atLimit);
        for (int depth : new int[] {1001, 20_000}) {
            Answer deep = publish("/api/topics/" + topic, "application/json", utf8(nested(depth)));
            assertProblem(deep, 400, "invalid-json", null);
            assertTrue(HubServer.json(deep.body()).asJsonObject().getString("detail").contains("deeper than 1000"),
                    deep::toString);
        }

        String service = TopicNames.unique("hostile-logs");
        String line = "{\"level\":\"info\",\"service\":\"" + service + "\",\"message\":\"m\",\"x\":";
        HttpResponse<String> ingested = LogsApi.post(utf8(line + nested(999) + "}\n" + line + nested(20_000) + "}\n"),
                "application/x-ndjson", null);
        assertEquals(200, ingested.statusCode(), ingested.body());
        JsonObject result = HubServer.json(ingested.body()).asJsonObject();
        assertEquals(1, result.getInt("accepted"), ingested.body());
        JsonObject rejected = result.getJsonArray("rejected").getJsonObject(0);
        assertEquals(2, rejected.getInt("line"));
        assertTrue(rejected.getString("error").contains("deeper than 1000"), ingested.body());

        // Just past the limit: a header of 20,000 levels would pass Liberty's header size limit first.
        String token = Tokens.hmac("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"x\":" + nested(1001) + "}",
                AccessConfig.DEVELOPMENT_SECRET.getBytes(StandardCharsets.UTF_8));
        assertProblem(subscribe("/api/topics/" + topic, "Authorization: Bearer " + token), 401, "invalid-token", null);

        try (ChatClient<JsonObject> member = ChatClient.connect("/ws/chat/" + HubServer.room("nesting") + "?name=deep")) {
            member.send("{\"type\":\"message\",\"text\":" + nested(20_000) + "}");
            JsonObject error = member.await(ChatClient.type("error"));
            assertEquals("invalid-json", error.getString("code"), error::toString);
            assertTrue(error.getString("message").contains("deeper than 1000"), error::toString);
            member.say("still here");
            member.await(ChatClient.messageWithText("still here"));
        }

        log.assertNoStackTrace();
    }

    // --- log ingest ---

    @Test
    void eachBadLogLineIsRejectedByItsNumberWithoutEchoingIt() {
        String service = TopicNames.unique("hostile-logs");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8(LogsApi.line(service, "info", "kept", "")));
        body.writeBytes(utf8("{\"level\":\"info\",\"service\":\n"));
        body.writeBytes(utf8("{\"level\":\"info\",\"service\":\"" + service + "\",\"message\":\""));
        body.writeBytes(hex("fffe"));
        body.writeBytes(utf8("\"}\n"));
        body.writeBytes(utf8("<script>alert(1)</script>\n"));
        body.writeBytes(utf8("{\"level\":\"info\",\"service\":\"../../etc\",\"message\":\"m\"}\n"));
        body.writeBytes(utf8("{\"level\":\"info\",\"service\":\"" + service + "\",\"message\":\"m\"}}\n"));
        body.writeBytes(utf8("\u0000\u0001\u0002\n"));
        HttpResponse<String> answer = LogsApi.post(body.toByteArray(), "application/x-ndjson", null);

        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject result = HubServer.json(answer.body()).asJsonObject();
        assertEquals(1, result.getInt("accepted"));
        List<Long> lines = new ArrayList<>();
        for (var r : result.getJsonArray("rejected")) {
            lines.add(r.asJsonObject().getJsonNumber("line").longValue());
        }
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), lines);
        assertNoLeak(answer.body(), "<script", "../../etc", "\u0000");
    }

    @Test
    void aLogBodyThatIsNotNdjsonOrIsCutOffIsAProblem() {
        byte[] line = utf8(LogsApi.line("x", "info", "m", ""));
        assertProblem(answer(LogsApi.post(line, "text/plain", null)), 415, "unsupported-media-type", null);
        assertProblem(answer(LogsApi.post(line, "application/x-www-form-urlencoded", null)), 415, "unsupported-media-type", null);
        assertProblem(answer(LogsApi.post(utf8("<script>"), "application/x-ndjson", "gzip")), 400, "invalid-body", "<script>");
    }

    @Test
    void aGzipBodyCutOffMidwayKeepsItsWholeLinesAndRejectsTheCutOne() {
        String service = TopicNames.unique("hostile-gzip");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            lines.append(LogsApi.line(service, "info", "line " + i + " " + TopicNames.unique("x"), ""));
        }
        byte[] gzip = LogsApi.gzip(lines.toString());
        HttpResponse<String> answer = LogsApi.post(Arrays.copyOf(gzip, gzip.length / 2), "application/x-ndjson", "gzip");
        if (answer.statusCode() == 200) {
            // Liberty ends a cut-off gzip body quietly: the lines that arrived whole are stored and
            // the broken last one is rejected by its number.
            JsonObject result = HubServer.json(answer.body()).asJsonObject();
            assertTrue(result.getInt("accepted") > 0 && result.getInt("accepted") < 2000, answer.body());
            assertTrue(result.getInt("rejected_count") <= 1, answer.body());
        } else {
            assertProblem(answer, 400, "invalid-body", null);
        }
        assertNoLeak(answer.body());
    }

    // --- paths ---

    @ParameterizedTest
    @ValueSource(strings = {"a%0Ab", "a%0D%0Aevent:%20evil", "a%00b", "a%zz", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc"})
    void aPathLibertyCannotDecodeIsRefusedByLibertyWith400(String topic) {
        for (Answer a : List.of(subscribe("/api/topics/" + topic, null),
                publish("/api/topics/" + topic, "application/json", utf8("{}")))) {
            assertRefusedByLiberty(a, topic);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%2Fb", "%2e%2e", "a/%2e%2e/b", "a%5Cb"})
    void anEncodedSlashOrDotInThePathIsABadRequest(String topic) {
        assertProblem(subscribe("/api/topics/" + topic, null), 400, "bad-request", topic);
        assertProblem(publish("/api/topics/" + topic, "application/json", utf8("{}")), 400, "bad-request", topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/../b", "./a", "a/.", "chat/../admin"})
    void aTopicWithADotSegmentIsRefused(String topic) {
        assertProblem(subscribe("/api/topics/" + topic, null), 400, "invalid-selector", null);
        assertProblem(publish("/api/topics/" + topic, "application/json", utf8("{}")), 400, "invalid-topic", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%FF", "a%C3%28", "a%ED%A0%80"})
    void aTopicThatIsNotUtf8IsRefused(String topic) {
        assertProblem(subscribe("/api/topics/" + topic, null), 400, "invalid-selector", topic);
        Answer published = publish("/api/topics/" + topic, "application/json", utf8("{}"));
        assertEquals(400, published.status(), published::toString);
        assertProblem(published, 400, slug(published), topic);
    }

    @Test
    void anOverlongTopicIsRefused() {
        String topic = "t".repeat(1025);
        assertProblem(subscribe("/api/topics/" + topic, null), 400, "invalid-selector", topic);
        assertProblem(publish("/api/topics/" + topic, "application/json", utf8("{}")), 400, "invalid-topic", topic);
        assertProblem(subscribe("/api/subscribe?topic=" + topic, null), 400, "invalid-selector", topic);
    }

    // --- query parameters and ids ---

    @ParameterizedTest
    @ValueSource(strings = {"%0D%0Aevent:%20evil", "a%00", "a%0Ab", "%FF", "a%C3%28", "open"})
    void aHostileEventTypeIsRefused(String type) {
        assertProblem(publish("/api/topics/" + TopicNames.unique("hostile") + "?type=" + type, "application/json",
                utf8("{}")), 400, "invalid-type", "evil");
    }

    @Test
    void anOverlongEventTypeIsRefused() {
        String type = "t".repeat(129);
        assertProblem(publish("/api/topics/" + TopicNames.unique("hostile") + "?type=" + type, "application/json",
                utf8("{}")), 400, "invalid-type", type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%0Ab", "%FF", "a%C3%28", "..", "a/../b", "%00"})
    void aHostileSelectorIsRefused(String selector) {
        assertProblem(subscribe("/api/subscribe?topic=" + selector, null), 400, "invalid-selector", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1%0D%0Aevent:%20evil", "1%00", "%0A", "1%FF",
        "99999999999999999999999999999999999999999999999999999999999999999"})
    void aHostileSinceIsAnInvalidId(String since) {
        assertProblem(subscribe("/api/topics/" + TopicNames.unique("hostile") + "?since=" + since, null),
                400, "invalid-id", "evil");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1\u0001event: evil", "\u0000", "1\u007f",
        "99999999999999999999999999999999999999999999999999999999999999999"})
    void aHostileLastEventIdIsAnInvalidId(String id) {
        assertProblem(subscribe("/api/topics/" + TopicNames.unique("hostile"), "Last-Event-ID: " + id),
                400, "invalid-id", "evil");
    }

    @Test
    void aQueryThatIsNotPercentEncodedIsAnInvalidParameter() {
        assertProblem(subscribe("/api/topics/" + TopicNames.unique("hostile") + "?since=%zz", null),
                400, "invalid-parameter", "%zz");
    }

    @Test
    void moreQueryParametersThanAnyRequestNeedsAreRefused() {
        String many = "&a".repeat(1500);
        assertProblem(subscribe("/api/subscribe?topic=x" + many, null), 400, "too-many-parameters", null);
        assertProblem(subscribe("/api/topics/" + TopicNames.unique("hostile") + "?since=1" + many, null),
                400, "too-many-parameters", null);
        assertProblem(publish("/api/topics/" + TopicNames.unique("hostile") + "?type=t" + many, "application/json",
                utf8("{}")), 400, "too-many-parameters", null);
    }

    @Test
    void twentyThousandParametersOverflowTheRequestLineAndLibertyRefusesThem() {
        StringBuilder topics = new StringBuilder("topic=t0");
        StringBuilder types = new StringBuilder("type=t0");
        for (int i = 1; i < 20_000; i++) {
            topics.append("&topic=t").append(i);
            types.append("&type=t").append(i);
        }
        assertRefusedByLiberty(subscribe("/api/subscribe?" + topics, null), null);
        assertRefusedByLiberty(publish("/api/topics/" + TopicNames.unique("hostile") + "?" + types, "application/json",
                utf8("{}")), null);
    }

    // --- headers ---

    @Test
    void oneHugeHeaderIsRefusedByLiberty() {
        String huge = "X-Huge: " + "a".repeat(40_000);
        assertRefusedByLiberty(exchange(rawRequest("GET", "/api/topics", List.of(huge), null, false)), null);
        assertRefusedByLiberty(exchange(rawRequest("POST", "/api/topics/" + TopicNames.unique("hostile"),
                List.of("Content-Type: application/json", huge), utf8("{}"), false)), null);
    }

    @Test
    void tooManyHeadersAreRefusedByLiberty() {
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            headers.add("X-Header-" + i + ": v");
        }
        assertRefusedByLiberty(exchange(rawRequest("GET", "/api/topics", headers, null, false)), null);
    }

    // --- slow clients ---

    @Test
    void clientsTricklingTheirHeadersHoldUpNobodyAndAreCutOffAfterTheReadTimeout() throws Exception {
        byte[] request = rawRequest("GET", "/api/topics", List.of("X-Slow: " + "a".repeat(100)), null, false);
        List<Socket> tricklers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = connect();
                s.getOutputStream().write(request, 0, 10);
                tricklers.add(s);
            }
            Socket slowest = tricklers.get(0);
            long lastByte = 0;
            for (int i = 10; i < 30; i++) {
                slowest.getOutputStream().write(request[i]);
                slowest.getOutputStream().flush();
                lastByte = System.nanoTime();
                if (i == 20) {
                    long start = System.nanoTime();
                    HttpResponse<String> topics = HubServer.get("/api/topics");
                    assertEquals(200, topics.statusCode(), topics.body());
                    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0,
                            "an ordinary request is answered at once while 50 clients trickle");
                    bystander.mark();
                }
                Thread.sleep(200); // the trickle itself: one byte every 200 ms, as a slowloris client sends
            }
            // Now it sends nothing more: within the read timeout of its last byte it is cut off.
            slowest.setSoTimeout((int) CUT_OFF_WITHIN.toMillis());
            Answer a = RawHttp.read(slowest.getInputStream());
            Duration took = Duration.ofNanos(System.nanoTime() - lastByte);
            assertCutOff(a);
            assertTrue(took.compareTo(CUT_OFF_WITHIN) <= 0, () -> "cut off only after " + took);
            for (Socket s : tricklers.subList(1, tricklers.size())) {
                s.setSoTimeout((int) CUT_OFF_WITHIN.toMillis());
                assertCutOff(RawHttp.read(s.getInputStream()));
            }
        } finally {
            for (Socket s : tricklers) {
                s.close();
            }
        }
    }

    @Test
    void aPublishWhoseBodyStallsIsCutOffWith408() {
        byte[] request = rawRequest("POST", "/api/topics/" + TopicNames.unique("hostile"),
                List.of("Content-Type: application/json"), utf8("{\"a\":1}"), false);
        long start = System.nanoTime();
        Answer a = RawHttp.exchange(Arrays.copyOf(request, request.length - 3), CUT_OFF_WITHIN);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertProblem(a, 408, "request-timeout", null);
        assertTrue(took.compareTo(READ_TIMEOUT) >= 0, () -> "cut off after " + took + ", before the read timeout");
    }

    @Test
    void aPublishDeclaringAHugeLengthIsRefusedAsTooLarge() {
        byte[] head = rawRequest("POST", "/api/topics/" + TopicNames.unique("hostile"),
                List.of("Content-Type: application/json", "Content-Length: 99999999999"), null, false);
        byte[] request = Arrays.copyOf(head, head.length + 2);
        request[head.length] = '{';
        request[head.length + 1] = '}';
        // The length is judged before the body is read; Liberty then holds the connection open for
        // the body it was promised, until the read timeout, before it closes it.
        Answer a = RawHttp.exchange(request, CUT_OFF_WITHIN);
        assertProblem(a, 413, "payload-too-large", null);
    }

    private static void assertCutOff(Answer a) {
        assertTrue(a.status() == 0 || a.status() == 408, () -> "expected 408 or a closed connection: " + a);
        assertTrue(a.closed(), "the connection is closed");
        assertNoLeak(a.body());
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(HubServer.HOST, HubServer.port()), 10_000);
        return s;
    }

    // --- requests ---

    /** GET a stream path (SSE) with one extra header line when it is not null. */
    private static Answer subscribe(String target, String header) {
        List<String> headers = new ArrayList<>(List.of("Accept: text/event-stream"));
        if (header != null) {
            headers.add(header);
        }
        return exchange(rawRequest("GET", target, headers, null, false));
    }

    /** POST a hostile publish; {@code contentType} null sends none. */
    private static Answer publish(String target, String contentType, byte[] body) {
        return exchange(rawRequest("POST", target,
                contentType == null ? List.of() : List.of("Content-Type: " + contentType), body, false));
    }

    /**
     * Every raw request of this suite is built here, so whatever a request must carry to be
     * admitted at all (a publisher's credentials) is added in this one place. {@code headers} are
     * whole header lines; {@code chunked} sends the body with Transfer-Encoding: chunked.
     */
    private static byte[] rawRequest(String method, String target, List<String> headers, byte[] body, boolean chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(HubServer.HOST).append(':').append(HubServer.port()).append("\r\n")
                .append("Connection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (headers.stream().noneMatch(h -> h.regionMatches(true, 0, "Authorization:", 0, 14))) {
            head.append("Authorization: ").append(HubServer.AUTHORIZATION).append("\r\n");
        }
        if (body != null && chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null && chunked) {
            for (int i = 0; i < body.length; i += 64 * 1024) {
                int n = Math.min(64 * 1024, body.length - i);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, i, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static Answer exchange(byte[] request) {
        return RawHttp.exchange(request, WITHIN);
    }

    // --- assertions ---

    /** The slug of the problem in an answer, for a case whose slug depends on the layer that refuses it. */
    private static String slug(Answer a) {
        assertTrue(a.isProblem(), () -> "not problem+json: " + a);
        return HubServer.json(a.body()).asJsonObject().getString("type").replace("urn:rivulet:problem:", "");
    }

    private static void assertProblem(Answer a, int status, String slug, String rawInput) {
        assertEquals(status, a.status(), a::toString);
        assertTrue(a.isProblem(), () -> "not problem+json: " + a);
        JsonObject problem = HubServer.json(a.body()).asJsonObject();
        assertEquals("urn:rivulet:problem:" + slug, problem.getString("type"), a::toString);
        assertEquals(status, problem.getInt("status"));
        assertFalse(problem.getString("detail").isBlank());
        assertNoLeak(a.body(), rawInput);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String slug, String rawInput) {
        assertProblem(answer(r), status, slug, rawInput);
    }

    private static Answer answer(HttpResponse<String> r) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        return new Answer(r.statusCode(), headers, r.body(), false);
    }

    /**
     * Liberty's own refusal, before the application runs: 400 and the connection closed, with no
     * trace or class name and nothing of the input raw (Liberty's page HTML-escapes the path).
     */
    private static void assertRefusedByLiberty(Answer a, String rawInput) {
        assertEquals(400, a.status(), a::toString);
        assertTrue(a.closed(), "Liberty closes the connection after refusing a request it could not parse");
        for (String leak : List.of("Exception", "at dev.", "at com.ibm", "at java.", "\r", "\n", "\u0000")) {
            assertFalse(a.body().contains(leak), () -> "the refusal leaks '" + leak + "': " + a);
        }
        if (rawInput != null) {
            assertFalse(a.body().contains(rawInput), () -> "the refusal echoes the raw input: " + a);
        }
    }

    private static void assertNoLeak(String body, String... rawInputs) {
        for (String leak : LEAKS) {
            assertFalse(body.contains(leak), () -> "the answer leaks '" + leak + "': " + body);
        }
        for (String raw : rawInputs) {
            if (raw != null && !raw.isEmpty()) {
                assertFalse(body.contains(raw), () -> "the answer echoes the raw input '" + raw + "': " + body);
            }
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}

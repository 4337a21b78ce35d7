package dev.rivulet.gate;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The keys of an identity provider's JWK set ({@code rivulet.jwt.jwks-uri}), cached. A token
 * chooses its key by {@code kid}. A {@code kid} the set does not hold makes the set be fetched
 * again, at most once per refresh interval however many tokens name unknown keys, and the token
 * waits for that fetch (at most {@link #ANSWER_WITHIN}, 3 s); the owner also fetches at startup and
 * then every interval ({@link #nextFetchIn}), so keys the provider drops go within one.
 *
 * <p>A fetch that fails (the provider is unreachable, answers an error, or sends no usable key)
 * keeps the last good set. A fetch connects within {@link #CONNECT_WITHIN} (2 s) and has its whole
 * answer within {@link #ANSWER_WITHIN} (3 s), of at most {@link #MAX_BYTES} (1 MiB); one fetch at a
 * time runs, on the HTTP client's threads, never on the caller's.
 * Keys are bound to their algorithm as configured keys are (see {@link TokenKey#fromJwk}).
 */
public final class JwksKeys implements AutoCloseable {

    static final Duration CONNECT_WITHIN = Duration.ofSeconds(2);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);
    /** After a failed fetch the next comes sooner than the interval, but not sooner than this. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    /** Real JWK sets are a few kilobytes. */
    static final int MAX_BYTES = 1 << 20;

    private static final Logger LOG = Logger.getLogger(JwksKeys.class.getName());

    private final URI uri;
    private final Duration refresh;
    private final Clock clock;
    private final HttpClient http;

    /** The last good set; empty until one was loaded. */
    private volatile List<TokenKey> keys = List.of();
    private volatile boolean loaded;
    private volatile String lastProblem = "not fetched yet";
    private volatile boolean lastFailed;

    // Guarded by this.
    private CompletableFuture<Void> underWay;
    private Instant lastUnknownKeyFetch;

    public JwksKeys(URI uri, Duration refresh, Clock clock) {
        this.uri = uri;
        this.refresh = refresh;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_WITHIN)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * The keys of algorithm {@code algorithm} and key id {@code kid} (null matches keys without
     * one). When the set holds no key of that id, it is fetched again first, unless a fetch for
     * an unknown key started less than one refresh interval ago; the caller waits for it until
     * the fetch's own deadline ({@link #ANSWER_WITHIN}) has passed, no longer.
     */
    List<TokenKey> keys(String algorithm, String kid) {
        List<TokenKey> found = matching(algorithm, kid);
        if (!found.isEmpty() || kid == null || known(kid)) {
            return found;
        }
        CompletableFuture<Void> fetch = fetchForUnknownKey();
        if (fetch == null) {
            return found;
        }
        try {
            // A little past the fetch's own deadline, which so always ends the wait first.
            fetch.get(ANSWER_WITHIN.plusMillis(500).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The fetch says why in the log and in problem(); the token is refused meanwhile.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return matching(algorithm, kid);
    }

    private List<TokenKey> matching(String algorithm, String kid) {
        List<TokenKey> out = new ArrayList<>(1);
        for (TokenKey k : keys) {
            if (k.algorithm().equals(algorithm) && Objects.equals(k.keyId(), kid)) {
                out.add(k);
            }
        }
        return out;
    }

    private boolean known(String kid) {
        for (TokenKey k : keys) {
            if (kid.equals(k.keyId())) {
                return true;
            }
        }
        return false;
    }

    private synchronized CompletableFuture<Void> fetchForUnknownKey() {
        Instant now = clock.instant();
        if (lastUnknownKeyFetch != null && now.isBefore(lastUnknownKeyFetch.plus(refresh))) {
            return underWay != null && !underWay.isDone() ? underWay : null;
        }
        lastUnknownKeyFetch = now;
        return fetch();
    }

    /**
     * Fetches the set now, or joins the fetch under way. The future completes when the set is
     * replaced, or exceptionally when the fetch failed and the last good set stays.
     */
    public synchronized CompletableFuture<Void> fetch() {
        if (underWay != null && !underWay.isDone()) {
            return underWay;
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(ANSWER_WITHIN)
                .header("Accept", "application/json, application/jwk-set+json")
                .GET()
                .build();
        CompletableFuture<Void> fetch;
        try {
            CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> new Limited(MAX_BYTES));
            fetch = exchange.copy()
                    .orTimeout(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((response, failure) -> {
                        if (failure != null) {
                            exchange.cancel(true); // a body still trickling in: abort it
                        }
                    })
                    .thenAccept(this::accept);
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        underWay = fetch.whenComplete((done, failure) -> {
            if (failure != null) {
                failed(cause(failure));
            }
        });
        return underWay;
    }

    private void accept(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new FetchFailed("the provider answered HTTP " + response.statusCode());
        }
        JWKSet set;
        try {
            set = JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new FetchFailed("the answer is not a JWK set");
        }
        List<TokenKey> usable = new ArrayList<>();
        int skipped = 0;
        for (JWK jwk : set.getKeys()) {
            Optional<TokenKey> key = TokenKey.fromJwk(jwk);
            key.ifPresent(usable::add);
            skipped += key.isEmpty() ? 1 : 0;
        }
        if (usable.isEmpty()) {
            throw new FetchFailed("the set holds no RS256 or ES256 signing key (" + skipped + " other keys)");
        }
        List<String> before = keyIds(keys);
        keys = List.copyOf(usable);
        loaded = true;
        lastFailed = false;
        lastProblem = null;
        List<String> after = keyIds(keys);
        if (!after.equals(before)) {
            LOG.info("Token keys from " + uri + ": " + after
                    + (skipped > 0 ? " (" + skipped + " keys of other kinds or uses skipped)" : ""));
        }
    }

    /** What made a fetch fail: past the wrapping of futures, and a refusal of ours wherever it is in the chain. */
    private static Throwable cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FetchFailed) {
                return t;
            }
        }
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void failed(Throwable failure) {
        String why = switch (failure) {
            case FetchFailed f -> f.getMessage();
            case HttpConnectTimeoutException t -> "cannot connect within " + CONNECT_WITHIN.toMillis() + " ms";
            case TimeoutException t -> "no answer within " + ANSWER_WITHIN.toMillis() + " ms";
            case HttpTimeoutException t -> "no answer within " + ANSWER_WITHIN.toMillis() + " ms";
            default -> "cannot reach the provider (" + failure.getClass().getSimpleName() + ")";
        };
        lastProblem = why;
        lastFailed = true;
        LOG.log(Level.WARNING, "Cannot fetch the token keys from " + uri + ": " + why
                + (loaded ? "; the last keys fetched stay in use" : "; no token signed by the provider verifies until a fetch succeeds"));
    }

    private static List<String> keyIds(List<TokenKey> keys) {
        return keys.stream().map(k -> k.keyId() + " " + k.algorithm()).sorted().toList();
    }

    /** How long until the owner's next fetch: the refresh interval, or less after a failed fetch. */
    public Duration nextFetchIn() {
        return lastFailed && RETRY_AFTER_FAILURE.compareTo(refresh) < 0 ? RETRY_AFTER_FAILURE : refresh;
    }

    /** True once a set was loaded; it stays in use whatever later fetches do. */
    public boolean loaded() {
        return loaded;
    }

    /** Empty once a key set was loaded; else why none was, without secrets. */
    public Optional<String> problem() {
        return loaded ? Optional.empty() : Optional.of("no key set loaded yet: " + lastProblem);
    }

    /** The keys in use now. */
    List<TokenKey> keys() {
        return keys;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private static final class FetchFailed extends RuntimeException {
        FetchFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** A body of at most {@code max} bytes; a longer one fails the fetch as soon as it passes the limit. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {

        private final int max;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > max) {
                    subscription.cancel();
                    body.completeExceptionally(new FetchFailed("the answer is longer than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}

package dev.rivulet.mercure;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Caller;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.PublishLimiter;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.PayloadTooLargeException;
import dev.rivulet.hub.Published;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.stream.EventStreams;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.Problem;
import dev.rivulet.web.QueryString;
import dev.rivulet.web.Refusals;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Mercure hub endpoint, {@code /.well-known/mercure}: {@code GET} subscribes (SSE, on the same
 * connections, queues and limits as every stream of the hub), {@code POST} publishes a form. The
 * access filter has read the token already, from where Mercure clients send it.
 */
public class MercureServlet extends HttpServlet {

    private static final MercureEncoder ENCODER = new MercureEncoder();
    static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    Hub hub;

    @Inject
    HubConfig config;

    @Inject
    EventStreams streams;

    @Inject
    PublishLimiter limiter;

    @Inject
    Credentials credentials;

    @Inject
    Refusals refusals;

    @Inject
    MercureSubscriptions subscriptions;

    @Inject
    MercureSubscriptionsApi api;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!isHubPath(request)) {
                api.serve(request, response);
                return;
            }
            QueryString.parameters(request);
            String[] topics = request.getParameterValues("topic");
            if (topics == null || topics.length == 0) {
                throw new InvalidInputException("invalid-selector", "name at least one topic: /.well-known/mercure?topic=...");
            }
            List<TopicSelector> selectors = new ArrayList<>(topics.length);
            for (String t : topics) {
                selectors.add(TopicSelector.parse(t));
            }
            // The header takes precedence over the query parameter, as the spec says.
            String lastEventId = request.getHeader("Last-Event-ID");
            if (lastEventId == null) {
                lastEventId = request.getParameter("lastEventID");
            }
            Grant grant = Credentials.grantOf(request);
            credentials.checkSubscribe(grant, selectors);
            MercureResume resume = MercureResume.of(hub, selectors, lastEventId);
            boolean tokenInQuery = QueryString.first(request, Credentials.MERCURE_QUERY_PARAMETER) != null;
            streams.open(request, response, selectors, grant, resume.cursor(), null, ENCODER, (subscriber, r) -> {
                AsyncListener announced = subscriptions.connected(grant, selectors);
                if (announced != null) {
                    request.getAsyncContext().addListener(announced);
                }
                String header = resume.header(subscriber);
                if (header != null) {
                    r.setHeader("Last-Event-ID", header);
                }
                if (tokenInQuery) {
                    r.setHeader("Cache-Control", "private, no-cache");
                }
            });
        } catch (RuntimeException e) {
            refusals.write(response, e);
        }
    }

    /** A HEAD would open a stream with no body to write it to: only GET subscribes. */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "GET, POST, OPTIONS");
        refusals.write(response, new Problem(405, "method-not-allowed", "Method not allowed",
                "subscribe with GET, publish with POST"));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!isHubPath(request)) {
                refusals.write(response, new Problem(405, "method-not-allowed", "Method not allowed",
                        "only /.well-known/mercure takes a publish"));
                return;
            }
            Grant grant = Credentials.grantOf(request);
            if (!grant.authenticated()) {
                throw AccessDenied.tokenRequired("publishing needs a token whose mercure.publish claim covers every topic");
            }
            String type = request.getContentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals(FORM)) {
                refusals.write(response, new Problem(415, "unsupported-media-type", "Unsupported media type",
                        "a Mercure publish is a form: Content-Type: " + FORM));
                return;
            }
            limiter.admit(Caller.key(grant, request.getRemoteAddr()));
            // Percent-encoding at most triples the data; the other fields are small beside it.
            long max = config.publishMaxBytes() * 3L + 65_536;
            if (request.getContentLengthLong() > max) {
                throw new PayloadTooLargeException(config.publishMaxBytes());
            }
            MercureUpdate update = MercureUpdate.of(MercureForm.parse(read(request.getInputStream(), max,
                    config.publishMaxBytes())));
            update.checkPublish(grant);
            // The hub checks the size of the data as stored: one JSON string, quotes and escapes included.
            Published published = hub.publish(update.draft());
            response.setStatus(200);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(MercureId.of(published.event()));
        } catch (RuntimeException e) {
            refusals.write(response, e);
        } catch (IOException e) {
            Problem problem = refusals.problemFor(e);
            if (!response.isCommitted()) {
                problem.write(response);
            }
        }
    }

    private static boolean isHubPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(Credentials.MERCURE_PATH);
    }

    /** Reads the form, at most {@code max} bytes: a form larger than that holds data over {@code dataMax}. */
    private static byte[] read(InputStream in, long max, long dataMax) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        for (int n; (n = in.read(chunk)) != -1; ) {
            if (body.size() + (long) n > max) {
                throw new PayloadTooLargeException(dataMax);
            }
            body.write(chunk, 0, n);
        }
        return body.toByteArray();
    }
}

package dev.rivulet.topics;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Caller;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.PublishLimiter;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Utf8;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.PayloadTooLargeException;
import dev.rivulet.hub.Published;
import dev.rivulet.hub.TopicInfo;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.stream.NdjsonEncoder;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.QueryString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Publishing, the topic list and a topic's retained history. Subscribing at
 * {@code GET /api/topics/{topic}} is served by the stream filter, which holds no thread per client.
 */
@Path("/topics")
@ApplicationScoped
public class TopicResource {

    @Inject
    Hub hub;

    @Inject
    HubConfig config;

    @Inject
    PublishLimiter limiter;

    @Inject
    Credentials credentials;

    @POST
    @Path("{topic: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject publish(@PathParam("topic") String topic, @QueryParam("type") String type,
                              @QueryParam("private") String privateFlag, InputStream body,
                              @Context HttpServletRequest request) throws IOException {
        Grant grant = Credentials.grantOf(request);
        grant.checkPublish(topic);
        boolean privateEvent = QueryString.flag("private", privateFlag);
        // Before the body is read: a publisher over its rate, or one that announces too large a
        // body, costs the node as little as possible.
        limiter.admit(Caller.key(grant, request.getRemoteAddr()));
        if (request.getContentLengthLong() > config.publishMaxBytes()) {
            throw new PayloadTooLargeException(config.publishMaxBytes());
        }
        Published published = hub.publish(topic, type, readUtf8(body, config.publishMaxBytes()), privateEvent);
        return Json.createObjectBuilder()
                .add("id", published.event().id().toString())
                .add("topic", published.event().topic())
                .add("type", published.event().type())
                .add("delivered_to", published.deliveredTo())
                .add("nodes", published.nodes())
                .build();
    }

    /** The topics the caller's token may read (its subscribe claim); a list of every topic would tell too much. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject list(@Context HttpServletRequest request) {
        Grant grant = Credentials.grantOf(request);
        if (!grant.authenticated()) {
            throw AccessDenied.tokenRequired("listing topics needs a token; the list shows the topics its subscribe claim covers");
        }
        JsonArrayBuilder topics = Json.createArrayBuilder();
        for (TopicInfo t : hub.topics()) {
            if (!grant.mayRead(t.topic())) {
                continue;
            }
            JsonObjectBuilder o = Json.createObjectBuilder()
                    .add("topic", t.topic())
                    .add("subscribers", t.subscribers())
                    .add("retained", t.retained());
            if (t.lastId() == null) {
                o.addNull("last_id");
            } else {
                o.add("last_id", t.lastId().toString());
            }
            topics.add(o);
        }
        return Json.createObjectBuilder().add("topics", topics).build();
    }

    /** Retained events after {@code since} as NDJSON; the stream then ends. */
    @GET
    @Path("{topic: .+}/history")
    @Produces(NdjsonEncoder.MEDIA_TYPE)
    public Response history(@PathParam("topic") String topic, @QueryParam("since") String since,
                            @QueryParam("limit") String limit, @Context HttpServletRequest request) {
        Grant grant = Credentials.grantOf(request);
        credentials.checkSubscribe(grant, List.of(TopicSelector.parse(topic)));
        List<Outbound> events = hub.history(topic, grant.subscribe(), since, parseLimit(limit));
        StreamingOutput body = out -> {
            for (Outbound o : events) {
                out.write(NdjsonEncoder.line(o));
            }
        };
        return Response.ok(body, NdjsonEncoder.MEDIA_TYPE).header("Cache-Control", "no-cache").build();
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("invalid-limit", "limit must be a whole number of at least 0");
    }

    /** Reads the body as UTF-8, refusing it as soon as it passes {@code max} bytes. */
    private static String readUtf8(InputStream in, long max) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            if (buffer.size() + (long) n > max) {
                throw new PayloadTooLargeException(max);
            }
            buffer.write(chunk, 0, n);
        }
        return Utf8.decode(buffer.toByteArray(), "invalid-json", "event data is not valid UTF-8");
    }
}

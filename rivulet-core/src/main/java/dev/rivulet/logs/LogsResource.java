package dev.rivulet.logs;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Grant;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.Problem;
import dev.rivulet.web.Refusals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/logs}: NDJSON log lines in, stored and published as they are read. The answer
 * counts what was stored and names each rejected line. Reading logs, {@code GET /api/logs}, is
 * served by {@link LogStreamFilter}.
 */
@Path("/logs")
@ApplicationScoped
public class LogsResource {

    private static final Logger LOG = Logger.getLogger(LogsResource.class.getName());
    /** NDJSON under the names log shippers send it with. */
    private static final Set<String> BODY_TYPES = Set.of("application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/x-jsonlines", "application/json");

    @Inject
    LogIngest ingest;

    @Inject
    Refusals refusals;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response ingest(@HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Content-Encoding") String contentEncoding, InputStream body,
                           @Context HttpServletRequest request) {
        Grant grant = Credentials.grantOf(request);
        if (!grant.authenticated()) {
            throw AccessDenied.tokenRequired("sending logs needs a token whose publish claim covers logs/{service}");
        }
        if (contentType != null && !BODY_TYPES.contains(baseType(contentType))) {
            return refusals.response(new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "send log lines as application/x-ndjson, one JSON object a line"));
        }
        if (!decodable(contentEncoding)) {
            return refusals.response(new Problem(415, "unsupported-encoding", "Unsupported media type",
                    "Content-Encoding may be gzip, deflate or identity"));
        }
        LogIngest.Result result;
        try {
            result = ingest.ingest(body, grant::mayPublish);
        } catch (LogIngest.Interrupted e) {
            Problem problem = interrupted(e);
            return e.storeFailed() ? problem.toResponse() : refusals.response(problem);
        }
        JsonArrayBuilder rejected = Json.createArrayBuilder();
        for (LogIngest.Rejection r : result.rejected()) {
            rejected.add(Json.createObjectBuilder().add("line", r.line()).add("error", r.error()));
        }
        return Response.ok(Json.createObjectBuilder()
                .add("accepted", result.accepted())
                .add("rejected", rejected)
                .add("rejected_count", result.rejectedCount())
                .build(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * True for the codings Liberty's HTTP channel removes before the application reads the body
     * ({@code httpOptions autoDecompression}, on in server.xml), so the body arrives as NDJSON.
     */
    private static boolean decodable(String contentEncoding) {
        if (contentEncoding == null) {
            return true;
        }
        return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
            case "", "identity", "gzip", "x-gzip", "deflate" -> true;
            default -> false;
        };
    }

    private static Problem interrupted(LogIngest.Interrupted e) {
        String stored = e.line() <= 1 ? "nothing was stored"
                : e.accepted() + " entries from the lines before line " + e.line() + " were stored";
        if (e.storeFailed()) {
            LOG.log(Level.WARNING, "Log ingest failed at line " + e.line(), e.getCause());
            return new Problem(503, "store-unavailable", "Service unavailable",
                    "the log store failed; " + stored + ". Send the lines from line " + e.line() + " on again later");
        }
        return Problem.badRequest("invalid-body", (e.line() <= 1 ? "the body could not be read"
                : "the body could not be read after line " + (e.line() - 1)) + " (cut off, or not in the coding Content-Encoding names); " + stored);
    }

    private static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}

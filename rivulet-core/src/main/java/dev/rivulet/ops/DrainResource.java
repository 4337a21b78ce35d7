package dev.rivulet.ops;

import dev.rivulet.web.Refusals;
import dev.rivulet.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code POST /api/ops/drain}: drains the node for shutdown and answers when it is done, so that
 * {@code server stop} (which gives the application no chance to say goodbye) finds nothing left to
 * cut off. It needs {@code Authorization: Bearer <rivulet.shutdown.drain-token>}; without a
 * configured token it is off. A drain cannot be undone: the node then waits to be stopped.
 */
@Path("/ops/drain")
@ApplicationScoped
public class DrainResource {

    @Inject
    ShutdownCoordinator coordinator;

    @Inject
    ShutdownConfig config;

    @Inject
    Refusals refusals;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response drain(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String token = config.drainToken();
        if (token == null) {
            return refusals.response(new Problem(403, "drain-disabled", "Forbidden",
                    "the drain endpoint is off; set rivulet.shutdown.drain-token to turn it on"));
        }
        if (!matches(token, authorization)) {
            Problem p = new Problem(401, "unauthorized", "Unauthorized",
                    "the drain endpoint needs Authorization: Bearer with the configured drain token");
            return Response.fromResponse(refusals.response(p))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"rivulet\"").build();
        }
        ShutdownCoordinator.Report r = coordinator.drain();
        return Response.ok(Json.createObjectBuilder()
                .add("draining", true)
                .add("connections", r.connections())
                .add("forced", r.forced())
                .add("elapsed_ms", r.elapsedMillis())
                .build()).build();
    }

    /** Compares in constant time, so response timing does not reveal the token. */
    private static boolean matches(String token, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given);
    }
}

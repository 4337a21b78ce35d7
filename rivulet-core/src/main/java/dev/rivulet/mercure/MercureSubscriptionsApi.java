package dev.rivulet.mercure;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Grant;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.JsonText;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.PathSegment;
import dev.rivulet.web.Problem;
import dev.rivulet.web.Refusals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The subscriptions API (when {@code rivulet.mercure.subscriptions} is on):
 * {@code GET /.well-known/mercure/subscriptions}, {@code .../{topic}} and
 * {@code .../{topic}/{subscriber}}, JSON-LD as the spec shows, with the {@code lastEventID} a client
 * passes back when it subscribes to subscription events. The request's path must be covered by
 * the token's {@code mercure.subscribe} claim. A node lists the subscriptions of its own streams.
 */
@ApplicationScoped
public class MercureSubscriptionsApi {

    static final String MEDIA_TYPE = "application/ld+json";

    @Inject
    MercureSubscriptions subscriptions;

    @Inject
    Hub hub;

    @Inject
    Refusals refusals;

    void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!subscriptions.enabled() || !(path.equals(MercureSubscriptions.BASE) || path.startsWith(MercureSubscriptions.BASE + "/"))) {
            refusals.write(response, new Problem(404, "not-found", "Not found", "no such Mercure resource"
                    + (subscriptions.enabled() ? "" : ": the subscriptions API is off (rivulet.mercure.subscriptions)")));
            return;
        }
        Grant grant = Credentials.grantOf(request);
        if (!grant.authenticated()) {
            throw AccessDenied.tokenRequired("the subscriptions API needs a token whose mercure.subscribe claim covers the URL");
        }
        if (!grant.mayRead(path)) {
            throw AccessDenied.forbidden("the token's mercure.subscribe claim does not cover " + path);
        }
        String rest = path.substring(MercureSubscriptions.BASE.length());
        String[] segments = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", -1);
        if (segments.length > 2 || segments.length > 0 && segments[segments.length - 1].isEmpty()) {
            refusals.write(response, new Problem(404, "not-found", "Not found", "no such subscription resource"));
            return;
        }
        String topic = segments.length > 0 ? PathSegment.decode(segments[0]) : null;
        String subscriber = segments.length > 1 ? PathSegment.decode(segments[1]) : null;
        List<MercureSubscriptions.Subscription> found = new ArrayList<>();
        for (List<MercureSubscriptions.Subscription> of : subscriptions.all()) {
            for (MercureSubscriptions.Subscription s : of) {
                if ((topic == null || s.topic().equals(topic)) && (subscriber == null || s.subscriber().equals(subscriber))) {
                    found.add(s);
                }
            }
        }
        String lastEventId = JsonText.quote(MercureId.of(hub.latest()));
        String body;
        if (subscriber != null) {
            if (found.isEmpty()) {
                refusals.write(response, new Problem(404, "not-found", "Not found", "no such active subscription"));
                return;
            }
            String one = found.get(0).json(true, true);
            body = one.substring(0, one.length() - 1) + ",\"lastEventID\":" + lastEventId + "}";
        } else {
            StringBuilder b = new StringBuilder(256)
                    .append("{\"@context\":").append(JsonText.quote(MercureSubscriptions.CONTEXT))
                    .append(",\"id\":").append(JsonText.quote(path))
                    .append(",\"type\":\"Subscriptions\",\"lastEventID\":").append(lastEventId)
                    .append(",\"subscriptions\":[");
            for (int i = 0; i < found.size(); i++) {
                b.append(i == 0 ? "" : ",").append(found.get(i).json(true, false));
            }
            body = b.append("]}").toString();
        }
        response.setStatus(200);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-cache");
        response.getWriter().write(body);
    }
}

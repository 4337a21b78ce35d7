package dev.rivulet.gate;

import java.security.Principal;

/**
 * Who a request comes from, for per-client limits: the authenticated subject (a JWT's {@code sub}
 * under MicroProfile JWT) when there is one, else the client's address. Behind a proxy, let
 * Liberty's {@code <remoteIp>} put the real client address on the request.
 */
public final class Caller {

    private Caller() {
    }

    /** The key limits are counted under: {@code sub:<name>} or {@code ip:<address>}. */
    public static String key(Principal principal, String remoteAddress) {
        if (principal != null && principal.getName() != null && !principal.getName().isEmpty()) {
            return "sub:" + principal.getName();
        }
        return "ip:" + remoteAddress;
    }
}

package dev.rivulet.gate;

/**
 * Who a request comes from, for per-client limits: its token's subject ({@code sub}) when it has
 * one, else the client's address. Behind a proxy, let Liberty's {@code <remoteIp>} put the real
 * client address on the request.
 */
public final class Caller {

    private Caller() {
    }

    /** The key limits are counted under: {@code sub:<name>} or {@code ip:<address>}. */
    public static String key(Grant grant, String remoteAddress) {
        if (grant.subject() != null && !grant.subject().isEmpty()) {
            return "sub:" + grant.subject();
        }
        return "ip:" + remoteAddress;
    }
}

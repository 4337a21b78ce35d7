package dev.rivulet.gate;

/**
 * A request refused for who sent it: 401 when it carries no valid token and needs one (the answer
 * has a {@code WWW-Authenticate: Bearer} challenge), 403 when its token does not allow what it
 * asks. {@code slug} is the stable problem type; the detail says why in words and never repeats
 * the token.
 */
public class AccessDenied extends RuntimeException {

    private final int status;
    private final String slug;

    private AccessDenied(int status, String slug, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
    }

    /** No token, where one is needed. */
    public static AccessDenied tokenRequired(String detail) {
        return new AccessDenied(401, "token-required", detail);
    }

    /** A token that does not verify, has expired, or cannot be read. */
    public static AccessDenied invalidToken(String detail) {
        return new AccessDenied(401, "invalid-token", detail);
    }

    /** A valid token whose claims do not cover the request. */
    public static AccessDenied forbidden(String detail) {
        return new AccessDenied(403, "forbidden", detail);
    }

    /** A cookie sent from a page of an origin this hub does not list (cross-site request forgery). */
    public static AccessDenied originNotAllowed() {
        return new AccessDenied(403, "origin-not-allowed",
                "the token came in a cookie from a page of an origin that rivulet.cors.origins does not list");
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return status == 401 ? "Unauthorized" : "Forbidden";
    }
}

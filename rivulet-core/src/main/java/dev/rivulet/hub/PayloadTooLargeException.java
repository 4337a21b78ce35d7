package dev.rivulet.hub;

/** A publish whose data is larger than {@code rivulet.publish.max-bytes}. */
public class PayloadTooLargeException extends InvalidInputException {

    public PayloadTooLargeException(long limit) {
        super("payload-too-large", "event data is larger than the limit of " + limit + " bytes");
    }
}

package dev.rivulet.hub;

/**
 * Input the hub will not accept: a topic, type, id or payload that breaks a documented rule.
 * {@code problem} is the stable slug of the problem type a transport reports (for example
 * {@code invalid-topic}); the message says what was wrong without echoing the raw input.
 */
public class InvalidInputException extends RuntimeException {

    private final String problem;

    public InvalidInputException(String problem, String message) {
        super(message, null, false, false);
        this.problem = problem;
    }

    public String problem() {
        return problem;
    }
}

package dev.rivulet.chat;

import dev.rivulet.gate.Grant;
import dev.rivulet.hub.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * Who is on the other end of a chat connection: a token's subject ({@code sub}), or, without a
 * token, the name a client picks with {@code ?name=} (when {@code rivulet.chat.anonymous} allows
 * it). The rest of chat only sees a name.
 */
record ChatIdentity(String name, boolean anonymous) {

    static final int NAME_MAX_LENGTH = 32;
    static final String DEFAULT_NAME = "guest";

    /** The identity a connection's token or query parameters give it; refuses what the rules do not allow. */
    static ChatIdentity resolve(Map<String, List<String>> parameters, Grant grant, boolean anonymousAllowed) {
        if (grant.authenticated() && grant.subject() != null) {
            return new ChatIdentity(checkName(grant.subject()), false);
        }
        if (!anonymousAllowed) {
            throw new InvalidInputException("unauthorized",
                    "this hub does not allow anonymous chat (rivulet.chat.anonymous=false)");
        }
        List<String> names = parameters.get("name");
        String name = names == null || names.isEmpty() || names.get(0).isEmpty() ? DEFAULT_NAME : names.get(0);
        return new ChatIdentity(checkName(name), true);
    }

    /**
     * A name is 1 to 32 characters: letters and digits of any script, {@code - _ .}, and single
     * spaces between words. That keeps names readable in any client and free of markup.
     */
    static String checkName(String name) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > NAME_MAX_LENGTH) {
            throw new InvalidInputException("invalid-name", "a name is 1 to " + NAME_MAX_LENGTH + " characters");
        }
        int previous = ' ';
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            boolean allowed = Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'
                    || c == ' ' && previous != ' ' && i + 1 < name.length();
            if (!allowed) {
                throw new InvalidInputException("invalid-name",
                        "a name holds letters, digits, - _ . and single spaces between words");
            }
            previous = c;
            i += Character.charCount(c);
        }
        return name;
    }
}

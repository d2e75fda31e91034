package io.gridtier.wire;

import java.util.regex.Pattern;

/**
 * What a customer id may look like, on every topic and in the tier-service's API: 1 to 64 letters,
 * digits, '.', '_', ':' or '-', starting with a letter or digit. The job dead-letters an input
 * whose id does not match; the tier-service keys its store by the id's bytes followed by a 0x00
 * separator and puts ids in URL paths, so both need a bounded, printable alphabet without '/'.
 */
public final class CustomerIds {
    public static final int MAX_LENGTH = 64;
    /** The pattern, as a regular expression (named in dead-letter details and error messages). */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,63}";
    private static final Pattern VALID = Pattern.compile(PATTERN);
    public static final String RULE = "a customer id is 1 to 64 characters: letters, digits, '.', '_', ':' or '-', "
            + "starting with a letter or digit";

    private CustomerIds() {
    }

    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches();
    }
}

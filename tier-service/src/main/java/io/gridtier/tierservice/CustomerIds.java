package io.gridtier.tierservice;

import java.util.regex.Pattern;

/**
 * What a customer id may look like, here and on the wire: 1 to 64 letters, digits, '.', '_', ':' or '-',
 * starting with a letter or digit. The store keys records by the id's bytes followed by a 0x00 separator,
 * and the API puts ids in paths, so both need a bounded, printable alphabet without '/'.
 */
public final class CustomerIds {
    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    public static final String RULE = "a customer id is 1 to 64 characters: letters, digits, '.', '_', ':' or '-', "
            + "starting with a letter or digit";

    private CustomerIds() {
    }

    public static boolean isValid(String id) {
        return id != null && id.length() <= MAX_LENGTH && VALID.matcher(id).matches();
    }
}

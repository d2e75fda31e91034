package io.gridtier.customer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The versions of a customer's master data, ordered by {@code updatedAt}, so that an evaluation at
 * time T uses the version in force at T whatever order the updates arrived in.
 *
 * <p>Clean-up: {@link #prune} drops versions superseded before the last evaluation; the history is
 * cleared with the customer's state when a closed customer's retention ends.
 */
public class ProfileHistory {
    public ProfileVersion[] versions = new ProfileVersion[0];

    public ProfileHistory() {
    }

    /** Adds a version; it replaces a version held for the same updatedAt. */
    public void add(ProfileVersion v) {
        List<ProfileVersion> list = new ArrayList<>(Arrays.asList(versions));
        list.removeIf(held -> held.updatedAt == v.updatedAt);
        list.add(v);
        list.sort(Comparator.comparingLong(p -> p.updatedAt));
        versions = list.toArray(new ProfileVersion[0]);
    }

    /** The version in force just before {@code asOf}, or null when none had been issued by then. */
    public ProfileVersion at(long asOf) {
        ProfileVersion current = null;
        for (ProfileVersion v : versions) {
            if (v.updatedAt < asOf) {
                current = v;
            }
        }
        return current;
    }

    /** The newest version, whatever its time. */
    public ProfileVersion latest() {
        return versions.length == 0 ? null : versions[versions.length - 1];
    }

    /** Drops versions that were already superseded at {@code evaluatedUpTo}. */
    public void prune(long evaluatedUpTo) {
        int keepFrom = 0;
        for (int i = 0; i < versions.length; i++) {
            if (versions[i].updatedAt < evaluatedUpTo) {
                keepFrom = i;
            }
        }
        if (keepFrom > 0) {
            versions = Arrays.copyOfRange(versions, keepFrom, versions.length);
        }
    }
}

package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.ValueTier;

import java.util.List;

/**
 * Each number a segment carries, the outcome it predicts, how it ranks customers (higher = the outcome more
 * likely), the model's alert threshold on it, and which customers can reach the outcome at all.
 */
public enum Prediction {
    CHURN_SCORE("churn score", Outcome.Kind.CHURNED) {
        @Override
        public double risk(CustomerSegment s) {
            return s.getChurnScore();
        }

        @Override
        public boolean flagged(CustomerSegment s, ModelConfig m) {
            return s.getChurnScore() >= m.tiers().churnElevated().enter();
        }

        @Override
        public String threshold(ModelConfig m) {
            return "churn score >= " + num(m.tiers().churnElevated().enter()) + " (tiers.churnElevated.enter)";
        }
    },
    CREDIT_SCORE("credit score", Outcome.Kind.DEFAULTED) {
        @Override
        public double risk(CustomerSegment s) {
            return -s.getCreditScore(); // the lower the credit, the likelier the default
        }

        @Override
        public double shown(CustomerSegment s) {
            return s.getCreditScore();
        }

        @Override
        public boolean flagged(CustomerSegment s, ModelConfig m) {
            return s.getCreditScore() < m.credit().ratingB();
        }

        @Override
        public String threshold(ModelConfig m) {
            return "credit score < " + num(m.credit().ratingB()) + " (credit.ratingB: rated C on the score)";
        }
    },
    CREDIT_RATING("credit rating", Outcome.Kind.DEFAULTED) {
        @Override
        public double risk(CustomerSegment s) {
            return s.getCreditRating().ordinal(); // A 0, B 1, C 2
        }

        @Override
        public boolean flagged(CustomerSegment s, ModelConfig m) {
            return s.getCreditRating() == CreditRating.C;
        }

        @Override
        public String threshold(ModelConfig m) {
            return "rating C (score, hysteresis and overrides)";
        }

        @Override
        public List<String> levels() {
            return List.of("A", "B", "C");
        }
    },
    VALUE_SCORE("value score", Outcome.Kind.BECAME_KEY_ACCOUNT) {
        @Override
        public double risk(CustomerSegment s) {
            return s.getValueScore();
        }

        @Override
        public boolean flagged(CustomerSegment s, ModelConfig m) {
            return s.getValueScore() >= m.tiers().keyAccount().enter();
        }

        @Override
        public String threshold(ModelConfig m) {
            return "value score >= " + num(m.tiers().keyAccount().enter()) + " (tiers.KEY_ACCOUNT.enter)";
        }

        @Override
        public boolean canReach(CustomerSegment s, ModelConfig m) {
            return keyAccountCandidate(s, m);
        }
    },
    POTENTIAL_KEY_ACCOUNT("potential key account", Outcome.Kind.BECAME_KEY_ACCOUNT) {
        @Override
        public double risk(CustomerSegment s) {
            return s.getPotentialKeyAccount() ? 1 : 0;
        }

        @Override
        public boolean flagged(CustomerSegment s, ModelConfig m) {
            return s.getPotentialKeyAccount();
        }

        @Override
        public String threshold(ModelConfig m) {
            return "flagged (tiers.potentialKeyAccount)";
        }

        @Override
        public boolean canReach(CustomerSegment s, ModelConfig m) {
            return keyAccountCandidate(s, m);
        }

        @Override
        public List<String> levels() {
            return List.of("no", "yes");
        }
    };

    private final String label;
    private final Outcome.Kind outcome;

    Prediction(String label, Outcome.Kind outcome) {
        this.label = label;
        this.outcome = outcome;
    }

    public String label() {
        return label;
    }

    public Outcome.Kind outcome() {
        return outcome;
    }

    /** What the customers are ranked by: higher means the outcome is more likely. */
    public abstract double risk(CustomerSegment s);

    /** The number as the segment shows it (the calibration table's bands are on it). */
    public double shown(CustomerSegment s) {
        return risk(s);
    }

    /** Whether the model's alert threshold flags this segment. */
    public abstract boolean flagged(CustomerSegment s, ModelConfig m);

    /** The threshold in words, with its key in the model file. */
    public abstract String threshold(ModelConfig m);

    /**
     * Whether the customer can reach the outcome at all: everyone can churn or default, but only a customer of a
     * category that has key accounts, and not one already, can become a key account.
     */
    public boolean canReach(CustomerSegment s, ModelConfig m) {
        return true;
    }

    /** The levels of a rating or flag (their ordinal is {@link #risk}); empty for a 0-100 score. */
    public List<String> levels() {
        return List.of();
    }

    private static boolean keyAccountCandidate(CustomerSegment s, ModelConfig m) {
        ModelConfig.CategoryReference reference = m.reference(s.getCategory());
        return reference != null && reference.keyAccountMinAnnualKwh() >= 0 && s.getValueTier() != ValueTier.KEY_ACCOUNT;
    }

    static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}

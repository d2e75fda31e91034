package io.gridtier.model;

import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.ValueTier;

import java.util.ArrayList;
import java.util.List;

/** What each segment gets and what each alert asks for, from the model file's playbook (DOMAIN.md). */
final class Playbook {
    private Playbook() {
    }

    static List<String> actions(ModelConfig m, ValueTier tier, boolean potentialKeyAccount, ChurnRisk churn,
                                CreditRating credit) {
        List<String> actions = new ArrayList<>(4);
        actions.add(m.action(tier.name()));
        if (potentialKeyAccount) {
            actions.add(m.action("POTENTIAL_KEY_ACCOUNT"));
        }
        if (churn != ChurnRisk.LOW) {
            actions.add(m.action("CHURN_RISK"));
        }
        if (credit != CreditRating.A) {
            actions.add(m.action("CREDIT_" + credit.name()));
        }
        return actions;
    }

    static String forAlert(ModelConfig m, AlertType type, String current) {
        return switch (type) {
            case KEY_ACCOUNT_ENTERED -> m.action("KEY_ACCOUNT");
            case KEY_ACCOUNT_EXITED -> m.action("KEY_ACCOUNT_EXITED");
            case POTENTIAL_KEY_ACCOUNT_IDENTIFIED -> m.action("POTENTIAL_KEY_ACCOUNT");
            case CHURN_RISK_RAISED -> m.action("CHURN_RISK");
            case CHURN_RISK_CLEARED -> m.action("CHURN_RISK_CLEARED");
            case CREDIT_DOWNGRADED -> m.action("CREDIT_" + current);
            case CREDIT_UPGRADED -> m.action("CREDIT_UPGRADED");
        };
    }
}

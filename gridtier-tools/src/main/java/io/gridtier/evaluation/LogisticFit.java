package io.gridtier.evaluation;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.analysis.MultivariateVectorFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * L2-regularised logistic regression, fitted by Commons Math's non-linear conjugate gradient (Polak-Ribiere)
 * on the penalised mean negative log-likelihood
 * {@code (1/n) sum[log(1 + e^z) - y z] + lambda * sum(w^2)}, {@code z = b + w.x}; the intercept b is not
 * penalised.
 *
 * @param intercept  b
 * @param weights    w, one per feature
 * @param objective  the penalised objective at the optimum
 * @param iterations the optimiser's iterations
 */
public record LogisticFit(double intercept, double[] weights, double objective, int iterations) {

    /** @param x one row of features per example; @param y whether each example is positive */
    public static LogisticFit fit(double[][] x, boolean[] y, double lambda) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("need as many outcomes as rows, and at least one row");
        }
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("lambda must be 0 or more, was " + lambda);
        }
        int k = x[0].length;
        int n = x.length;
        MultivariateFunction objective = p -> {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double z = z(p, x[i]);
                // log(1 + e^z) without overflow
                sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (y[i] ? z : 0);
            }
            double penalty = 0;
            for (int j = 1; j <= k; j++) {
                penalty += p[j] * p[j];
            }
            return sum / n + lambda * penalty;
        };
        MultivariateVectorFunction gradient = p -> {
            double[] g = new double[k + 1];
            for (int i = 0; i < n; i++) {
                double error = sigmoid(z(p, x[i])) - (y[i] ? 1 : 0);
                g[0] += error;
                for (int j = 0; j < k; j++) {
                    g[j + 1] += error * x[i][j];
                }
            }
            for (int j = 0; j <= k; j++) {
                g[j] /= n;
            }
            for (int j = 1; j <= k; j++) {
                g[j] += 2 * lambda * p[j];
            }
            return g;
        };
        NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
                NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-12, 1e-12));
        PointValuePair best = optimizer.optimize(new MaxEval(100_000), new MaxIter(10_000),
                new ObjectiveFunction(objective), new ObjectiveFunctionGradient(gradient), GoalType.MINIMIZE,
                new InitialGuess(new double[k + 1]));
        double[] p = best.getPoint();
        double[] w = new double[k];
        System.arraycopy(p, 1, w, 0, k);
        return new LogisticFit(p[0], w, best.getValue(), optimizer.getIterations());
    }

    /** The fitted probability of the outcome for one row. */
    public double probability(double[] row) {
        double z = intercept;
        for (int j = 0; j < weights.length; j++) {
            z += weights[j] * row[j];
        }
        return sigmoid(z);
    }

    private static double z(double[] p, double[] row) {
        double z = p[0];
        for (int j = 0; j < row.length; j++) {
            z += p[j + 1] * row[j];
        }
        return z;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}

using System;

namespace DiffGen.Benchmarks.Infrastructure
{
    /// <summary>A function of a flat parameter vector, as a struct so the finite-difference loop calls it directly (no delegate).</summary>
    public interface IObjective
    {
        /// <summary>f(θ).</summary>
        double Evaluate(ReadOnlySpan<double> parameters);
    }

    /// <summary>Central finite differences, the contrast to reverse mode: the cost grows with the number of inputs.</summary>
    public static class FiniteDifferences
    {
        /// <summary>
        /// The relative step: ε^(1/3) ≈ 6.06e-6 balances the truncation error (h²·|f'''|/6) against the rounding
        /// error (ε·|f|/h) of a central difference, each then about 1e-11 relative to the function's scale.
        /// </summary>
        public static readonly double RelativeStep = Math.Cbrt(2.220446049250313e-16);

        /// <summary>
        /// Writes (f(θ + hᵢeᵢ) − f(θ − hᵢeᵢ)) / (2hᵢ) into <paramref name="gradient"/>, hᵢ = <see cref="RelativeStep"/>·max(1, |θᵢ|)
        /// rounded so that θᵢ ± hᵢ is exact. <paramref name="parameters"/> is perturbed in place and restored bit for bit.
        /// </summary>
        /// <returns>f(θ).</returns>
        public static double Central<TObjective>(ref TObjective objective, Span<double> parameters, Span<double> gradient)
            where TObjective : struct, IObjective
        {
            if (gradient.Length != parameters.Length)
            {
                throw new ArgumentException("The gradient must have one entry per parameter.", nameof(gradient));
            }

            for (int i = 0; i < parameters.Length; i++)
            {
                double saved = parameters[i];
                double h = RelativeStep * Math.Max(1.0, Math.Abs(saved));
                double plus = saved + h;
                double minus = saved - h;
                parameters[i] = plus;
                double fPlus = objective.Evaluate(parameters);
                parameters[i] = minus;
                double fMinus = objective.Evaluate(parameters);
                parameters[i] = saved;
                gradient[i] = (fPlus - fMinus) / (plus - minus);
            }

            return objective.Evaluate(parameters);
        }
    }
}

using System;

namespace DiffGen
{
    /// <summary>
    /// Adam (Kingma &amp; Ba, 2015, Algorithm 1). With <c>t</c> the 1-based step number:
    /// <c>m ← β₁·m + (1−β₁)·g</c>, <c>v ← β₂·v + (1−β₂)·g²</c>, <c>m̂ = m / (1−β₁ᵗ)</c>, <c>v̂ = v / (1−β₂ᵗ)</c>,
    /// <c>θ ← θ − α_t · m̂ / (√v̂ + ε)</c>.
    /// </summary>
    /// <remarks>
    /// ε is added to the bias-corrected √v̂, exactly as in Algorithm 1 (not the paper's "more efficient" reordering,
    /// which effectively rescales ε by √(1−β₂ᵗ)). PyTorch's <c>torch.optim.Adam</c> uses the same placement.
    /// </remarks>
    public sealed class Adam : IOptimizer
    {
        private readonly double[] _m;
        private readonly double[] _v;

        /// <summary>Creates the optimiser and its two moment buffers (the only allocations it ever makes).</summary>
        /// <param name="parameterCount">How many parameters every step updates.</param>
        /// <param name="learningRate">The base step size α (finite, not negative).</param>
        /// <param name="beta1">Decay rate of the first-moment estimate, in [0, 1).</param>
        /// <param name="beta2">Decay rate of the second-moment estimate, in [0, 1).</param>
        /// <param name="epsilon">Added to √v̂ to avoid dividing by zero (finite, not negative).</param>
        /// <param name="schedule">How α changes with the step count; <see langword="null"/> keeps it constant.</param>
        /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
        public Adam(
            int parameterCount,
            double learningRate = 1e-3,
            double beta1 = 0.9,
            double beta2 = 0.999,
            double epsilon = 1e-8,
            ILearningRateSchedule? schedule = null)
        {
            OptimizerChecks.ParameterCount(parameterCount);
            OptimizerChecks.LearningRate(learningRate);
            OptimizerChecks.DecayRate(beta1, nameof(beta1));
            OptimizerChecks.DecayRate(beta2, nameof(beta2));
            if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            {
                throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and not negative.");
            }

            ParameterCount = parameterCount;
            LearningRate = learningRate;
            Beta1 = beta1;
            Beta2 = beta2;
            Epsilon = epsilon;
            Schedule = schedule ?? ConstantSchedule.Instance;
            _m = new double[parameterCount];
            _v = new double[parameterCount];
        }

        /// <inheritdoc/>
        public int ParameterCount { get; }

        /// <summary>The base step size α, before the schedule is applied.</summary>
        public double LearningRate { get; }

        /// <summary>The first-moment decay rate β₁.</summary>
        public double Beta1 { get; }

        /// <summary>The second-moment decay rate β₂.</summary>
        public double Beta2 { get; }

        /// <summary>The ε added to the denominator.</summary>
        public double Epsilon { get; }

        /// <summary>The learning-rate schedule (a <see cref="ConstantSchedule"/> when none was given).</summary>
        public ILearningRateSchedule Schedule { get; }

        /// <inheritdoc/>
        public int StepCount { get; private set; }

        /// <summary>The step size α_t the next <see cref="Step"/> will use.</summary>
        public double CurrentLearningRate => Schedule.LearningRate(StepCount, LearningRate);

        /// <summary>The biased first-moment estimate <c>m</c> (read-only view for diagnostics and tests).</summary>
        public ReadOnlySpan<double> FirstMoment => _m;

        /// <summary>The biased second-moment estimate <c>v</c> (read-only view for diagnostics and tests).</summary>
        public ReadOnlySpan<double> SecondMoment => _v;

        /// <inheritdoc/>
        public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
        {
            OptimizerChecks.Step(ParameterCount, parameters.Length, gradient.Length);
            double rate = CurrentLearningRate;
            int t = StepCount + 1;

            // Math.Pow rather than a running product: exact for the first steps, and no drift over millions of steps.
            double correction1 = 1 - Math.Pow(Beta1, t);
            double correction2 = 1 - Math.Pow(Beta2, t);
            double b1 = Beta1;
            double b2 = Beta2;
            double eps = Epsilon;
            Span<double> m = _m;
            Span<double> v = _v;
            for (int i = 0; i < parameters.Length; i++)
            {
                double g = gradient[i];
                double mi = (b1 * m[i]) + ((1 - b1) * g);
                double vi = (b2 * v[i]) + ((1 - b2) * g * g);
                m[i] = mi;
                v[i] = vi;
                double mHat = mi / correction1;
                double vHat = vi / correction2;
                parameters[i] -= rate * mHat / (Math.Sqrt(vHat) + eps);
            }

            StepCount = t;
        }

        /// <inheritdoc/>
        public void Reset()
        {
            Array.Clear(_m);
            Array.Clear(_v);
            StepCount = 0;
        }
    }
}

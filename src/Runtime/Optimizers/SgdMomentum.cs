using System;

namespace DiffGen
{
    /// <summary>
    /// Stochastic gradient descent with classical (heavy-ball) momentum, optionally Nesterov's variant, in the form
    /// PyTorch's <c>torch.optim.SGD</c> uses (no dampening):
    /// <c>v ← μ·v + g</c>, then <c>θ ← θ − η_t·v</c>, or with Nesterov <c>θ ← θ − η_t·(g + μ·v)</c> using the updated <c>v</c>.
    /// </summary>
    /// <remarks>
    /// The velocity starts at zero, so the first step equals a plain SGD step. This form keeps the learning rate
    /// outside the velocity; with a constant rate it is the same trajectory as Sutskever et al.'s
    /// <c>v ← μ·v − η·g, θ ← θ + v</c>, and when a schedule changes the rate the change takes effect immediately.
    /// </remarks>
    public sealed class SgdMomentum : IOptimizer
    {
        private readonly double[] _velocity;

        /// <summary>Creates the optimiser and its velocity buffer (the only allocation it ever makes).</summary>
        /// <param name="parameterCount">How many parameters every step updates.</param>
        /// <param name="learningRate">The base learning rate η (finite, not negative).</param>
        /// <param name="momentum">The momentum coefficient μ, in [0, 1).</param>
        /// <param name="nesterov">Use Nesterov momentum (look-ahead gradient) instead of classical momentum.</param>
        /// <param name="schedule">How η changes with the step count; <see langword="null"/> keeps it constant.</param>
        /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
        public SgdMomentum(int parameterCount, double learningRate, double momentum = 0.9, bool nesterov = false, ILearningRateSchedule? schedule = null)
        {
            OptimizerChecks.ParameterCount(parameterCount);
            OptimizerChecks.LearningRate(learningRate);
            OptimizerChecks.DecayRate(momentum, nameof(momentum));
            ParameterCount = parameterCount;
            LearningRate = learningRate;
            Momentum = momentum;
            Nesterov = nesterov;
            Schedule = schedule ?? ConstantSchedule.Instance;
            _velocity = new double[parameterCount];
        }

        /// <inheritdoc/>
        public int ParameterCount { get; }

        /// <summary>The base learning rate, before the schedule is applied.</summary>
        public double LearningRate { get; }

        /// <summary>The momentum coefficient μ.</summary>
        public double Momentum { get; }

        /// <summary>Whether Nesterov's variant is used.</summary>
        public bool Nesterov { get; }

        /// <summary>The learning-rate schedule (a <see cref="ConstantSchedule"/> when none was given).</summary>
        public ILearningRateSchedule Schedule { get; }

        /// <inheritdoc/>
        public int StepCount { get; private set; }

        /// <summary>The learning rate the next <see cref="Step"/> will use.</summary>
        public double CurrentLearningRate => Schedule.LearningRate(StepCount, LearningRate);

        /// <summary>The current velocity <c>v</c>, one entry per parameter (read-only view for diagnostics and tests).</summary>
        public ReadOnlySpan<double> Velocity => _velocity;

        /// <inheritdoc/>
        public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
        {
            OptimizerChecks.Step(ParameterCount, parameters.Length, gradient.Length);
            double rate = CurrentLearningRate;
            double mu = Momentum;
            Span<double> velocity = _velocity;
            if (Nesterov)
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    double g = gradient[i];
                    double v = (mu * velocity[i]) + g;
                    velocity[i] = v;
                    parameters[i] -= rate * (g + (mu * v));
                }
            }
            else
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    double v = (mu * velocity[i]) + gradient[i];
                    velocity[i] = v;
                    parameters[i] -= rate * v;
                }
            }

            StepCount++;
        }

        /// <inheritdoc/>
        public void Reset()
        {
            Array.Clear(_velocity);
            StepCount = 0;
        }
    }
}

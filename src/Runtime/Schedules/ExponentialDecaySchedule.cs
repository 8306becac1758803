using System;

namespace DiffGen
{
    /// <summary>
    /// Multiplies the rate by <see cref="Rate"/> every step: <c>rate = baseRate · rate^step</c> (PyTorch's <c>ExponentialLR</c>
    /// with one step per update).
    /// </summary>
    public sealed class ExponentialDecaySchedule : ILearningRateSchedule
    {
        /// <summary>Creates the schedule.</summary>
        /// <param name="rate">The per-step multiplier (finite, positive; usually slightly below 1, e.g. 0.999).</param>
        /// <exception cref="ArgumentOutOfRangeException">The rate is not finite and positive.</exception>
        public ExponentialDecaySchedule(double rate)
        {
            if (!(rate > 0) || double.IsInfinity(rate))
            {
                throw new ArgumentOutOfRangeException(nameof(rate), rate, "The decay rate must be finite and positive.");
            }

            Rate = rate;
        }

        /// <summary>The per-step multiplier.</summary>
        public double Rate { get; }

        /// <inheritdoc/>
        public double LearningRate(int step, double baseRate) => baseRate * Math.Pow(Rate, step);
    }
}
